/**
 * The default basis of an export, as `llmfin report` counts money (PRODUCT.md, Ledger: no
 * dollar counted twice): each provider-month's usage rows come from one layer, the one
 * its money comes from in a report (reports/layer-rule.ts, moneyLayer: billed >
 * provider_usage > metered), decided over the same window a report reads (whole months).
 * A bill and the proxy's requests for the same spend are then not both in the file, and
 * a sum of BilledCost is the report's total. Other charges (tax, credits, fees) are on
 * bills only and are all written.
 */
import type { Provenance, UsageEntry } from '../ledger/ledger-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { refreshRollups } from '../ledger/rollups/refresh-rollups.js';
import { rollupAnswers, usageFacts, type FactQuery } from '../ledger/queries/usage-facts.js';
import { monthsAround } from '../reports/report-dimensions.js';
import { moneyLayers, providerMonth } from '../reports/layer-rule.js';

/**
 * The money layer of each provider-month with usage rows in the window (canonical ISO
 * instants), decided over the whole months the window touches, also when it starts or
 * ends within a day: an hour holding only the proxy's rows of a billed month is still the
 * bill's month, so exports that split a month never write its spend from two layers.
 */
export async function defaultBasisLayers(ledger: LedgerStore, since: string | undefined, until: string | undefined): Promise<Map<string, Provenance>> {
  const range = monthsAround({ ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
  const query: FactQuery = { columns: ['provider'], grain: 'month', ...range };
  if (rollupAnswers(query)) await refreshRollups(ledger);
  return moneyLayers((await usageFacts(ledger, query)).filter((f) => f.charge_category === 'usage'));
}

/** Usage rows of another layer than their provider-month's money layer, counted by "provider YYYY-MM" and layer. */
export type LeftOut = Map<string, Map<Provenance, number>>;

/**
 * `rows` without the usage rows of layers other than each provider-month's money layer;
 * those left out are counted in `leftOut`. A provider-month the layers were not read for
 * (a row written since) is kept whole.
 */
export async function* onDefaultBasis(rows: AsyncIterable<UsageEntry>, layers: ReadonlyMap<string, Provenance>, leftOut: LeftOut): AsyncGenerator<UsageEntry> {
  for await (const entry of rows) {
    if (entry.charge_category === 'usage') {
      const key = providerMonth(entry.provider, entry.ts);
      const layer = layers.get(key);
      if (layer !== undefined && layer !== entry.provenance) {
        let counts = leftOut.get(key);
        if (counts === undefined) leftOut.set(key, (counts = new Map()));
        counts.set(entry.provenance, (counts.get(entry.provenance) ?? 0) + 1);
        continue;
      }
    }
    yield entry;
  }
}

/**
 * The layers (provenance) of the usage rows written for each provider-month, keyed
 * "provider YYYY-MM": where there are several, the same spend is in the file more than
 * once (a bill and the metered requests it charges for), and a FOCUS reader summing
 * BilledCost counts it again for each, so the CLI says so.
 */
export type LayersWritten = Map<string, Set<Provenance>>;

/** `rows` as they are, with the layer of each usage row noted in `layers` by provider-month. */
export async function* recordLayers(rows: AsyncIterable<UsageEntry>, layers: LayersWritten): AsyncGenerator<UsageEntry> {
  for await (const entry of rows) {
    // Only usage is in several layers: a tax or credit line is on the bill alone.
    if (entry.charge_category === 'usage') {
      const key = providerMonth(entry.provider, entry.ts);
      let set = layers.get(key);
      if (set === undefined) layers.set(key, (set = new Set()));
      set.add(entry.provenance);
    }
    yield entry;
  }
}
