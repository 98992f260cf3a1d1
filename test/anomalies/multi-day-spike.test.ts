// Flagged days in a row are one spike incident: its excess is theirs together, and the
// evidence and the insight's title say which days, so the $ can be checked by hand. Spend
// that steps up and stays there is a level shift, however it was first flagged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * search on gpt-4o, 2026-08-01 to 10-31: 1,000 requests, 1,000,000 input and 100,000 output
 * tokens a day ($2.50 + $1.00 = $3.50), tripled ($10.50 a day) from 2026-10-20 to `lastTripled`.
 */
async function steppedLedger(lastTripled: string): Promise<string> {
  const dir = tempDir();
  const lines: string[] = [];
  for (let t = Date.parse('2026-08-01'); t < Date.parse('2026-11-01'); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const k = day >= '2026-10-20' && day <= lastTripled ? 3 : 1;
    lines.push(JSON.stringify({ id: `s-${day}`, ts: `${day}T00:00:00Z`, granularity: 'day', provider: 'openai', model: 'gpt-4o', requests: 1000, input_tokens: k * 1_000_000, output_tokens: k * 100_000, feature: 'search' }));
  }
  writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

type Row = { kind: string; since: string; until: string; excess_usd: number; evidence: string };
const anomalies = async (db: string) => {
  const r = await runCli(['anomalies', '--db', db, '--since', '2026-08-01', '--until', '2026-11-01', '--kind', 'spike,level_shift', '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { rows: Row[]; total_excess_usd: number };
};
const spendInsights = async (db: string) => {
  const r = await runCli(['insights', '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout).rows as { kind: string; title: string; impact_usd_per_month: number }[]).filter((i) => i.kind === 'anomaly' && !i.title.startsWith('creep'));
};

describe('a spend incident flagged on several days in a row, then over', () => {
  let db: string;
  beforeAll(async () => {
    db = await steppedLedger('2026-10-22');
  });

  it('anomalies: one spike whose evidence names the days its excess covers', async () => {
    const { rows, total_excess_usd } = await anomalies(db);
    expect(rows).toHaveLength(1);
    const a = rows[0]!;
    // 3 days (10-20 to 10-22) at $10.50 against $3.50: 3 × $7.00 = $21.00.
    expect([a.kind, a.since, a.until, a.excess_usd, total_excess_usd]).toEqual(['spike', '2026-10-20', '2026-10-22', 21, 21]);
    expect(a.evidence).toBe('2026-10-20 spent $10.50 against a weekday baseline of $3.50 (×3.0, robust z 22.0); 3 days from 2026-10-20 to 2026-10-22, $21.00 over that baseline in all');
  });

  it('insights: the title gives the incident its days, not the first alone; its $ is its excess', async () => {
    const spend = await spendInsights(db);
    expect(spend.map((i) => [i.title, i.impact_usd_per_month])).toEqual([['spike in search from 2026-10-20 to 2026-10-22', 21]]);
  });
});

describe('spend that steps up and stays up to the last day', () => {
  let db: string;
  beforeAll(async () => {
    db = await steppedLedger('2026-10-31');
  });

  it('anomalies: a level shift from its first day, with its excess so far', async () => {
    const { rows } = await anomalies(db);
    expect(rows).toHaveLength(1);
    const a = rows[0]!;
    // 12 days (10-20 to 10-31) at $10.50 against $3.50: 12 × $7.00 = $84.00.
    expect([a.kind, a.since, a.until, a.excess_usd]).toEqual(['level_shift', '2026-10-20', '2026-10-31', 84]);
    expect(a.evidence).toBe('spend held above its baseline from 2026-10-20 (×3.00 on 2026-10-20, robust z 22.0; flagged 12 days to 2026-10-31, $84.00 over that baseline so far)');
  });

  it('insights: it goes on, so its monthly $ is its excess a day so far times 30', async () => {
    const spend = await spendInsights(db);
    // $84.00 over 12 days = $7.00 a day, × 30 = $210.00 a month.
    expect(spend.map((i) => [i.title, i.impact_usd_per_month])).toEqual([['level shift in search since 2026-10-20', 210]]);
  });
});
