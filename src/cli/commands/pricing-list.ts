/** `llmfin pricing list`: the models of the catalogue with the rates in force at a moment. */
import type { CliContext } from '../cli-context.js';
import { parseTimeOption } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { rateText } from '../output/rate-text.js';
import type { Model, ProviderFile } from '../../pricing/catalogue-schema.js';
import { findPeriod, periodRates } from '../../pricing/cost-engine.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import { countNoun } from '../../shared/count-noun.js';
import { UsageError } from '../../shared/errors.js';

export async function pricingList(ctx: CliContext, opts: { provider?: string; search?: string; at?: string }): Promise<void> {
  const at = parseTimeOption('--at', opts.at, new Date());
  const { catalogue } = await ctx.pricer();
  let files: ProviderFile[];
  if (opts.provider) {
    const file = catalogue.provider(opts.provider);
    if (!file) {
      throw new UsageError(`--provider: unknown provider "${opts.provider}" (known: ${catalogue.providerIds.join(', ')})`, { option: '--provider' });
    }
    files = [file];
  } else files = catalogue.all();
  const needle = opts.search?.toLowerCase();

  // An id is found by any spelling the catalogue matches it by (claude-sonnet-4.5, a dated
  // snapshot, an alias such as mistral-large-latest), not only by the one it is listed as;
  // and a whole id as `pricing cost` takes it (a Bedrock profile, a Vertex @version, a
  // snapshot a pattern matches) finds the model it is priced as.
  const resolved = opts.search === undefined ? undefined : resolveModel(catalogue, { provider: opts.provider, model: opts.search, at });
  const matches = (file: ProviderFile, model: Model) =>
    (resolved !== undefined && isResolved(resolved) && resolved.provider.provider === file.provider && resolved.model.id === model.id) ||
    [model.id, model.name ?? '', ...model.match.exact, ...file.aliases.filter((a) => a.target === model.id).map((a) => a.id)].some((id) => id.toLowerCase().includes(needle!));
  const rows = [];
  for (const file of files) {
    for (const model of file.models) {
      if (needle && !matches(file, model)) continue;
      const row = listRow(file, model, at);
      if (row) rows.push(row);
    }
  }
  const text = (v: string | undefined) => (v === undefined ? '–' : rateText(v));
  // A time-of-day price depends on the hour as well as the day: the title says which one.
  const when = rows.some((r) => r.time_of_day) ? `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : at.toISOString().slice(0, 10);
  emit(ctx, {
    // Money as numbers in USD (PRODUCT.md), a rate the model does not have as null.
    json: { catalogue_version: catalogue.manifest.version, at: at.toISOString(), rows: rows.map(rowJson) },
    table: {
      columns: [
        { key: 'provider', header: 'PROVIDER' },
        { key: 'model', header: 'MODEL' },
        { key: 'class', header: 'CLASS' },
        { key: 'input', header: 'INPUT', align: 'right' },
        { key: 'output', header: 'OUTPUT', align: 'right' },
        { key: 'cache_read', header: 'CACHE READ', align: 'right' },
        { key: 'cache_write_5m', header: 'WRITE 5M', align: 'right' },
        { key: 'cache_write_1h', header: 'WRITE 1H', align: 'right' },
        { key: 'extras', header: 'ALSO' },
      ],
      rows: rows.map((r) => ({
        provider: r.provider,
        model: r.model,
        class: r.class ?? '',
        input: text(r.input_usd_per_1m),
        output: text(r.output_usd_per_1m),
        cache_read: text(r.cache_read_usd_per_1m),
        cache_write_5m: text(r.cache_write_5m_usd_per_1m),
        cache_write_1h: text(r.cache_write_1h_usd_per_1m),
        extras: [
          r.long_context_above ? `>${Math.round(r.long_context_above / 1000)}K tier` : '',
          r.time_of_day ? 'time-of-day' : '',
          ...r.service_tiers,
          r.offerings.length > 1 ? r.offerings.join('/') : '',
        ]
          .filter(Boolean)
          .join(' '),
      })),
    },
    title: `${countNoun(rows.length, 'model')} · USD per 1M tokens · catalogue ${catalogue.manifest.version} · prices at ${when}`,
  });
}

function listRow(file: ProviderFile, model: Model, at: Date) {
  const offering = model.offerings[0]!;
  const period = findPeriod(offering, at);
  if (!period) return undefined;
  // The rates in force at `at`, as `pricing cost` prices them: DeepSeek's base rates are its
  // off-peak ones, and at 10:00 UTC its daytime window's rates apply instead.
  const inForce = periodRates(period, null, { at }).rates;
  const rate = (k: keyof typeof inForce) => inForce[k]?.toFixed();
  return {
    provider: file.provider,
    model: model.id,
    name: model.name ?? null,
    kind: model.kind,
    class: model.class ?? null,
    offering: offering.scope,
    input_usd_per_1m: rate('input'),
    output_usd_per_1m: rate('output'),
    cache_read_usd_per_1m: rate('cache_read'),
    cache_write_5m_usd_per_1m: rate('cache_write_5m'),
    cache_write_1h_usd_per_1m: rate('cache_write_1h'),
    long_context_above: period.tiers?.[0]?.above ?? null,
    service_tiers: Object.keys(period.service_tiers ?? {}),
    offerings: model.offerings.map((o) => o.scope),
    time_of_day: (period.time_windows?.length ?? 0) > 0,
  };
}

const RATE_KEYS = ['input_usd_per_1m', 'output_usd_per_1m', 'cache_read_usd_per_1m', 'cache_write_5m_usd_per_1m', 'cache_write_1h_usd_per_1m'] as const;

/** A row as JSON: its rates as numbers (the catalogue keeps them as exact decimal text), absent ones null. */
function rowJson(row: NonNullable<ReturnType<typeof listRow>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const k of RATE_KEYS) out[k] = row[k] === undefined ? null : Number(row[k]);
  return out;
}
