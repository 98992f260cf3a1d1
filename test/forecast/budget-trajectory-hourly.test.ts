// An hourly export's record of today ends with its last bucket's hour, not at the moment
// judged: read at 15:00 with its last bucket 10:00–11:00, the hours 11:00–15:00 are not
// recorded yet. Before, they were in no spent (no rows) and in no projection either (today's
// remainder started at 15:00, and the run rate divided by the time to 15:00): a $24 day
// projected $20 (P50) and $17.60 (run rate). A request-level record (the proxy, live) still
// runs to the moment judged.
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
  projected_p90_usd: number;
  breach_date_p50: string | null;
}

/** $1.00 an hour from 2026-10-01 00:00 to the hour starting `last` (2026-10-20 10:00): as hour buckets, or as one request at :30 of each hour. */
function hours(granularity: 'hour' | 'request', last = '2026-10-20T10:00:00Z'): string {
  const lines: string[] = [];
  for (let t = Date.parse('2026-10-01T00:00:00Z'), i = 0; t <= Date.parse(last); t += 3_600_000, i++) {
    const ts = new Date(granularity === 'hour' ? t : t + 1_800_000).toISOString();
    lines.push(JSON.stringify({ id: `h${i}`, ts, granularity, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: granularity === 'hour' ? 0 : 1 }));
  }
  return lines.join('\n') + '\n';
}

const BUDGETS = `budgets:
  - { name: day, period: daily, limit_usd: 20 }
  - { name: month, limit_usd: 1000 }
`;

describe('an hourly export whose last hour ends before the moment judged', () => {
  const hourly = tempDir();
  const live = tempDir();
  beforeAll(async () => {
    for (const [dir, granularity] of [[hourly, 'hour'], [live, 'request']] as const) {
      writeFileSync(join(dir, 'rows.jsonl'), hours(granularity));
      writeFileSync(join(dir, 'llmfin.yaml'), `ledger: { path: l.db }\n${BUDGETS}`);
      expect((await runCli(['import', 'rows.jsonl'], { cwd: dir })).code).toBe(0);
    }
  });

  const status = async (cwd: string) => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-20T15:00:00Z', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: Row[]; recorded_until: Record<string, string> };
    return { rows: Object.fromEntries(out.rows.map((row) => [row.name, row])), recordedUntil: out.recorded_until };
  };

  it('forecasts 11:00–15:00 with the rest of the day: $11 spent + 13 h × $1 = $24', async () => {
    const { rows, recordedUntil } = await status(hourly);
    // The day: $11.00 spent (00:00–11:00); 13 hours to come at the forecast's $24 a day: $24.00.
    // The run rate: $11 over the 11 hours recorded, $1 an hour for 13 more: $24.00.
    const day = rows.day!;
    expect([day.spent_usd, day.projected_usd, day.projected_p50_usd, day.projected_p90_usd]).toEqual([11, 24, 24, 24]);
    // The month: 19 × $24 + $11 = $467.00 spent; 13 hours and 11 days to come: $744.00 = 31 × $24.
    // Before: $467 + 9/24 × $24 + 11 × $24 = $740.00, and the run rate $467 × 744 / 471 = $737.68.
    const month = rows.month!;
    expect([month.spent_usd, month.projected_usd, month.projected_p50_usd, month.projected_p90_usd]).toEqual([467, 744, 744, 744]);
    expect(recordedUntil).toEqual({ openai: '2026-10-20T11:00:00.000Z' });
  });

  it('dates a breach from where the record ends: $9 more at $1 an hour from 11:00 is 20:00', async () => {
    // Before: $11 over 15 hours ($0.7333 an hour) from 15:00 reached $20 after midnight: no breach.
    const day = (await status(hourly)).rows.day!;
    expect(day.breach_at).toBe('2026-10-20T20:00:00.000Z');
    expect(day.breach_date_p50).toBe('2026-10-20');
  });

  it('a record of requests still runs to the moment judged', async () => {
    const { rows, recordedUntil } = await status(live);
    // The proxy records live: 11:00–15:00 had no requests, $0. $11 + 9/24 × $24 = $20.00 (P50);
    // the run rate $11 over 15 hours × 24 = $17.60.
    const day = rows.day!;
    expect([day.spent_usd, day.projected_usd, day.projected_p50_usd]).toEqual([11, 17.6, 20]);
    expect(recordedUntil).toEqual({ openai: '2026-10-20T15:00:00.000Z' });
  });
});

// The same when the last bucket is an earlier day's: an hourly export whose last hour is
// 2026-10-19 10:00–11:00, judged at 15:00 on the 20th, has not recorded the 19th's 11:00–24:00
// either. Read as recorded, those 13 hours were $0: the 19th an $11 day in the history and
// the run rate $443 over 19 whole days.
describe('an hourly export whose last hour is on an earlier day', () => {
  const dir = tempDir();
  beforeAll(async () => {
    writeFileSync(join(dir, 'rows.jsonl'), hours('hour', '2026-10-19T10:00:00Z'));
    writeFileSync(join(dir, 'llmfin.yaml'), `ledger: { path: l.db }\n${BUDGETS}  - { name: tight, limit_usd: 700 }\n`);
    expect((await runCli(['import', 'rows.jsonl'], { cwd: dir })).code).toBe(0);
  });

  const status = async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-20T15:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: Row[]; recorded_until: Record<string, string> };
    return { rows: Object.fromEntries(out.rows.map((row) => [row.name, row])), recordedUntil: out.recorded_until };
  };

  it('forecasts the 19th\'s 11:00–24:00 with the days to come: $443 + 13 h + 12 days × $24 = $744', async () => {
    const { rows, recordedUntil } = await status();
    // Spent 18 × $24 + $11 = $443.00. P50: the 18 whole days' $24 a day, for the 19th's 13
    // hours left ($13.00), the 20th whole ($24.00) and the 21st–31st ($264.00): $744.00.
    // The run rate: $443 over the 443 hours to 2026-10-19 11:00, $1 an hour × 744 hours = $744.00.
    // Before: P50 $711.21 (the 19th an $11 day pulled the forecast down) and the run rate
    // $443 × 744 / 456 = $722.79.
    const month = rows.month!;
    expect([month.spent_usd, month.projected_usd, month.projected_p50_usd, month.projected_p90_usd]).toEqual([443, 744, 744, 744]);
    // Nothing of the 20th is recorded: its whole day at $24.00 (before $22.92).
    const day = rows.day!;
    expect([day.spent_usd, day.projected_p50_usd, day.projected_p90_usd]).toEqual([0, 24, 24]);
    expect(recordedUntil).toEqual({ openai: '2026-10-19T11:00:00.000Z' });
  });

  it('dates the run rate\'s breach from the last hour\'s end: $257 more at $1 an hour from the 19th 11:00', async () => {
    const tight = (await status()).rows.tight!;
    // 2026-10-19 11:00 + 257 h = 2026-10-30 04:00. Before: $443 over 456 hours from the 20th's midnight, 2026-10-31 00:32.
    expect(tight.breach_at).toBe('2026-10-30T04:00:00.000Z');
    // P50: $443 + $13 (the 19th) = $456, + $24 a day: $696 after the 29th, $720 after the 30th.
    expect(tight.breach_date_p50).toBe('2026-10-30');
  });
});
