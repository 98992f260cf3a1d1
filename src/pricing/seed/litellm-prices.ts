/**
 * Reads the price fields of one LiteLLM entry into catalogue shapes: base `Rates`,
 * whole-request `Tier`s from the `_above_<N>k_tokens` keys, service-tier modifiers from
 * the `_batches` / `_flex` / `_priority` keys and `provider_specific_entry.fast`, and
 * geo modifiers from `provider_specific_entry.us` and the OpenAI data-residency
 * multipliers. Field meanings follow pricing.md §1.2–1.3; notably
 * `cache_creation_input_token_cost_above_1hr` is the 1-hour cache-write rate, not a
 * token threshold.
 */
import type { Modifier, PartialRates, RateComponent, Rates, Tier } from '../catalogue-schema.js';
import { numberToDecimalText, perTokenToPerMillion } from './decimal-text.js';
import { modifierFromRates } from './modifiers.js';
import type { ServiceTierModifiers } from './seed-types.js';

type Entry = Record<string, unknown>;

/** LiteLLM per-token field → catalogue component (per 1M tokens). */
const TOKEN_FIELDS: Array<[string, RateComponent]> = [
  ['input_cost_per_token', 'input'],
  ['output_cost_per_token', 'output'],
  ['cache_read_input_token_cost', 'cache_read'],
  ['cache_creation_input_token_cost', 'cache_write_5m'],
  ['cache_creation_input_token_cost_above_1hr', 'cache_write_1h'],
  ['output_cost_per_reasoning_token', 'reasoning'],
  ['input_cost_per_audio_token', 'input_audio'],
  ['output_cost_per_audio_token', 'output_audio'],
  ['input_cost_per_image_token', 'input_image'],
  ['output_cost_per_image_token', 'output_image'],
];

/**
 * True for a field whose value is read as a price: a per-token field, any variant of it
 * (`_above_200k_tokens`, `_flex`, `_batches`, `_cache_hit`…), and the per-request fee.
 */
export function isLitellmPriceField(field: string): boolean {
  return field === 'input_cost_per_request' || TOKEN_FIELDS.some(([f]) => field.startsWith(f));
}

function num(entry: Entry, field: string): number | undefined {
  const v = entry[field];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * Reads the fields of one rate set; `suffix` selects a variant ("_flex", "_above_200k_tokens").
 * Zero-priced cache and modality components are dropped: a "0" cache write or read in
 * LiteLLM means "not priced here", and an absent rate falls back to input/output.
 */
function readRates(entry: Entry, suffix: string): PartialRates {
  const out: PartialRates = {};
  for (const [field, component] of TOKEN_FIELDS) {
    const v = num(entry, field + suffix);
    if (v === undefined) continue;
    if (v === 0 && component !== 'input' && component !== 'output') continue;
    out[component] = perTokenToPerMillion(v);
  }
  // A reasoning rate equal to output says nothing: reasoning defaults to the output rate.
  if (out.reasoning !== undefined && out.reasoning === out.output) delete out.reasoning;
  return out;
}

/** True when the entry has a per-token input or output price at all. */
export function hasTokenPrices(entry: Entry): boolean {
  return num(entry, 'input_cost_per_token') !== undefined || num(entry, 'output_cost_per_token') !== undefined;
}

/** Base rates; a missing input or output is "0" (embeddings have no output price). */
export function litellmRates(entry: Entry): Rates {
  const r = readRates(entry, '');
  // DeepSeek-style alias of the cache-read price.
  const hit = num(entry, 'input_cost_per_token_cache_hit');
  if (r.cache_read === undefined && hit !== undefined && hit > 0) r.cache_read = perTokenToPerMillion(hit);
  const perRequest = num(entry, 'input_cost_per_request');
  if (perRequest !== undefined && perRequest > 0) r.per_request = numberToDecimalText(perRequest);
  return { ...r, input: r.input ?? '0', output: r.output ?? '0' };
}

/** Long-context tiers from `<field>_above_<N>k_tokens` keys, lowest threshold first. */
export function litellmTiers(entry: Entry): Tier[] {
  const thresholds = new Set<number>();
  for (const key of Object.keys(entry)) {
    const m = /_above_(\d+)k_tokens$/.exec(key);
    if (m && TOKEN_FIELDS.some(([f]) => key === `${f}_above_${m[1]}k_tokens`)) thresholds.add(Number(m[1]));
  }
  return [...thresholds]
    .sort((a, b) => a - b)
    .map((k) => ({ above: k * 1000, compare: 'gt' as const, rates: readRates(entry, `_above_${k}k_tokens`) }))
    .filter((t) => Object.keys(t.rates).length > 0);
}

/** Batch, flex, priority and fast modifiers relative to the entry's base rates. */
export function litellmServiceTiers(entry: Entry, base: Rates): ServiceTierModifiers {
  const out: ServiceTierModifiers = {};
  const batchIn = num(entry, 'input_cost_per_token_batches');
  const batchOut = num(entry, 'output_cost_per_token_batches');
  const batch: PartialRates = {};
  if (batchIn !== undefined) batch.input = perTokenToPerMillion(batchIn);
  if (batchOut !== undefined && !(batchOut === 0 && base.output === '0')) batch.output = perTokenToPerMillion(batchOut);
  const set = (tier: keyof ServiceTierModifiers, m: Modifier | undefined) => {
    if (m) out[tier] = m;
  };
  set('batch', modifierFromRates(base, batch));
  set('flex', modifierFromRates(base, readRates(entry, '_flex')));
  set('priority', modifierFromRates(base, readRates(entry, '_priority')));
  const fast = specific(entry, 'fast');
  if (fast !== undefined) out.fast = { multiply: fast };
  return out;
}

function specific(entry: Entry, key: string): string | undefined {
  const pse = entry.provider_specific_entry;
  if (typeof pse !== 'object' || pse === null) return undefined;
  const v = (pse as Entry)[key];
  return typeof v === 'number' && v > 0 ? numberToDecimalText(v) : undefined;
}

/** Geo / data-residency multipliers keyed by the `--region` value they answer to. */
export function litellmGeo(entry: Entry): Record<string, Modifier> {
  const out: Record<string, Modifier> = {};
  const us = specific(entry, 'us');
  if (us !== undefined) out.us = { multiply: us };
  for (const region of ['eu', 'us']) {
    const v = num(entry, `regional_processing_uplift_multiplier_${region}`);
    if (v !== undefined && v > 0) out[region] = { multiply: numberToDecimalText(v) };
  }
  return out;
}
