// A budget in a time zone counts a whole-day row (a daily usage bucket, stamped at its UTC
// midnight) whole on its date there (budget-period.ts countedAt). Its run rate and forecast
// must count the days still to come the same way: timed from the UTC midnight after the
// record, a New York month counted the four hours between the two midnights twice (once in
// the bucket spent, once more in the forecast) and Tokyo left nine hours out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  name: string;
  period_start: string;
  spent_usd: number;
  projected_usd: number;
  breach_at: string | null;
  projected_p50_usd: number;
  projected_p90_usd: number;
  breach_date_p50: string | null;
  breach_date_p90: string | null;
}

/** $10.00 billed for each UTC day from `from` to `to` (inclusive), as a provider's daily export: one whole-day row a day. */
function days(from: string, to: string, usd = '10.00'): string {
  const lines: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    lines.push(JSON.stringify({ id: `d-${day}`, ts: `${day}T00:00:00Z`, granularity: 'day', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: usd, requests: 0 }));
  }
  return lines.join('\n') + '\n';
}

const BUDGETS = `budgets:
  - { name: ny, limit_usd: 255, timezone: America/New_York }
  - { name: tokyo, limit_usd: 255, timezone: Asia/Tokyo }
  - { name: utc, limit_usd: 255 }
  - { name: ny-day, period: daily, limit_usd: 100, timezone: America/New_York }
  - { name: tokyo-day, period: daily, limit_usd: 100, timezone: Asia/Tokyo }
`;

