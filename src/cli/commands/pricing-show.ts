/** `llmfin pricing show MODEL`: how an id resolves, and every period, tier and modifier behind it. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import type { Model, Modifier, PartialRates } from '../../pricing/catalogue-schema.js';
import { PER_UNIT_COMPONENTS } from '../../pricing/cost-engine.js';
import { periodStatus } from '../../pricing/period-status.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import { LlmfinError } from '../../shared/errors.js';
import { assertKnownProvider } from './pricing-provider-option.js';
import { periodText } from '../output/period-text.js';
import { rateText } from '../output/rate-text.js';

export async function pricingShow(ctx: CliContext, id: string, opts: { provider?: string }): Promise<void> {
  const { catalogue } = await ctx.pricer();
  assertKnownProvider(catalogue, opts.provider);
  const now = new Date();
  const resolved = resolveModel(catalogue, { provider: opts.provider, model: id, at: now });
  if (!isResolved(resolved)) {
    const { unknownModelHint } = await import('../../pricing/suggest-models.js');
    throw new LlmfinError(`unpriced model: ${resolved.reason}`, { hint: unknownModelHint(catalogue, id, opts.provider, 'search with `llmfin pricing list --search TEXT`') });
  }
  const { model, provider } = resolved;
  const rates = (r: PartialRates) =>
    Object.entries(r)
      .filter(([, v]) => v !== undefined)
      // Fees are per unit, not per 1M tokens: say so beside the number.
      .map(([k, v]) => `${k} ${typeof v === 'string' ? rateText(v) : v}${PER_UNIT_COMPONENTS[k] !== undefined ? ` per ${PER_UNIT_COMPONENTS[k]}` : ''}`)
      .join(' · ');
  const mod = (m: Modifier) => [m.multiply ? `×${m.multiply}` : '', m.rates ? rates(m.rates) : ''].filter(Boolean).join(' ');
  const lines: string[] = [
    `${ctx.chalk.bold(model.id)}${model.name ? ` — ${model.name}` : ''}`,
    `  provider      ${provider.provider} (${provider.name})`,
    `  matched       "${id}" by ${resolved.matchedBy} as "${resolved.normalisedId}"`,
    `  kind, class   ${model.kind}${model.class ? `, ${model.class}` : ''}`,
    `  ids           ${model.match.exact.join(', ')}`,
  ];
  if (model.match.regex?.length) lines.push(`  patterns      ${model.match.regex.join(', ')}`);
  const conv = model.usage_convention ?? provider.usage_convention;
  lines.push(
    `  usage         input ${conv.input_includes_cache ? 'includes' : 'excludes'} cached tokens; reasoning ${conv.output_includes_reasoning ? 'inside' : 'added to'} output`,
  );
  for (const o of model.offerings) {
    lines.push('', `  offering ${ctx.chalk.bold(o.scope)}${o === resolved.offering ? ' (selected)' : ''}`);
    for (const p of o.periods) {
      lines.push(`    ${periodText(p, periodStatus(p, now))}   USD/1M: ${rates(p.rates)}`);
      for (const t of p.tiers ?? []) lines.push(`      input ${t.compare === 'gte' ? '>=' : '>'} ${t.above}: ${rates(t.rates)} (whole request)`);
      for (const [k, m] of Object.entries(p.service_tiers ?? {})) if (m) lines.push(`      ${k}: ${mod(m)}`);
      for (const [k, m] of Object.entries(p.geo ?? {})) lines.push(`      region ${k}: ${mod(m)}`);
      for (const w of p.time_windows ?? []) lines.push(`      ${w.start}-${w.end} UTC: ${mod(w.modifier)}`);
      lines.push(ctx.chalk.dim(`      source: ${p.source}`));
    }
  }
  emit(ctx, {
    json: {
      provider: provider.provider,
      query: id,
      matched_by: resolved.matchedBy,
      selected_offering: resolved.offering.scope,
      usage_convention: conv,
      model: withStatus(model, now),
      catalogue_version: catalogue.manifest.version,
    },
    table: lines.join('\n'),
  });
}

/** The model as the catalogue holds it, each period with its `status` today, as the text shows it. */
function withStatus(model: Model, now: Date) {
  return { ...model, offerings: model.offerings.map((o) => ({ ...o, periods: o.periods.map((p) => ({ ...p, status: periodStatus(p, now) })) })) };
}
