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
import { roundUsd } from '../shared/money.js';
import type { Anomaly } from './anomaly.js';

type Alert = Pick<Anomaly, 'kind' | 'dims' | 'since' | 'until' | 'excess_usd' | 'metric'> & { daily?: Record<string, number> | undefined };

const DAY_MS = 86_400_000;

/** The alert's excess by UTC day: as the detector gave it, else even over its days. */
function dailyOf(a: Alert): Record<string, number> {
  if (a.daily !== undefined) return a.daily;
  const from = Date.parse(`${a.since.slice(0, 10)}T00:00:00.000Z`);
  const days = Math.max(1, Math.round((Date.parse(`${a.until.slice(0, 10)}T00:00:00.000Z`) - from) / DAY_MS) + 1);
  const out: Record<string, number> = {};
  for (let k = 0; k < days; k++) out[new Date(from + k * DAY_MS).toISOString().slice(0, 10)] = a.excess_usd / days;
  return out;
}

/** One entity's day: its creeps added up, its largest other alert, and each trace's largest alert. */
interface DayCell {
  creeps: number;
  other: number;
  traces: Map<string, number>;
}

export function totalExcess(anomalies: readonly Alert[]): number {
  const byEntity = new Map<string, Map<string, DayCell>>();
  for (const a of anomalies) {
    const { trace, ...entity } = a.dims;
    const key = JSON.stringify(Object.entries(entity).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    const days = byEntity.get(key) ?? new Map<string, DayCell>();
    byEntity.set(key, days);
    const stacked = a.kind === 'creep' && a.metric === 'tokens_per_request';
    for (const [day, usd] of Object.entries(dailyOf(a))) {
      const cell = days.get(day) ?? { creeps: 0, other: 0, traces: new Map<string, number>() };
      if (stacked) cell.creeps += usd;
      else if (trace !== undefined) cell.traces.set(trace, Math.max(cell.traces.get(trace) ?? 0, usd));
      else cell.other = Math.max(cell.other, usd);
      days.set(day, cell);
    }
  }
  let total = 0;
  for (const days of byEntity.values()) {
    for (const { creeps, other, traces } of days.values()) {
      let inTraces = 0;
      for (const usd of traces.values()) inTraces += usd;
      total += Math.max(creeps, other, inTraces);
    }
  }
  return roundUsd(total);
}
