/**
 * `baseline save` for a recorded run: the run's token slices per group, priced with
 * the current catalogue at the run's last request, and a snapshot of the catalogue
 * entries of every model it used (so `check` can re-price at these prices later).
 */
import type { Attributor } from '../attribution/attributor.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import type { UsageSection } from './baseline-schema.js';
import { baselineGroup } from './group-metrics.js';
import { catalogueSlicePricer, longContextSplit, priceMix, snapshotPrices } from './reprice.js';
import { readRunUsage, type RunQuery, type RunUsage } from './run-usage.js';

export interface UsageSectionResult {
  section: UsageSection;
  run: RunUsage;
  /** Models nothing could price: their recorded ledger cost stands in. */
  unpricedModels: string[];
  /** Of those, the ones the ledger could not price either: their cost is unknown, counted as $0. */
  unknownCostModels: string[];
  /** Per group, the requests to those models: the part of its cost that is unknown. */
  unknownRequests: Map<string, number>;
}

/** `empty` when the run has no request: what was read (the attempts left out) says why. */
export async function buildUsageSection(ledger: LedgerStore, attributor: Attributor, pricer: Pricer, query: RunQuery): Promise<UsageSectionResult | { empty: RunUsage }> {
  // Long prompts apart from short ones, at the models' long-context thresholds (reprice.ts).
  const run = await readRunUsage(ledger, attributor, { ...query, split: query.split ?? longContextSplit(pricer.catalogue) });
  if (run.lastTs === null) return { empty: run };
  const at = new Date(run.lastTs);
  const current = catalogueSlicePricer(pricer);
  const groups: UsageSection['groups'] = {};
  const unpriced = new Set<string>();
  const unknown = new Set<string>();
  const unknownRequests = new Map<string, number>();
  const models = new Map<string, { provider: string; model: string }>();
  for (const [name, slices] of run.groups) {
    const mix = priceMix(current, slices, at);
    for (const m of mix.unpricedModels) unpriced.add(m);
    for (const m of mix.unknownCostModels) unknown.add(m);
    groups[name] = baselineGroup(slices, mix.cost);
    unknownRequests.set(name, mix.unknownRequests);
    for (const s of slices) models.set(`${s.provider}\u0000${s.model}`, { provider: s.provider, model: s.model });
  }
  return {
    section: {
      group_by: query.by,
      run_id: query.runId ?? null,
      since: query.since ?? null,
      until: query.until ?? null,
      catalogue_version: pricer.catalogue.manifest.version,
      priced_at: run.lastTs,
      groups,
      prices: snapshotPrices(pricer.catalogue, [...models.values()], at),
    },
    run,
    unpricedModels: [...unpriced].sort(),
    unknownCostModels: [...unknown].sort(),
    unknownRequests,
  };
}
