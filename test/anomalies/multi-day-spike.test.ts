// Flagged days in a row are one spike incident: its excess is theirs together, and the
// evidence and the insight's title say which days, so the $ can be checked by hand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * search on gpt-4o, 2026-08-01 to 10-31: 1,000 requests, 1,000,000 input and 100,000 output
 * tokens a day ($2.50 + $1.00 = $3.50), tripled from 2026-10-20 ($10.50 a day).
 */
async function steppedLedger(): Promise<string> {
  const dir = tempDir();
  const lines: string[] = [];
  for (let t = Date.parse('2026-08-01'); t < Date.parse('2026-11-01'); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const k = day >= '2026-10-20' ? 3 : 1;
    lines.push(JSON.stringify({ id: `s-${day}`, ts: `${day}T00:00:00Z`, granularity: 'day', provider: 'openai', model: 'gpt-4o', requests: 1000, input_tokens: k * 1_000_000, output_tokens: k * 100_000, feature: 'search' }));
  }
  writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

describe('a spend incident flagged on several days in a row', () => {
  let db: string;
  beforeAll(async () => {
    db = await steppedLedger();
  });

  it('anomalies: the evidence names the days its excess covers', async () => {
    const r = await runCli(['anomalies', '--db', db, '--since', '2026-08-01', '--until', '2026-11-01', '--kind', 'spike,level_shift', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as { kind: string; since: string; until: string; excess_usd: number; evidence: string }[];
    expect(rows).toHaveLength(1);
    const a = rows[0]!;
    // 12 days (10-20 to 10-31) at $10.50 against $3.50: 12 × $7.00 = $84.00.
    expect([a.kind, a.since, a.until, a.excess_usd]).toEqual(['spike', '2026-10-20', '2026-10-31', 84]);
    expect(a.evidence).toBe('2026-10-20 spent $10.50 against a weekday baseline of $3.50 (×3.0, robust z 22.0); 12 days from 2026-10-20 to 2026-10-31, $84.00 over that baseline in all');
  });

  it('insights: the title gives the incident its days, not the first alone', async () => {
    const r = await runCli(['insights', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as { kind: string; title: string; impact_usd_per_month: number }[];
    const spend = rows.filter((i) => i.kind === 'anomaly' && !i.title.startsWith('creep'));
    expect(spend).toHaveLength(1);
    expect(spend[0]!.title).toBe('spike in search from 2026-10-20 to 2026-10-31');
    // One incident: what was at stake is its excess.
    expect(spend[0]!.impact_usd_per_month).toBe(84);
  });
});
