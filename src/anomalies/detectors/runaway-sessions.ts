/** Traces (sessions, agent runs) that cost more than `anomalies.runaway_session_usd`. */
import { dec, formatUsd, roundUsd, ticksToUsd, usdToTicks } from '../../shared/money.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { medianUsd } from '../median-usd.js';

export const runawaySessions: AnomalyDetector = {
  id: 'runaway-sessions',
  detect(input, settings) {
    // Traces summed in ticks, exactly, and converted once: as floats, three calls of $0.175
    // were $0.5249999999999999, a trace of $0.52.
    const costs = input.traces.map((t) => t.calls.reduce((s, c) => s + c.cost_ticks, 0n));
    const limit = dec(settings.runawaySessionUsd);
    const limitTicks = usdToTicks(limit);
    // The typical trace is one of those within the limit: with the runaways in the median, a
    // scope where half the traces run away (an agent whose runs are all long, a --where naming
    // one) would judge them against each other, at $0 or less over. With none within it, what
    // went past the limit is the excess the user's own threshold vouches for.
    const typical = medianUsd(costs.filter((c) => c <= limitTicks));
    const compared = typical !== undefined;
    const expected = typical ?? limit;
    const out: Anomaly[] = [];
    for (const [i, t] of input.traces.entries()) {
      if (costs[i]! <= limitTicks) continue;
      const cost = ticksToUsd(costs[i]!);
      // Raised by the call that took the trace past the limit.
      let sum = 0n;
      const crossing = t.calls.find((c) => (sum += c.cost_ticks) > limitTicks) ?? t.calls.at(-1)!;
      out.push({
        kind: 'runaway_session',
        dims: { ...t.dims, trace: t.trace },
        since: t.calls[0]!.ts,
        until: t.calls.at(-1)!.ts,
        detected: crossing.ts,
        metric: 'trace_cost',
        observed: roundUsd(cost),
        expected: roundUsd(expected),
        excess_usd: roundUsd(cost.minus(expected)),
        evidence: `trace ${t.trace}: ${t.calls.length} calls cost ${formatUsd(cost)} (limit ${formatUsd(settings.runawaySessionUsd)}${compared ? `, typical trace ${formatUsd(expected)}` : '; no trace stayed within it to compare, so this counts what went past it'})`,
        score: round(cost.toNumber() / settings.runawaySessionUsd),
      });
    }
    return out;
  },
};

/** A score to two decimals (not money: money rounds by roundUsd, as formatUsd shows it). */
const round = (x: number) => Math.round(x * 100) / 100;
