/**
 * Bedrock names a model with its maker in front (`anthropic.claude-sonnet-4-5`,
 * `meta.llama3-3-70b-instruct`), where a proxy, an SDK or a person often writes the bare
 * id (`claude-sonnet-4-5`). Resolving stays exact (pricing.md §6: no loose matching, and
 * the catalogue lists which bare spellings Bedrock answers to); these helpers only let an
 * error hint point at the maker's id, and let `reconcile` see the two spellings as one model.
 */
import type { PriceCatalogue } from './price-catalogue.js';
import { isResolved, parseModelId, resolveModel } from './resolve-model.js';

/** Providers whose catalogue ids carry the maker as a prefix. */
const MAKER_PREFIXED = ['bedrock'];

/** A maker prefix: a word of letters and digits, a dot, then the model's name (not `qwen2.5`). */
const MAKER = /^([a-z][a-z0-9]*)\.(?=[a-z])/;

const cache = new WeakMap<PriceCatalogue, ReadonlySet<string>>();

/** The makers the catalogue's Bedrock ids are prefixed with (anthropic, meta, amazon, ai21…). */
export function catalogueMakers(catalogue: PriceCatalogue): ReadonlySet<string> {
  let makers = cache.get(catalogue);
  if (makers === undefined) {
    const found = new Set<string>();
    for (const provider of MAKER_PREFIXED) {
      for (const m of catalogue.provider(provider)?.models ?? []) {
        const hit = MAKER.exec(m.id.toLowerCase());
        if (hit) found.add(hit[1]!);
      }
    }
    cache.set(catalogue, (makers = found));
  }
  return makers;
}

/** Whether `provider`'s catalogue ids carry the maker as a prefix. */
export const isMakerPrefixed = (provider: string | undefined): boolean => provider !== undefined && MAKER_PREFIXED.includes(provider);

/** `id` without a known maker's prefix (`anthropic.claude-x` → `claude-x`), or undefined when it has none. */
export function withoutMaker(id: string, makers: ReadonlySet<string>): string | undefined {
  const hit = MAKER.exec(id.toLowerCase());
  return hit && makers.has(hit[1]!) ? id.slice(hit[0].length) : undefined;
}

/**
 * The one catalogue model of a maker-prefixed provider that `model`, written without its
 * maker, names with one (`claude-sonnet-4-5` on bedrock → `anthropic.claude-sonnet-4-5`),
 * or undefined: none, several makers' (ambiguous), or a provider that does not prefix.
 */
export function makerModelId(catalogue: PriceCatalogue, provider: string, model: string, at: Date): string | undefined {
  if (!isMakerPrefixed(provider)) return undefined;
  const makers = catalogueMakers(catalogue);
  const { id } = parseModelId(model, provider, (p) => catalogue.canonicalProviderId(p) !== undefined);
  if (withoutMaker(id, makers) !== undefined) return undefined;
  const found = new Set<string>();
  for (const maker of makers) {
    const r = resolveModel(catalogue, { provider, model: `${maker}.${id}`, at });
    if (isResolved(r)) found.add(r.model.id);
  }
  return found.size === 1 ? [...found][0] : undefined;
}