describe('a whole-day ledger under budgets in time zones', () => {
  const dir = tempDir();
  const partial = tempDir();
  beforeAll(async () => {
    // September 1 to October 14: 44 days of $10.00, the export imported on the 15th.
    writeFileSync(join(dir, 'days.jsonl'), days('2026-09-01', '2026-10-14'));
    writeFileSync(join(dir, 'llmfin.yaml'), `ledger: { path: l.db }\n${BUDGETS}`);
    expect((await runCli(['import', 'days.jsonl'], { cwd: dir })).code).toBe(0);
    // The same, and the 15th's bucket so far: $5.00 by 12:00 UTC, half its day.
    writeFileSync(join(partial, 'days.jsonl'), days('2026-09-01', '2026-10-14') + days('2026-10-15', '2026-10-15', '5.00'));
    writeFileSync(join(partial, 'llmfin.yaml'), `ledger: { path: l.db }\n${BUDGETS}`);
    expect((await runCli(['import', 'days.jsonl'], { cwd: partial })).code).toBe(0);
  });

  const status = async (at: string, cwd = dir): Promise<Record<string, Row>> => {
    const r = await runCli(['budget', 'status', '--at', at, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries((JSON.parse(r.stdout) as { rows: Row[] }).rows.map((row) => [row.name, row]));
  };
  const projection = (row: Row) => [row.spent_usd, row.projected_usd, row.projected_p50_usd, row.projected_p90_usd];

  it('projects each month to its 31 buckets in every zone: $140 spent + 17 days × $10 = $310', async () => {
    // 12:00 UTC on the 15th: 08:00 in New York, 21:00 in Tokyo, October everywhere. Spent is
    // the buckets of 1–14 October ($140.00) in each zone; what is to come is the buckets of
    // 15–31 October, 17 × $10.00 = $170.00, whatever the zone: $310.00, the month's 31 buckets.
    // Before, New York ran its rate over 13 5/6 days from 04:00 UTC on the 1st and forecast to
    // 04:00 UTC on 1 November: $140 + $140 × 17 1/6 / 13 5/6 = $313.73 and $140 + $171.67 =
    // $311.67; Tokyo over 14 3/8 days from 15:00 UTC on 30 September to 15:00 UTC on the 31st:
    // $140 + $140 × 16 5/8 / 14 3/8 = $301.91 and $140 + $166.25 = $306.25.
    const rows = await status('2026-10-15T12:00:00Z');
    for (const name of ['ny', 'tokyo', 'utc']) expect(projection(rows[name]!), name).toEqual([140, 310, 310, 310]);
    expect(rows.ny!.period_start).toBe('2026-10-01T04:00:00.000Z');
    expect(rows.tokyo!.period_start).toBe('2026-09-30T15:00:00.000Z');
  });

  it('dates the breach on the bucket that crosses the limit, at its hour in the zone', async () => {
    // $255 - $140 = $115 at $10.00 a day: 11.5 buckets after the 14th's, half-way through the
    // 26th's — noon on 26 October in each zone: 16:00 UTC in New York, 03:00 UTC in Tokyo.
    const rows = await status('2026-10-15T12:00:00Z');
    expect([rows.ny!.breach_at, rows.tokyo!.breach_at, rows.utc!.breach_at]).toEqual(['2026-10-26T16:00:00.000Z', '2026-10-26T03:00:00.000Z', '2026-10-26T12:00:00.000Z']);
    // The P50 path passes $255 with the 26th's bucket ($140 + 12 × $10 = $260).
    for (const name of ['ny', 'tokyo', 'utc']) expect([rows[name]!.breach_date_p50, rows[name]!.breach_date_p90], name).toEqual(['2026-10-26', '2026-10-26']);
  });

  it('a New York day whose bucket is recorded is spent, with nothing more to come', async () => {
    // 02:00 UTC on the 15th is 22:00 on the 14th in New York: its day holds the 14th's
    // bucket, $10.00, recorded whole. Before: the four hours from 00:00 UTC on the 15th to
    // midnight there were forecast again ($10 × 4/24 = $1.67: $11.67), and the run rate put
    // $10 over the 20 hours from 04:00 UTC ($10 + $10 × 4/20 = $12.00).
    const rows = await status('2026-10-15T02:00:00Z');
    expect(rows['ny-day']!.period_start).toBe('2026-10-14T04:00:00.000Z');
    expect(projection(rows['ny-day']!)).toEqual([10, 10, 10, 10]);
  });

  it('a Tokyo day whose bucket is not recorded yet is forecast whole', async () => {
    // 12:00 UTC on the 15th is 21:00 on the 15th in Tokyo: its day is the 15th's bucket, not
    // imported yet ($0 spent), forecast as one $10.00 day. Before, only the 15 hours of the
    // UTC 15th inside Tokyo's day were forecast ($6.25): the nine from 15:00 UTC on the 14th
    // (its midnight) to 00:00 UTC, which the 14th's bucket does not hold there, were left out.
    const rows = await status('2026-10-15T12:00:00Z');
    expect(rows['tokyo-day']!.period_start).toBe('2026-10-14T15:00:00.000Z');
    expect(projection(rows['tokyo-day']!)).toEqual([0, 0, 10, 10]);
    // 20:00 UTC, 05:00 on the 16th in Tokyo: the 16th's bucket, $10.00 to come.
    expect(projection((await status('2026-10-15T20:00:00Z'))['tokyo-day']!)).toEqual([0, 0, 10, 10]);
  });

  it('forecasts the rest of a bucket recorded so far once: $145 spent + $5 + 16 × $10 = $310', async () => {
    // With the 15th's bucket at $5.00 by 12:00 UTC, its half day to come and the 16 buckets
    // of 16–31 October: $145 + $5 + $160 = $310.00; the run rate, $145 over 14.5 days of
    // buckets, the same. Before, New York: $313.60 by the run rate, $145 + $5 + $161.67 = $311.67
    // by the forecast.
    const rows = await status('2026-10-15T12:00:00Z', partial);
    for (const name of ['ny', 'tokyo', 'utc']) expect(projection(rows[name]!), name).toEqual([145, 310, 310, 310]);
  });

  it('forecast shows the same budget projection as budget status', async () => {
    const r = await runCli(['forecast', '--until', '2026-10-15T12:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const budgets = (JSON.parse(r.stdout) as { budgets: Row[] }).budgets;
    expect(budgets.filter((b) => b.name !== 'ny-day' && b.name !== 'tokyo-day').map((b) => [b.name, ...projection(b)])).toEqual([
      ['ny', 140, 310, 310, 310],
      ['tokyo', 140, 310, 310, 310],
      ['utc', 140, 310, 310, 310],
    ]);
  });
});
