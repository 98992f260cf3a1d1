// A projection computed as budget status computes it, carried to the live spend until the next computation.
import { describe, expect, it } from 'vitest';
import { periodWindow } from '../../../src/budgets/budget-period.js';
import { budgetStatus, type BudgetStatus } from '../../../src/budgets/budget-status.js';
import type { BudgetConfig } from '../../../src/config/config-schema.js';
import { budgetProjection, carryProjection } from '../../../src/tui/data/budget-projection.js';

const USD = 10_000_000_000n;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const CONFIG: BudgetConfig = { name: 'support', scope: { team: 'support' }, period: 'monthly', limit_usd: 290, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' };
const WINDOW = periodWindow('monthly', NOW);

/** The status budget status gave at NOW with $200 spent: P50 $305, P90 $320, crossing $290 on the 29th (P90: the 28th), P(breach) 62%. */
const COMPUTED: BudgetStatus = {
  ...budgetStatus(CONFIG, WINDOW, 200n * USD, NOW),
  projected_p50_usd: 305,
  projected_p90_usd: 320,
  breach_probability: 0.62,
  breach_date_p50: '2026-11-29',
  breach_date_p90: '2026-11-28',
  projection_method: 'forecast',
  selected_method: 'combination',
  price_changes: [],
};

/** top's own status of the live spend (its run rate), as BudgetTracker makes it before the projection is carried to it. */
const live = (spentUsd: number, at = NOW) => budgetStatus(CONFIG, periodWindow('monthly', at), BigInt(spentUsd) * USD, at);

describe('carryProjection', () => {
  it('adds the spend still to come, as computed, to the live spend: $1 spent since moves P50 and P90 by $1, whatever the time since', () => {
    const p = budgetProjection(COMPUTED, 200n * USD);
    // Computed: $200 spent, $105 to come at P50 and $120 at P90. Live, 40 s later: $201.
    const later = new Date(NOW.getTime() + 40_000);
    const s = carryProjection(live(201, later), 201n * USD, p);
    expect([s.spent_usd, s.projected_p50_usd, s.projected_p90_usd]).toEqual([201, 306, 321]);
    // The run rate budget status computed travels the same way: $200 over 19.5 days, 10.5 to come.
    expect(COMPUTED.projected_usd).toBe(307.6923076923);
    expect(s.projected_usd).toBe(308.6923076923);
    expect([s.breach_date_p50, s.breach_date_p90, s.breach_probability, s.projection_method, s.selected_method]).toEqual(['2026-11-29', '2026-11-28', 0.62, 'forecast', 'combination']);
    expect(s.breach_at).toBe(COMPUTED.breach_at);
    // Nothing spent since: the figures computed, to the tick.
    expect(carryProjection(live(200, later), 200n * USD, p)).toMatchObject({ projected_p50_usd: 305, projected_p90_usd: 320, projected_usd: COMPUTED.projected_usd });
  });

  it('once the live spend reaches the limit, no breach is ahead and P(breach) is 1, as budget status says of a spent limit', () => {
    const p = budgetProjection(COMPUTED, 200n * USD);
    const s = carryProjection(live(290), 290n * USD, p);
    expect([s.breached, s.state, s.breach_at, s.breach_date_p50, s.breach_date_p90, s.breach_probability, s.projected_p50_usd]).toEqual([true, 'red', null, null, null, 1, 395]);
    // A run rate has no P(breach): none it stays.
    const runRate = budgetProjection({ ...COMPUTED, breach_probability: null, projection_method: 'run-rate' }, 200n * USD);
    expect(carryProjection(live(290), 290n * USD, runRate).breach_probability).toBeNull();
  });

  it("is no projection of the next period: from the roll-over until it is computed again, top's own run rate stands", () => {
    const p = budgetProjection(COMPUTED, 200n * USD);
    const december = new Date('2026-12-01T00:10:00.000Z');
    const own = live(3, december);
    expect(carryProjection(own, 3n * USD, p)).toEqual(own);
  });
});
