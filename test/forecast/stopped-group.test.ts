// `forecast --where` on a group that stopped spending: the history runs to the last day the
// ledger has (the days since are days of $0 for it), not to the group's own last day, so
// the forecast is not of a month long past and does not carry on its old level.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const DAY_MS = 86_400_000;

describe('forecast --where on a group that stopped', () => {
  const dir = tempDir();
  const db = join(dir, 'ledger.db');
  beforeAll(async () => {
    // Feature live billed $1.00 a day 2026-10-02 to 2026-11-30; feature old $5.00 a day
    // 2026-10-02 to 2026-10-31, then nothing.
    const lines: string[] = [];
    for (let t = Date.parse('2026-10-02T00:00:00Z'); t <= Date.parse('2026-11-30T00:00:00Z'); t += DAY_MS) {
      const ts = new Date(t).toISOString();
      lines.push(JSON.stringify({ id: `live-${ts}`, ts, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: 10, feature: 'live' }));
      if (ts < '2026-11-01') lines.push(JSON.stringify({ id: `old-${ts}`, ts, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '5.00', requests: 10, feature: 'old' }));
    }
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'bill.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('reads November as 30 days of $0 for it and forecasts from 2026-12-01, as --by feature does', async () => {
    const r = await runCli(['forecast', '--db', db, '--where', 'feature=old', '--until', '2026-12-01', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Before, the history ended on 2026-10-31 and the forecast ran 2026-11-01 to 2026-11-30 at $5.00 a day: $150.
    expect([j.history_since, j.history_until, j.forecast_since]).toEqual(['2026-10-02', '2026-11-30', '2026-12-01']);
    expect(j.total.history.slice(-30)).toEqual(Array.from({ length: 30 }, () => 0));
    const all = JSON.parse((await runCli(['forecast', '--db', db, '--by', 'feature', '--until', '2026-12-01', '--format', 'json'])).stdout);
    expect(j.rows[0].p50_cost_usd).toBe(all.rows.find((x: { feature: string }) => x.feature === 'old').p50_cost_usd);
  });
});
