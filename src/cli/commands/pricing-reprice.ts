/** `llmfin pricing reprice`: history priced again with the catalogue and config in force now. */
import { countNoun } from '../../shared/count-noun.js';
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { parsePeriod } from '../report-period.js';
import { repriceLedger } from '../../repricing/reprice-ledger.js';
import { formatUsd, ticksToUsd } from '../../shared/money.js';

export async function pricingReprice(ctx: CliContext, opts: { since?: string; until?: string; month?: string; dryRun?: boolean }): Promise<void> {
  const period = parsePeriod(opts);
  const pricer = await ctx.pricer();
  const ledger = await ctx.openLedger({ create: false });
  let r;
  try {
    r = await repriceLedger(ledger, pricer, { ...period, catalogueVersion: pricer.catalogue.manifest.version, dryRun: opts.dryRun ?? false });
  } finally {
    await ledger.close();
  }
  const usd = (t: bigint) => formatUsd(ticksToUsd(t));
  const delta = (a: bigint, b: bigint) => `${b >= a ? '+' : ''}${usd(b - a)}`;
  emit(ctx, {
    json: {
      dry_run: opts.dryRun ?? false,
      catalogue_version: pricer.catalogue.manifest.version,
      rows_read: r.rowsRead,
      rows_changed: r.rowsChanged,
      newly_priced: r.newlyPriced,
      newly_estimated: r.newlyEstimated,
      lost_price: r.lostPrice,
      cost_before_usd: ticksToUsd(r.costBeforeTicks).toNumber(),
      cost_after_usd: ticksToUsd(r.costAfterTicks).toNumber(),
      estimate_before_usd: ticksToUsd(r.estimateBeforeTicks).toNumber(),
      estimate_after_usd: ticksToUsd(r.estimateAfterTicks).toNumber(),
    },
    table: [
      `${opts.dryRun ? 'would re-price' : 're-priced'} with catalogue ${pricer.catalogue.manifest.version}: ${countNoun(r.rowsRead, 'row')} read, ${r.rowsChanged.toLocaleString('en-US')} changed${r.newlyPriced ? ` (${r.newlyPriced.toLocaleString('en-US')} ${r.newlyPriced === 1 ? 'was' : 'were'} unpriced)` : ''}`,
      `  llmfin-priced cost   ${usd(r.costBeforeTicks)} → ${usd(r.costAfterTicks)} (${delta(r.costBeforeTicks, r.costAfterTicks)})`,
      `  estimates beside bills ${usd(r.estimateBeforeTicks)} → ${usd(r.estimateAfterTicks)} (${delta(r.estimateBeforeTicks, r.estimateAfterTicks)})${r.newlyEstimated ? `, ${countNoun(r.newlyEstimated, 'bill')} had none` : ''}; billed amounts unchanged`,
      ...(r.lostPrice ? [`  ${countNoun(r.lostPrice, 'row')} no longer ${r.lostPrice === 1 ? 'matches' : 'match'} a catalogue model and ${r.lostPrice === 1 ? 'keeps its' : 'keep their'} old price`] : []),
    ].join('\n'),
  });
}
