// Budgets answered from one read per set of ledger columns (scoped-reports.ts) must get
// exactly what each budget's own report gets, also where the layer rule splits a bill over
// metered rows, and whatever their periods and time zones.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { dayStarts, periodWindow } from '../../src/budgets/budget-period.js';
import { budgetSpends, scopeWhere } from '../../src/budgets/budget-spend.js';
import { scopedReports, type ScopedQuery } from '../../src/budgets/scoped-reports.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { budgetStatusesAndUnpriced } from '../../src/forecast/budget-trajectory.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { buildReport } from '../../src/reports/build-report.js';
import { runCli, tempDir } from '../helpers/cli.js';

const budget = (name: string, scope: Record<string, string>, period: BudgetConfig['period'], limit: number, timezone = 'UTC'): BudgetConfig =>
  ({ name, scope, period, limit_usd: limit, soft_limit_percent: 80, action: 'alert', timezone }) as BudgetConfig;

// October 2026 to the 10th, 12:00 UTC (a Saturday; the week began Monday the 5th).
const NOW = new Date('2026-10-10T12:00:00Z');
const BUDGETS = [
  budget('org', {}, 'monthly', 40),
  budget('team-a', { team: 'a' }, 'monthly', 20),
  budget('team-b-weekly', { team: 'b' }, 'weekly', 10),
  budget('a-x', { team: 'a', feature: 'x' }, 'monthly', 8),
  budget('a-y-new-york', { team: 'a', feature: 'y' }, 'daily', 1.5, 'America/New_York'),
  budget('feature-x', { feature: 'x' }, 'monthly', 30),
  budget('nobody', { team: 'nobody' }, 'monthly', 5),
];

describe('budgets answered from shared reads', () => {
  let ledger: LedgerStore;
  let pricer: Pricer;
  const attributor = new Attributor([]);
  beforeAll(async () => {
    pricer = new Pricer(await PriceCatalogue.load());
    // Metered rows from Sep 1 to Oct 10, at 06:00 UTC: (a, x) $1.00, (a, y) $2.00 and (b, x)
    // $3.00 a day, and a bill of $3.00 a day in October: October's $30.00 billed against
    // $60.00 metered, so the layer rule gives each metered row half of its cost.
    const lines: string[] = [];
    const days = [...Array.from({ length: 30 }, (_, i) => `2026-09-${String(i + 1).padStart(2, '0')}`), ...Array.from({ length: 10 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`)];
    for (const day of days) {
      // gpt-4o input at $2.50 per 1M tokens: 400,000 tokens are $1.00.
      for (const [team, feature, tokens] of [['a', 'x', 400_000], ['a', 'y', 800_000], ['b', 'x', 1_200_000]] as const) {
        lines.push(JSON.stringify({ id: `m-${day}-${team}-${feature}`, ts: `${day}T06:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'metered', requests: 10, input_tokens: tokens, output_tokens: 0, team, feature }));
      }
      if (day.startsWith('2026-10')) lines.push(JSON.stringify({ id: `b-${day}`, ts: `${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '3.00', requests: 0 }));
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'ledger.db');
    expect((await runCli(['import', '--db', db, join(dir, 'usage.jsonl')])).code).toBe(0);
    ledger = await openLedger(db);
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('spends what each budget spent, read with scopes of other teams, periods and zones', async () => {
    const spends = await budgetSpends(ledger, attributor, BUDGETS, NOW);
    // Half of each metered row: org 10 days × $6 / 2; team a 10 × $3 / 2; team b Mon 5 to
    // Sat 10, 6 × $3 / 2; (a, x) 10 × $1 / 2; (a, y) in New York's day from 04:00 UTC, the
    // 10th's row only, $2 / 2; feature x 10 × $4 / 2.
    expect(spends.map((s) => s.spentTicks)).toEqual([30_00n, 15_00n, 9_00n, 5_00n, 1_00n, 20_00n, 0n].map((cents) => cents * 100_000_000n));
  });

  it('gives each budget the sums of its own report, for the periods spent and for the histories', async () => {
    const spendQueries: ScopedQuery[] = BUDGETS.map((b) => {
      const w = periodWindow(b.period, NOW, b.timezone);
      return { where: scopeWhere(b), since: w.start.toISOString(), until: NOW.toISOString(), dayStart: dayStarts(w.start, NOW, b.timezone) };
    });
    // Histories of different lengths over whole days: one read spans them all.
    const historyQueries: ScopedQuery[] = BUDGETS.map((b, i) => ({ where: scopeWhere(b), since: `2026-09-${String(1 + i * 3).padStart(2, '0')}T00:00:00.000Z`, until: '2026-10-10T00:00:00.000Z' }));
    const reads: [string[], ScopedQuery[]][] = [
      [[], spendQueries],
      [['provider', 'model', 'day'], historyQueries],
    ];
    for (const [by, queries] of reads) {
      const shared = await scopedReports(ledger, attributor, by, queries);
      for (const [i, q] of queries.entries()) {
        const own = await buildReport(ledger, attributor, { by, where: q.where, since: q.since, until: q.until, basis: 'default', sort: 'name', ...(q.dayStart !== undefined ? { dayStart: q.dayStart } : {}) });
        expect(shared[i]!.total).toEqual(own.total_sums);
        expect(shared[i]!.rows).toEqual(own.rows.map((r, j) => ({ dims: Object.fromEntries(by.map((d) => [d, r[d]])), sums: own.row_sums[j] })));
      }
    }
  });

  it('judges every budget as it judges it alone', async () => {
    const together = await budgetStatusesAndUnpriced(ledger, attributor, pricer, BUDGETS, NOW);
    for (const b of BUDGETS) {
      const alone = await budgetStatusesAndUnpriced(ledger, attributor, pricer, [b], NOW);
      expect(together.rows.find((r) => r.name === b.name)).toEqual(alone.rows[0]);
      expect(together.unpricedRows.get(b.name)).toBe(alone.unpricedRows.get(b.name));
    }
    expect(together.rows.find((r) => r.name === 'team-a')?.spent_usd).toBe(15);
  });
});
