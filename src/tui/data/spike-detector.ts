/**
 * A live spend-spike flag: the last complete minute spent at least 3× the median minute
 * of the quarter hour before it (and more than a cent, so an idle ledger's noise is
 * not a spike). The anomalies command has the careful version; this is the glance.
 */
import type { LiveFlag } from './live-flag.js';
import { formatMoney } from '../format/format-money.js';
import { ticksToUsd } from '../../shared/money.js';

const FACTOR = 3;
const BASELINE_MINUTES = 15;
const MIN_TICKS = 1e8; // $0.01

/** `perMinute` is oldest to newest and ends with the current (incomplete) minute. */
export function spendSpike(perMinute: readonly number[], nowMinute: number): LiveFlag | undefined {
  const last = perMinute.length - 2;
  if (last < BASELINE_MINUTES) return undefined;
  const value = perMinute[last] ?? 0;
  const baseline = perMinute.slice(last - BASELINE_MINUTES, last).sort((a, b) => a - b);
  const median = baseline[Math.floor(baseline.length / 2)] ?? 0;
  if (value < MIN_TICKS || value < FACTOR * median || median <= 0) return undefined;
  const minute = nowMinute - 1;
  const at = minute * 60_000;
  const hhmm = new Date(at).toISOString().slice(11, 16);
  return {
    kind: 'spike',
    key: `spike:${minute}`,
    since: at,
    at,
    text: `spike: ${formatMoney(ticksToUsd(value))} in the minute at ${hhmm} UTC, ${(value / median).toFixed(1)}× the usual ${formatMoney(ticksToUsd(median))}/min`,
    costTicks: BigInt(Math.round(value)),
  };
}
