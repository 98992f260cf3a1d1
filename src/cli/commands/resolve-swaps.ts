/**
 * `--model` values read against the history being forecast and the catalogue: a value with
 * more than one ':' after its `=` (forecast-options.ts `swapReadings`) is read the one way
 * whose group has spend and whose model has a price (`pickSwap`).
 */
import type { Attributor } from '../../attribution/attributor.js';
import { pricesSwitchTo, type ModelSwap } from '../../forecast/what-if.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { Pricer } from '../../pricing/pricer.js';
import { buildReport, type Basis } from '../../reports/build-report.js';
import { pickSwap } from './forecast-options.js';

export interface SwapHistory {
  where: Record<string, string>;
  basis: Basis;
  since?: string;
  until?: string;
  /** Prices are those in force at this moment (the forecast's). */
  now: Date;
}

/**
 * One switch per `--model` value (`specs[i]`, read as `readings[i]`). The history is read
 * only for a dimension some value can be read more than one way in: one report by it over
 * the forecast's window, whose rows are the groups the forecast will have.
 */
export async function resolveSwaps(
  ledger: LedgerStore,
  attributor: Attributor,
  pricer: Pricer,
  specs: readonly string[],
  readings: ReadonlyArray<readonly ModelSwap[]>,
  q: SwapHistory,
): Promise<ModelSwap[]> {
  const values = new Map<string, Set<string>>();
  for (const r of readings) {
    const dimension = r[0]!.dimension;
    if (r.length < 2 || dimension === undefined || values.has(dimension)) continue;
    const { since, until, where, basis } = q;
    const report = await buildReport(ledger, attributor, { by: [dimension], where, basis, sort: 'name', ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
    values.set(dimension, new Set(report.rows.map((row) => row[dimension]!)));
  }
  const checks = {
    hasValue: (dimension: string, value: string) => values.get(dimension)?.has(value) ?? false,
    prices: (model: string) => pricesSwitchTo(pricer, model, q.now),
  };
  return readings.map((r, i) => pickSwap(specs[i]!, r, checks));
}
