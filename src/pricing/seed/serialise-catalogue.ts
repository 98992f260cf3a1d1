/**
 * Writes catalogue objects as stable JSON: keys in the schema's order (not insertion
 * order), rate components in `RATE_COMPONENTS` order, 2-space indentation and a final
 * newline. Reruns on the same datasets therefore give byte-identical files, and a diff
 * between two catalogue versions shows only prices that changed.
 */
import { RATE_COMPONENTS, type CatalogueManifest, type Model, type Modifier, type PartialRates, type Period, type ProviderFile } from '../catalogue-schema.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function pick(source: object, keys: readonly string[]): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  const record = source as Record<string, unknown>;
  for (const k of keys) if (record[k] !== undefined) out[k] = record[k] as Json;
  return out;
}

function rates(r: PartialRates): { [key: string]: Json } {
  return pick(r, RATE_COMPONENTS);
}

function modifier(m: Modifier): { [key: string]: Json } {
  const out = pick(m, ['multiply']);
  if (m.rates) out.rates = rates(m.rates);
  return out;
}

function period(p: Period): { [key: string]: Json } {
  const out: { [key: string]: Json } = { from: p.from, to: p.to, rates: rates(p.rates) };
  if (p.tiers) out.tiers = p.tiers.map((t) => ({ above: t.above, compare: t.compare, rates: rates(t.rates) }));
  if (p.service_tiers) {
    const st: { [key: string]: Json } = {};
    for (const k of ['batch', 'flex', 'priority', 'fast'] as const) {
      const m = p.service_tiers[k];
      if (m) st[k] = modifier(m);
    }
    out.service_tiers = st;
  }
  if (p.geo) {
    const geo: { [key: string]: Json } = {};
    for (const k of Object.keys(p.geo).sort()) geo[k] = modifier(p.geo[k]!);
    out.geo = geo;
  }
  if (p.time_windows) out.time_windows = p.time_windows.map((w) => ({ start: w.start, end: w.end, modifier: modifier(w.modifier) }));
  out.source = p.source;
  return out;
}

/** A model as a plain object with keys in schema order: two models are the same when these stringify the same. */
export function orderModel(m: Model): { [key: string]: Json } {
  const out = pick(m, ['id', 'name', 'kind', 'class']);
  out.match = pick(m.match, ['exact', 'regex']);
  if (m.usage_convention) out.usage_convention = pick(m.usage_convention, ['input_includes_cache', 'output_includes_reasoning']);
  if (m.deprecated) out.deprecated = m.deprecated;
  out.offerings = m.offerings.map((o) => ({ scope: o.scope, periods: o.periods.map(period) }));
  return out;
}

/** A provider file as a plain object with keys in schema order. */
export function orderProviderFile(file: ProviderFile): { [key: string]: Json } {
  return {
    schema_version: file.schema_version,
    provider: file.provider,
    name: file.name,
    currency: file.currency,
    unit: file.unit,
    usage_convention: pick(file.usage_convention, ['input_includes_cache', 'output_includes_reasoning']),
    provider_aliases: file.provider_aliases,
    sources: file.sources.map((s) => pick(s, ['name', 'version'])),
    models: file.models.map(orderModel),
    aliases: file.aliases.map((a) => pick(a, ['id', 'target', 'from', 'to'])),
  };
}

export function stringifyProviderFile(file: ProviderFile): string {
  return `${JSON.stringify(orderProviderFile(file), null, 2)}\n`;
}

export function stringifyManifest(manifest: CatalogueManifest): string {
  const ordered = {
    schema_version: manifest.schema_version,
    version: manifest.version,
    generated_at: manifest.generated_at,
    providers: manifest.providers,
    sources: manifest.sources.map((s) => pick(s, ['name', 'file', 'sha256', 'as_of'])),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
