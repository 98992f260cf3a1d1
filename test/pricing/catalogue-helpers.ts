/**
 * Test helpers for the generated price catalogue in `pricing/`: load and parse the
 * provider files, find a model the way the resolver does (exact id, then regex, then
 * alias), and pick the period in force at a date.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProviderFile, type Model, type Offering, type Period } from '../../src/pricing/catalogue-schema.js';

export const PRICING_DIR = fileURLToPath(new URL('../../pricing/', import.meta.url));
export const REFERENCE_DIR = fileURLToPath(new URL('../../pricing/sources/', import.meta.url));

export function providerFileNames(): string[] {
  return readdirSync(PRICING_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
    .sort();
}

const cache = new Map<string, ProviderFile>();

export function loadProvider(provider: string): ProviderFile {
  let file = cache.get(provider);
  if (!file) {
    file = ProviderFile.parse(JSON.parse(readFileSync(join(PRICING_DIR, `${provider}.json`), 'utf8')));
    cache.set(provider, file);
  }
  return file;
}

export function allProviders(): ProviderFile[] {
  return providerFileNames().map((f) => loadProvider(f.slice(0, -'.json'.length)));
}

/** Finds a model by an id a caller would send: exact ids, then regexes, then aliases. */
export function findModel(provider: string, id: string): Model {
  const file = loadProvider(provider);
  const lower = id.toLowerCase();
  const hit =
    file.models.find((m) => m.match.exact.some((e) => e.toLowerCase() === lower)) ??
    file.models.find((m) => m.match.regex?.some((r) => new RegExp(r, 'i').test(lower))) ??
    file.models.find((m) => m.id === file.aliases.find((a) => a.id === lower)?.target);
  if (!hit) throw new Error(`${provider}: no model answers to "${id}"`);
  return hit;
}

export function offering(model: Model, scope?: string): Offering {
  const o = scope === undefined ? model.offerings[0] : model.offerings.find((x) => x.scope === scope);
  if (!o) throw new Error(`${model.id}: no "${scope}" offering`);
  return o;
}

/** The period in force at `at` (ISO date), like the cost engine's findPeriod. */
export function periodAt(o: Offering, at: string): Period {
  const t = Date.parse(at);
  const p = o.periods.find((x) => (x.from === null || t >= Date.parse(x.from)) && (x.to === null || t < Date.parse(x.to)));
  if (!p) throw new Error(`no period at ${at}`);
  return p;
}

/** Shorthand: the rates of `provider/id` in `scope` at `at` (default: the newest period). */
export function ratesOf(provider: string, id: string, options: { scope?: string; at?: string } = {}) {
  const o = offering(findModel(provider, id), options.scope);
  return (options.at ? periodAt(o, options.at) : o.periods[o.periods.length - 1]!).rates;
}
