/** Open anomalies and budgets past or heading past their limit, as insights (their $ is what is at stake). */
import { usdPerMonth, type InsightFinder, type Draft } from '../insight.js';
import { Dec, dec, formatUsd, roundUsd } from '../../shared/money.js';
import { countNoun } from '../../shared/count-noun.js';
import type { Anomaly } from '../../anomalies/anomaly.js';
import type { BudgetStatus } from '../../budgets/budget-status.js';

/**
 * `creep in doc-qa since 2026-10-04`: the day tells two incidents of one scope apart (a
 * prompt that grew twice is two rows). Trace anomalies name their trace instead.
 */
function anomalyTitle(a: Anomaly): string {
  const what = `${a.kind.replace('_', ' ')} in ${Object.values(a.dims).join(' · ')}`;
  if (a.dims.trace !== undefined) return what;
  if (a.kind === 'spike' && a.until.slice(0, 10) > a.since.slice(0, 10)) return `${what} from ${a.since.slice(0, 10)} to ${a.until.slice(0, 10)}`;
  return `${what} ${a.kind === 'spike' ? 'on' : 'since'} ${a.since.slice(0, 10)}`;
}

const DAY_MS = 86_400_000;

/** What to do about each kind. A trace is one run: a budget cannot be set on it, but its agent can cap it. */
const ACTIONS: Record<Anomaly['kind'], string> = {
  agent_loop: 'fix the failing tool call and cap repeats in the agent (or block loops in the proxy)',
  creep: 'find what grew the prompts (context, retrieval, history) and trim it',
  runaway_session: "cap the agent's steps or spend per session, and find what kept this one going",
  spike: 'check what changed on that day; set a budget with an alert on this scope',
  level_shift: 'check what changed on that day; set a budget with an alert on this scope',
};

/**
 * What an anomaly costs a month. A level shift or a creep runs to the last day the
 * detector read and goes on: its excess a day so far, over 30 days, is its monthly cost
 * (its excess so far would rank a shift found on its third day below a one-day spike). A
 * spike, a runaway session or a loop is one event: what was at stake is its excess.
 */
export function anomalyMonthlyImpact(a: Anomaly): { usd: number; days: number | null } {
  if (a.kind !== 'level_shift' && a.kind !== 'creep') return { usd: a.excess_usd, days: null };
  const days = Math.round((Date.parse(a.until.slice(0, 10)) - Date.parse(a.since.slice(0, 10))) / DAY_MS) + 1;
  if (!(days >= 1)) return { usd: a.excess_usd, days: null };
  return { usd: usdPerMonth(a.excess_usd, days), days };
}

/**
 * A budget period's overrun as a month's (30 days): a daily budget's × 30, a weekly one's
 * × 30/7, a monthly one's as it is. Its days, not a float factor: usdPerMonth scales in decimal.
 */
const PERIODS_PER_MONTH: Record<BudgetStatus['period'], { days: number; word: string | null }> = {
  daily: { days: 1, word: 'day' },
  weekly: { days: 7, word: 'week' },
  monthly: { days: 30, word: null },
};

/**
 * A budget already spent past its limit in the current period: no longer a risk but money
 * spent that should not have been, so High whatever its size (a $5 overspend in a $50,000
 * month is still a broken promise), worth the overspend itself, not a projection.
 */
function overspend(b: BudgetStatus): Draft | null {
  // In decimal, not float: $37.255 − $30 is $7.255, to the cent $7.26.
  const over = roundUsd(dec(b.spent_usd).sub(b.limit_usd));
  if (!(b.spent_usd > b.limit_usd) || over <= 0) return null;
  const periods = PERIODS_PER_MONTH[b.period];
  const per = periods.word ? ` a ${periods.word}` : '';
  return {
    kind: 'budget_risk',
    title: `budget ${b.name} over its ${formatUsd(b.limit_usd)}${per} limit`,
    impact_usd_per_month: over,
    action: `cut the spend behind ${b.name} or raise its limit: its period runs until ${b.period_end.slice(0, 10)}`,
    effort: 'Low',
    priority: 'High',
    scope: { budget: b.name },
    evidence: `spent ${formatUsd(b.spent_usd)} of ${formatUsd(b.limit_usd)} since ${b.period_start.slice(0, 10)}: ${formatUsd(over)} over; P50 period end ${formatUsd(b.projected_p50_usd)}`,
  };
}

export const anomalyRisks: InsightFinder = {
  id: 'anomaly-risks',
  find(input) {
    const out: Draft[] = input.anomalies.map((a) => {
      const impact = anomalyMonthlyImpact(a);
      return {
        kind: 'anomaly',
        title: anomalyTitle(a),
        impact_usd_per_month: impact.usd,
        action: ACTIONS[a.kind],
        effort: 'Low',
        scope: a.dims,
        evidence:
          impact.days === null
            ? `${a.evidence}; ${formatUsd(a.excess_usd)} over what was expected`
            : `${a.evidence}; ${formatUsd(a.excess_usd)} over ${countNoun(impact.days, 'day')} so far is ${formatUsd(impact.usd)} a month while it lasts`,
      };
    });
    for (const b of input.budgets) {
      const overspent = overspend(b);
      if (overspent !== null) {
        out.push(overspent);
        continue;
      }
      const p = b.breach_probability ?? (b.projected_p50_usd > b.limit_usd ? 1 : 0);
      if (b.breached || p < 0.5) continue;
      // The overrun is per budget period; the column is per month (30 days, as the usage is scaled).
      const over = Dec.max(0, dec(b.projected_p50_usd).minus(b.limit_usd));
      const periods = PERIODS_PER_MONTH[b.period];
      const perMonth = usdPerMonth(over, periods.days);
      out.push({
        kind: 'budget_risk',
        title: `budget ${b.name} heading past ${formatUsd(b.limit_usd)}${periods.word ? ` a ${periods.word}` : ''}`,
        impact_usd_per_month: perMonth,
        action: `raise the ${b.name} limit or cut the spend behind it before ${b.breach_date_p50 ?? b.period_end.slice(0, 10)}`,
        effort: 'Low',
        scope: { budget: b.name },
        evidence:
          `P50 period end ${formatUsd(b.projected_p50_usd)}, P90 ${formatUsd(b.projected_p90_usd)}, breach probability ${(p * 100).toFixed(0)}%` +
          (periods.word ? `; ${formatUsd(over)} over each ${periods.word} is ${formatUsd(perMonth)} a month` : ''),
      });
    }
    return out;
  },
};
