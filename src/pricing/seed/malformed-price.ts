/**
 * Finds a price in a dataset that is not a price. The readers take a value they cannot
 * use as absent: a LiteLLM `input_cost_per_token: "2.5e-6"` (text) or `-1e-6` then prices
 * the model's input at $0, and a genai-prices `input_mtok: null` stops the seed midway.
 * A file given to `pricing update` is checked first, so such a file is refused naming the
 * entry rather than written as a catalogue with a silent $0 in it (pricing.md bug #21).
 * Only entries of the providers llmfin ships are read, so only they are checked.
 */
import { isLitellmPriceField } from './litellm-prices.js';
import { genaiProviderTargets, litellmProviderToOurs } from './provider-map.js';
import type { DatasetName } from './seed-catalogue.js';

export interface MalformedPrice {
  /** The entry: a LiteLLM key, or `provider/model` of genai-prices. */
  entry: string;
  /** Where in the entry: a LiteLLM field, or a path under a genai-prices model's `prices`. */
  field: string;
  value: unknown;
}

/** A value as the file wrote it, for a message: `"2.5e-6"`, `-1`, `null`, `nothing` when absent. */
export function shownValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const isPrice = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The first malformed price of a dataset, or undefined when every price read is a number >= 0. */
export function malformedPrice(name: DatasetName, json: unknown): MalformedPrice | undefined {
  return name === 'litellm' ? malformedLitellmPrice(json as Record<string, unknown>) : malformedGenaiPrice(json as unknown[]);
}

function malformedLitellmPrice(map: Record<string, unknown>): MalformedPrice | undefined {
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const provider = (entry as { litellm_provider?: unknown }).litellm_provider;
    if (typeof provider !== 'string' || litellmProviderToOurs(provider) === undefined) continue;
    for (const [field, value] of Object.entries(entry)) {
      if (isLitellmPriceField(field) && !isPrice(value)) return { entry: key, field, value };
    }
  }
  return undefined;
}

interface GenaiProvider {
  id: string;
  models: Array<{ id?: unknown; prices?: unknown }>;
}

function malformedGenaiPrice(providers: unknown[]): MalformedPrice | undefined {
  for (const p of providers as GenaiProvider[]) {
    for (const model of p.models) {
      if (typeof model?.id !== 'string' || genaiProviderTargets(p.id, model.id).length === 0) continue;
      const problem = priceListProblem(model.prices);
      if (problem) return { entry: `${p.id}/${model.id}`, ...problem };
    }
  }
  return undefined;
}

type Problem = { field: string; value: unknown } | undefined;

/** `prices`: one price set, or a list of `{constraint?, prices}`. */
function priceListProblem(prices: unknown): Problem {
  if (!Array.isArray(prices)) return priceSetProblem(prices, 'prices');
  for (const [i, c] of prices.entries()) {
    const problem = priceSetProblem((c as { prices?: unknown } | null)?.prices, `prices[${i}].prices`);
    if (problem) return problem;
  }
  return undefined;
}

/** A price set: unit → a number, or `{base, tiers: [{start, price}]}`. */
function priceSetProblem(set: unknown, at: string): Problem {
  if (typeof set !== 'object' || set === null || Array.isArray(set)) return { field: at, value: set };
  for (const [unit, value] of Object.entries(set)) {
    if (isPrice(value)) continue;
    if (typeof value !== 'object' || value === null) return { field: `${at}.${unit}`, value };
    const { base, tiers } = value as { base?: unknown; tiers?: unknown };
    if (!isPrice(base)) return { field: `${at}.${unit}.base`, value: base };
    if (tiers === undefined) continue;
    if (!Array.isArray(tiers)) return { field: `${at}.${unit}.tiers`, value: tiers };
    for (const [i, t] of tiers.entries()) {
      const { start, price } = (t ?? {}) as { start?: unknown; price?: unknown };
      if (!isPrice(start)) return { field: `${at}.${unit}.tiers[${i}].start`, value: start };
      if (!isPrice(price)) return { field: `${at}.${unit}.tiers[${i}].price`, value: price };
    }
  }
  return undefined;
}
