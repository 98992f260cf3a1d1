// A ledger filled by daily imports lags a day or three behind today (exports arrive late):
// the days not imported yet are unknown, not days of $0, so a budget's trajectory forecasts
// them rather than reading them as a drop to nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { periodWindow } from '../../src/budgets/budget-period.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { budgetStatuses, budgetTrajectory } from '../../src/forecast/budget-trajectory.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { runCli, tempDir } from '../helpers/cli.js';

const DAY_MS = 86_400_000;

/** A ledger of feature c billed $2.00 a day for `days` days (60 by default), the last on `lastDay`. */
async function ledgerThrough(lastDay: string, days = 60): Promise<LedgerStore> {
  const dir = tempDir();
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  const lines = Array.from({ length: days }, (_, i) => {
    const ts = new Date(end - (days - 1 - i) * DAY_MS).toISOString();
    return JSON.stringify({ id: `c-${i}`, ts, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '2.00', requests: 100, feature: 'c' });
  });
  writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  expect((await runCli(['import', '--db', db, join(dir, 'bill.jsonl')])).code).toBe(0);
  return openLedger(db);
}

const budget = (period: BudgetConfig['period'], limit: number) => ({ name: 'c', scope: { feature: 'c' }, period, timezone: 'UTC', limit_usd: limit, soft_limit_percent: 80, action: 'alert' }) as unknown as BudgetConfig;

describe('budget trajectory on a ledger that lags behind today', () => {
  let pricer: Pricer;
  beforeAll(async () => {
    pricer = new Pricer(await PriceCatalogue.load());
  });
  const ledgers: LedgerStore[] = [];
  afterAll(async () => {
    for (const l of ledgers) await l.close();
  });

  describe('imported through 2026-11-28, judged on 2026-12-01 at 12:00 UTC', () => {
    let ledger: LedgerStore;
    beforeAll(async () => {
      ledger = await ledgerThrough('2026-11-28');
      ledgers.push(ledger);
    });

    it('December: all 31 days forecast at $2.00 (today whole: none of it is recorded) = $62.00, past $50 on 2026-12-26', async () => {
      const now = new Date('2026-12-01T12:00:00Z');
      const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('monthly', 50), periodWindow('monthly', now), 0, now);
      // Before, 2026-11-29 and 2026-11-30 read as $0 days: P50 $27.51 and a 0% breach.
      expect(t.p50).toBeCloseTo(62, 6);
      expect(t.breach_probability).toBe(1);
      // $2.00 a day from 2026-12-01 passes $50 on the 26th day.
      expect(t.breach_date_p50).toBe('2026-12-26');
    });

    it('a week from Monday 2026-11-30: the unimported Monday and today forecast too, 7 × $2.00 = $14.00', async () => {
      const now = new Date('2026-12-01T12:00:00Z');
      const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('weekly', 10), periodWindow('weekly', now), 0, now);
      expect(t.p50).toBeCloseTo(14, 6);
      // Monday $2, Tuesday $4, … Friday $10, Saturday $12 > $10.
      expect(t.breach_date_p50).toBe('2026-12-05');
    });
  });

  it('imported through yesterday: today counts whole, 31 × $2.00 = $62.00 (not 30.5 days)', async () => {
    const ledger = await ledgerThrough('2026-11-30');
    ledgers.push(ledger);
    const now = new Date('2026-12-01T12:00:00Z');
    const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('monthly', 100), periodWindow('monthly', now), 0, now);
    expect(t.p50).toBeCloseTo(62, 6);
  });

  it('a run rate (8 days of history) counts only the days recorded: 8 days imported of 10.5 elapsed', async () => {
    // $2.00 a day 2026-12-01..08, judged 2026-12-11 12:00 UTC: $16.00 spent in the 8 days
    // recorded. Over all 10.5 elapsed days the run rate said 16 × 31 / 10.5 = $47.238… and
    // no breach of $50; over the 8 recorded days it is 16 × 31 / 8 = $62.00, crossing $50 at
    // 50 / 16 × 8 = 25 days after Dec 1.
    const ledger = await ledgerThrough('2026-12-08', 8);
    ledgers.push(ledger);
    const now = new Date('2026-12-11T12:00:00Z');
    const [s] = await budgetStatuses(ledger, new Attributor([]), pricer, [budget('monthly', 50)], now);
    expect(s).toMatchObject({ spent_usd: 16, projected_usd: 62, breach_at: '2026-12-26T00:00:00.000Z', projection_method: 'run-rate' });
    // END P50 is the same run rate: $16 + $2 × (2 unrecorded days + today + 20 days left).
    expect(s!.projected_p50_usd).toBe(62);
    expect(s!.breach_date_p50).toBe('2026-12-26');
  });

  it('a run rate with nothing recorded in the period yet is the history\'s, not $0: a new month on a ledger imported through yesterday', async () => {
    // $2.00 a day 2026-11-23..30 (8 days), judged 2026-12-01 12:00 UTC: December has no
    // recorded time, so its own run rate is 0 / 0. Read as $0 it said END P50 $0.00 and no
    // breach; the last week's run rate gives 31 × $2.00 = $62.00, past $50 on the 26th day.
    const ledger = await ledgerThrough('2026-11-30', 8);
    ledgers.push(ledger);
    const now = new Date('2026-12-01T12:00:00Z');
    const rows = await budgetStatuses(ledger, new Attributor([]), pricer, [budget('monthly', 50), { ...budget('daily', 1.5), name: 'c-daily' }], now);
    const [monthly, daily] = ['c', 'c-daily'].map((name) => rows.find((r) => r.name === name));
    expect(monthly).toMatchObject({ name: 'c', spent_usd: 0, projected_p50_usd: 62, projected_p90_usd: 62, breach_date_p50: '2026-12-26', projection_method: 'run-rate' });
    // Today, not recorded yet, is a whole $2.00 day: past the $1.50 daily limit today.
    expect(daily).toMatchObject({ name: 'c-daily', spent_usd: 0, projected_p50_usd: 2, projected_p90_usd: 2, breach_date_p50: '2026-12-01', projection_method: 'run-rate' });
  });
});
