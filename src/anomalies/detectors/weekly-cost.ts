/**
 * Cost per customer creeping week over week (issue 7's second unit metric). Daily spend
 * of one customer is too sparse and lumpy for the daily scans; a week smooths it. When
 * the report is grouped by customer, each customer's last full 7 days are compared with
 * the median of the four weeks before; a ratio past `weeklyRatio` with at least the
 * minimum $ impact is an alert. Grouped otherwise, this detector stays quiet: the daily
 * spend scans already cover teams and features.
 */
import { formatUsd, roundUsd, ticksToUsd } from '../../shared/money.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { medianUsd } from '../median-usd.js';

const WEEK = 7;
const HISTORY_WEEKS = 4;

export const weeklyCost: AnomalyDetector = {
  id: 'weekly-cost',
  detect(input, settings) {
    const out: Anomaly[] = [];
    for (const e of input.entities) {
      if (!('customer' in e.dims)) continue;
      const n = e.days.length;
      if (n < WEEK * (HISTORY_WEEKS + 1)) continue;
      // Weeks summed in ticks, exactly: the alert's $ are the ledger's to the cent.
      const week = (end: number) => {
        let sum = 0n;
        for (let t = end - WEEK; t < end; t++) sum += e.costTicks[t]!;
        return sum;
      };
      const last = ticksToUsd(week(n));
      const expected = medianUsd(Array.from({ length: HISTORY_WEEKS }, (_, k) => week(n - WEEK * (k + 1))))!;
      if (!expected.greaterThan(0) || last.lessThan(expected.times(settings.thresholds.weeklyRatio))) continue;
      const excess = last.minus(expected);
      if (excess.lessThan(settings.minImpactUsd)) continue;
      const ratio = last.div(expected).toNumber();
      out.push({
        kind: 'creep',
        dims: e.dims,
        since: e.days[n - WEEK]!,
        until: e.days[n - 1]!,
        // A comparison of the last full week: it says so as of the last day, every day it holds.
        detected: e.days[n - 1]!,
        metric: 'weekly_cost',
        observed: roundUsd(last),
        expected: roundUsd(expected),
        excess_usd: roundUsd(excess),
        evidence: `cost in the last 7 days ${formatUsd(last)} against a median of ${formatUsd(expected)} over the four weeks before (+${((ratio - 1) * 100).toFixed(0)}%)`,
        score: Math.round(ratio * 100) / 100,
      });
    }
    return out;
  },
};
