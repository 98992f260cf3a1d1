// A whole-day row (a provider's daily usage bucket, stamped at its UTC day's midnight) is
// money of its date: a budget in a time zone counts it in the period that holds that date's
// midnight there, as it counts a bill's day, while a request or an hour counts at its
// instant. Budget status, forecast, the proxy's seeding and top's bars all read it so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { countedAt } from '../../src/budgets/budget-period.js';
import { budgetSpends } from '../../src/budgets/budget-spend.js';
import { loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { ConfigSchema, type BudgetConfig } from '../../src/config/config-schema.js';
import { budgetStatusesAndUnpriced } from '../../src/forecast/budget-trajectory.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { LiveDashboard } from '../../src/tui/data/live-dashboard.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { testPricer } from '../helpers/import.js';
import { insertRows, type RequestRowInput } from '../tui/helpers/insert-rows.js';

const USD = 10_000_000_000n;
const usd = (cents: number) => (BigInt(cents) * USD) / 100n;

const budget = (name: string, period: BudgetConfig['period'], timezone: string): BudgetConfig => ({ name, scope: {}, period, limit_usd: 10_000, soft_limit_percent: 80, action: 'alert', timezone });
const BUDGETS = [budget('ny-daily', 'daily', 'America/New_York'), budget('ny-monthly', 'monthly', 'America/New_York'), budget('kolkata-daily', 'daily', 'Asia/Kolkata'), budget('kolkata-monthly', 'monthly', 'Asia/Kolkata')];

// OpenAI's usage API day buckets, each day's amount a different digit so a sum names its days.
const DAYS: [string, bigint][] = [
  ['2026-09-30', usd(1)],
  ['2026-10-01', usd(10)],
  ['2026-10-19', usd(100)],
  ['2026-10-20', usd(1_000)],
  ['2026-10-31', usd(10_000)],
  ['2026-11-01', usd(100_000)],
  ['2026-12-01', usd(500_000)],
];
const bucket = (day: string, costTicks: bigint): RequestRowInput => ({ ts: `${day}T00:00:00.000Z`, provider: 'openai', model: 'gpt-4.1-mini', provenance: 'provider_usage', granularity: 'day', requests: 0, costTicks });
const ROWS: RequestRowInput[] = [
  ...DAYS.map(([day, ticks]) => bucket(day, ticks)),
  // The proxy's request at 02:00 UTC on the 20th (22:00 on the 19th in New York): $0.05.
  { ts: '2026-10-20T02:00:00.000Z', costTicks: usd(5) },
  // An hourly bucket from 00:00 UTC on the 20th (20:00 on the 19th in New York): $0.005, at its instant.
  { ts: '2026-10-20T00:00:00.000Z', granularity: 'hour', costTicks: usd(1) / 2n },
];

describe('whole-day usage rows in a budget\'s time zone', () => {
  let dir: string;
  let path: string;
  let ledger: LedgerStore;
  const attributor = new Attributor([]);
  beforeAll(async () => {
    dir = tempDir();
    path = join(dir, 'l.db');
    await (await openLedger(path)).close();
    insertRows(path, ROWS);
    ledger = await openLedger(path);
  });
  afterAll(async () => {
    await ledger.close();
  });

  const spent = async (at: string) => (await budgetSpends(ledger, attributor, BUDGETS, new Date(at))).map((s) => s.spentTicks);

  it('counts a day bucket on its own date in New York, and a request and an hour at their instants', async () => {
    // 23:00 on Oct 19 in New York: the 19th's bucket $1.00, the request $0.05 and the hour
    // $0.005, not the 20th's $10.00; its month Oct 1 and 19 ($1.10) + $0.055. Kolkata is at
    // 08:30 on the 20th: its bucket $10.00 + $0.055; its month, from Sep 30 18:30 UTC, Oct 1,
    // 19 and 20 ($11.10) + $0.055.
    const half = usd(1) / 2n;
    expect(await spent('2026-10-20T03:00:00Z')).toEqual([usd(105) + half, usd(115) + half, usd(1_005) + half, usd(1_115) + half]);
    // 08:00 on Oct 20 in New York: that day's bucket, $10.00 (it read $0 when counted at 00:00 UTC).
    expect((await spent('2026-10-20T12:00:00Z'))[0]).toBe(usd(1_000));
  });

  it('gives a New York month its own 1st\'s bucket and leaves the next month\'s 1st out, across a DST change too', async () => {
    // 22:00 on Oct 31 in New York: Oct 1, 19, 20 and 31 ($111.10) + $0.055; not Sep 30 nor Nov 1.
    // Kolkata is in November (07:30 on the 1st): Nov 1's $1,000.00.
    const [, nyOctober, , kolkataNovember] = await spent('2026-11-01T02:00:00Z');
    expect(nyOctober).toBe(usd(11_110) + usd(5) + usd(1) / 2n);
    expect(kolkataNovember).toBe(usd(100_000));
    // 23:30 on Nov 30 in New York (EST since Nov 1): November starts at 04:00 UTC and ends at
    // 05:00; Dec 1's bucket, whose midnight there is 05:00 UTC, is December's.
    const [, nyNovember, , kolkataDecember] = await spent('2026-12-01T04:30:00Z');
    expect(nyNovember).toBe(usd(100_000));
    expect(kolkataDecember).toBe(usd(500_000));
  });

  it('shows a New York daily budget its own day\'s bucket in budget status at 08:00 there', async () => {
    writeFileSync(join(dir, 'llmfin.yaml'), `ledger: { path: l.db }\nbudgets:\n  - { name: ny-daily, period: daily, limit_usd: 100, timezone: America/New_York }\n`);
    const r = await runCli(['budget', 'status', '--at', '2026-10-20T08:00:00-04:00', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect([row.period_start, row.spent_usd]).toEqual(['2026-10-20T04:00:00.000Z', 10]);
  });

  it('reads the same spend in budget status and forecast, in the proxy\'s seed and in top\'s bars', async () => {
    const at = new Date('2026-10-20T12:00:00Z');
    const expected = await budgetSpends(ledger, attributor, BUDGETS, at);
    // budget status and forecast (their budget trajectories).
    const statuses = await budgetStatusesAndUnpriced(ledger, attributor, new Pricer(await PriceCatalogue.load()), BUDGETS, at);
    // New York's day $10.00; its month and Kolkata's Oct 1, 19, 20 + $0.055; Kolkata's day $10.055.
    expect(BUDGETS.map((b) => statuses.rows.find((r) => r.name === b.name)!.spent_usd)).toEqual([10, 11.155, 10.055, 11.155]);
    // The proxy's budget guard, seeded from the ledger.
    const guard = await loadBudgetGuard(ledger, ConfigSchema.parse({ budgets: BUDGETS }), { now: () => at });
    expect(guard.snapshot().map((s) => s.spentTicks)).toEqual(expected.map((s) => s.spentTicks));
    // top: seeded from the ledger, then a metered day bucket arriving for the 20th ($0.30)
    // counts in both zones' days, and an hour from 00:00 UTC on the 20th ($0.70) in
    // Kolkata's only (it is 20:00 on the 19th in New York); both in the months.
    const readOnly = await openLedger(path, { readonly: true, create: false });
    try {
      const dash = await LiveDashboard.start({ ledger: readOnly, budgets: BUDGETS, attributor, pricer: await testPricer(), groupBy: 'team', now: () => at.getTime() });
      const bars = () => dash.snapshot({ groupBy: 'team', filter: '' }).budgets.map((b) => b.spent_usd);
      expect(bars()).toEqual([10, 11.155, 10.055, 11.155]);
      insertRows(path, [
        { ts: '2026-10-20T00:00:00.000Z', granularity: 'day', requests: 0, costTicks: usd(30) },
        { ts: '2026-10-20T00:00:00.000Z', granularity: 'hour', requests: 0, costTicks: usd(70) },
      ]);
      await dash.poll();
      expect(bars()).toEqual([10.3, 12.155, 11.055, 12.155]);
      expect((await budgetSpends(ledger, attributor, BUDGETS, at)).map((s) => Number(s.spentTicks) / 1e10)).toEqual(bars());
    } finally {
      await readOnly.close();
    }
  });

  it('counts a row at its date\'s midnight in the zone only when it is a whole day stamped at UTC midnight', () => {
    expect(new Date(countedAt('2026-10-20T00:00:00.000Z', 'day', 'America/New_York')).toISOString()).toBe('2026-10-20T04:00:00.000Z');
    expect(new Date(countedAt('2026-12-01T00:00:00.000Z', 'month', 'America/New_York')).toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(new Date(countedAt('2026-10-20T00:00:00.000Z', 'day', 'Asia/Kolkata')).toISOString()).toBe('2026-10-19T18:30:00.000Z');
    expect(new Date(countedAt('2026-10-20T00:00:00.000Z', 'hour', 'America/New_York')).toISOString()).toBe('2026-10-20T00:00:00.000Z');
    expect(new Date(countedAt('2026-10-20T07:00:00.000Z', 'day', 'America/New_York')).toISOString()).toBe('2026-10-20T07:00:00.000Z');
  });
});
