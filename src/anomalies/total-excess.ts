/**
 * The money over baseline of a set of alerts, each dollar once. Alerts of one entity can
 * describe the same spend: a spike on a day a level shift runs through, a creep's extra
 * tokens inside a shifted level, a loop or runaway session inside that day's spend. So
 * each entity's day counts the largest of its alerts' excess that day. Creeps of one
 * series are the exception: the detector gives each the tokens above its own baseline
 * only (unit-creep.ts), so on a day two creeps share, their excess adds up. So are alerts
 * of different traces: their calls are different rows, so they add up (a trace's loop and
 * runaway count once), and together they stand against the day's other alerts.
 */
import { dec, Dec, roundUsd } from '../shared/money.js';
import type { Anomaly } from './anomaly.js';

type Alert = Pick<Anomaly, 'kind' | 'dims' | 'since' | 'until' | 'excess_usd' | 'metric'> & { daily?: Record<string, number> | undefined };

const DAY_MS = 86_400_000;

/**
 * The alert's excess by UTC day, as exact decimals (each figure's shortest text): as the
 * detector gave it, else even over its days. Added up as floats, alerts of $0.175 in three
 * groups made $0.5249999999999999, a total of $0.52.
 */
function dailyOf(a: Alert): Array<[string, Dec]> {
  if (a.daily !== undefined) return Object.entries(a.daily).map(([day, usd]) => [day, dec(usd)]);
  const from = Date.parse(`${a.since.slice(0, 10)}T00:00:00.000Z`);
  const days = Math.max(1, Math.round((Date.parse(`${a.until.slice(0, 10)}T00:00:00.000Z`) - from) / DAY_MS) + 1);
  const each = dec(a.excess_usd).div(days);
  return Array.from({ length: days }, (_, k) => [new Date(from + k * DAY_MS).toISOString().slice(0, 10), each]);
}

/** One entity's day: its creeps added up, its largest other alert, and each trace's largest alert. */
interface DayCell {
  creeps: Dec;
  other: Dec;
  traces: Map<string, Dec>;
}

const ZERO = dec(0);

export function totalExcess(anomalies: readonly Alert[]): number {
  const byEntity = new Map<string, Map<string, DayCell>>();
  for (const a of anomalies) {
    const { trace, ...entity } = a.dims;
    const key = JSON.stringify(Object.entries(entity).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    const days = byEntity.get(key) ?? new Map<string, DayCell>();
    byEntity.set(key, days);
    const stacked = a.kind === 'creep' && a.metric === 'tokens_per_request';
    for (const [day, usd] of dailyOf(a)) {
      const cell = days.get(day) ?? { creeps: ZERO, other: ZERO, traces: new Map<string, Dec>() };
      if (stacked) cell.creeps = cell.creeps.plus(usd);
      else if (trace !== undefined) cell.traces.set(trace, Dec.max(cell.traces.get(trace) ?? ZERO, usd));
      else cell.other = Dec.max(cell.other, usd);
      days.set(day, cell);
    }
  }
  let total = ZERO;
  for (const days of byEntity.values()) {
    for (const { creeps, other, traces } of days.values()) {
      let inTraces = ZERO;
      for (const usd of traces.values()) inTraces = inTraces.plus(usd);
      total = total.plus(Dec.max(creeps, other, inTraces));
    }
  }
  return roundUsd(total);
}
