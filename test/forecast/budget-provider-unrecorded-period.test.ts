// A provider whose record stops before the budget's period began has no run rate of its own
// in it (0 / 0): an hourly OpenAI export whose last bucket is yesterday's 22:00–23:00, beside
// Anthropic's traffic the proxy records up to now, judged by a daily budget. Its part was left
// out, and the day projected Anthropic's hours alone: $12.00 for a $36.00 day, and no breach of
// $30. Its hours to come run at its own recent rate: its last week's spend over its recorded time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  name: string;
  spent_usd: number;
  projected_usd: number;
  breach_at: string | null;
  projected_p50_usd: number;
  breach_date_p50: string | null;
  projection_method: string;
}

const HOUR_MS = 3_600_000;

/**
 * From 2026-10-15 (five days: the run rate stands for the forecast): OpenAI as an hourly
 * export, $1.00 an hour to the bucket of 2026-10-19 22:00; Anthropic through the proxy, a
 * $0.50 request at :30 of every hour to 2026-10-20 14:30.
 */
function rows(): string {
  const lines: string[] = [];
  for (let t = Date.parse('2026-10-15T00:00:00Z'), i = 0; t <= Date.parse('2026-10-19T22:00:00Z'); t += HOUR_MS, i++) {
    lines.push(JSON.stringify({ id: `o${i}`, ts: new Date(t).toISOString(), granularity: 'hour', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: 0 }));
  }
  for (let t = Date.parse('2026-10-15T00:30:00Z'), i = 0; t <= Date.parse('2026-10-20T14:30:00Z'); t += HOUR_MS, i++) {
    lines.push(JSON.stringify({ id: `a${i}`, ts: new Date(t).toISOString(), granularity: 'request', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'billed', cost_usd: '0.50', requests: 1 }));
  }
  return lines.join('\n') + '\n';
}

describe('a lagging provider with none of its time in the period recorded', () => {
  const dir = tempDir();
  beforeAll(async () => {
    writeFileSync(join(dir, 'rows.jsonl'), rows());
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      `ledger: { path: l.db }
budgets:
  - { name: day, period: daily, limit_usd: 30 }
  - { name: openai-day, period: daily, limit_usd: 30, scope: { provider: openai } }
  - { name: month, limit_usd: 2000 }
`,
    );
    expect((await runCli(['import', 'rows.jsonl'], { cwd: dir })).code).toBe(0);
  });

  const status = async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-20T15:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: Row[]; recorded_until: Record<string, string> };
    return { rows: Object.fromEntries(out.rows.map((row) => [row.name, row])), recordedUntil: out.recorded_until };
  };

  it('adds its hours at its own recent rate: $7.50 + 24 h × $1.00 + 9 h × $0.50 = $36.00', async () => {
    const { rows: r, recordedUntil } = await status();
    expect(recordedUntil).toEqual({ anthropic: '2026-10-20T15:00:00.000Z', openai: '2026-10-19T23:00:00.000Z' });
    // OpenAI's last week of record: 4 × $24 + $23 = $119 over the 119 hours from 2026-10-15
    // to 2026-10-19 23:00, $1.00 an hour, for the whole 20th: $24.00. Anthropic: $7.50 over the
    // 15 hours recorded, $0.50 an hour for the 9 left: $4.50. Before: $7.50 + $4.50 = $12.00.
    const day = r.day!;
    expect([day.spent_usd, day.projected_usd, day.projected_p50_usd, day.projection_method]).toEqual([7.5, 36, 36, 'run-rate']);
    // At 15:00, $7.50 + OpenAI's 15 hours ($15.00) = $22.50; then $1.50 an hour for the $7.50
    // left of $30: 20:00. Before: no breach.
    expect(day.breach_at).toBe('2026-10-20T20:00:00.000Z');
    expect(day.breach_date_p50).toBe('2026-10-20');
    // A budget on OpenAI alone: nothing spent, its 24 hours at $1.00 (before $0.00).
    expect([r['openai-day']!.spent_usd, r['openai-day']!.projected_usd, r['openai-day']!.projected_p50_usd]).toEqual([0, 24, 24]);
  });

  it('leaves a provider with time recorded in the period at its own run rate so far', async () => {
    // OpenAI: $119 over 119 hours, $1.00 an hour for the 289 hours from 2026-10-19 23:00 to
    // November: $408.00. Anthropic: $67.50 over 135 hours, $0.50 an hour for 273: $204.00.
    const month = (await status()).rows.month!;
    expect([month.spent_usd, month.projected_usd, month.projected_p50_usd]).toEqual([186.5, 612, 612]);
  });
});
