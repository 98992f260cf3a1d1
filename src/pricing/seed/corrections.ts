/**
 * Known data errors in the two source datasets, each with the reason and the source
 * that shows it is wrong, applied by the seed before anything else reads the data.
 * Ratio checks (cache read 0.1x, 5m write 1.25x, 1h write 2x input for Claude; priority
 * at most ~2.5x; batch and flex at most standard) found most of them (pricing.md §4).
 * Every correction states the value it expects to find: when a newer dataset fixes the
 * error upstream, the correction stops matching and the seed says so instead of
 * silently overwriting a value it no longer understands.
 */
import type { Period } from '../catalogue-schema.js';
import { dec, decToString } from '../../shared/money.js';
import { numberToDecimalText, perTokenToPerMillion } from './decimal-text.js';
import type { WarningLog } from './warning-log.js';

/** A fix to one per-token field of one or more LiteLLM keys. Values are USD per 1M tokens. */
export interface LitellmCorrection {
  keys: string[];
  field: string;
  /** The wrong value as it appears in the dataset (per 1M), or null when the field must be absent. */
  expect: string | null;
  /** The right value (per 1M), or null to remove the field. */
  value: string | null;
  reason: string;
  source: string;
}

/** A fix to one unit of one genai-prices price entry (`prices[index]`), per 1M tokens. */
export interface GenaiCorrection {
  provider: string;
  model: string;
  priceIndex: number;
  unit: string;
  expect: string;
  value: string;
  reason: string;
  source: string;
}

const TABLE = 'pricing.md §4 (known data errors after the price table)';

/** The Data Zone keys of GPT-5.1 that carry the 1.38 rounding (pricing.md names the EU one; US has the same). */
const AZURE_ZONES_51 = ['eu', 'us'].flatMap((z) => ['', '-chat', '-codex'].map((v) => `azure/${z}/gpt-5.1${v}`));

export const LITELLM_CORRECTIONS: LitellmCorrection[] = [
  {
    keys: ['gpt-5-nano'],
    field: 'input_cost_per_token_priority',
    expect: '2.5',
    value: null,
    reason:
      'priority input 2.5 is 50x the standard 0.05 (gpt-5\'s priority price pasted in); no priority output or cache price exists, so the entry is dropped rather than guessed',
    source: TABLE,
  },
  {
    keys: ['claude-3-haiku-20240307'],
    field: 'cache_creation_input_token_cost_above_1hr',
    expect: '6',
    value: '0.5',
    reason: '1h cache write is 2x input (0.25) = 0.50; 6.0 is Sonnet\'s number; genai-prices claude-3-haiku has 0.5',
    source: `${TABLE}; https://platform.claude.com/docs/en/about-claude/pricing`,
  },
  {
    keys: ['claude-3-opus-20240229'],
    field: 'cache_creation_input_token_cost_above_1hr',
    expect: '6',
    value: '30',
    reason: '1h cache write is 2x input (15) = 30; genai-prices claude-3-opus-latest has 30',
    source: `${TABLE}; https://platform.claude.com/docs/en/about-claude/pricing`,
  },
  ...(
    [
      ['input_cost_per_token', '0.25', '0.8'],
      ['output_cost_per_token', '1.25', '4'],
      ['cache_read_input_token_cost', '0.025', '0.08'],
      ['cache_creation_input_token_cost', '0.3125', '1'],
    ] as const
  ).map(
    ([field, expect, value]): LitellmCorrection => ({
      keys: ['eu.anthropic.claude-3-5-haiku-20241022-v1:0'],
      field,
      expect,
      value,
      reason: 'the EU profile of Claude 3.5 Haiku carries Claude 3 Haiku prices; Haiku 3.5 is 0.8/4 (cache read 0.08, write 1) like the us. and bare ids',
      source: `${TABLE}; LiteLLM us.anthropic.claude-3-5-haiku-20241022-v1:0; genai-prices aws regional.anthropic.claude-3-5-haiku-20241022-v1:0`,
    }),
  ),
  {
    keys: [...AZURE_ZONES_51],
    field: 'input_cost_per_token',
    expect: '1.38',
    value: '1.375',
    reason: 'EU (and US) Data Zone is Global (1.25) x 1.1 = 1.375; the dataset rounded it to 1.38',
    source: `${TABLE}; LiteLLM azure/global/gpt-5.1 1.25`,
  },
  {
    keys: [...AZURE_ZONES_51],
    field: 'cache_read_input_token_cost',
    expect: '0.14',
    value: '0.1375',
    reason: 'same rounding as the input price: 0.125 x 1.1 = 0.1375',
    source: `${TABLE}; LiteLLM azure/global/gpt-5.1 cache read 0.125`,
  },
  {
    keys: ['azure/eu/gpt-5.1-codex-mini', 'azure/us/gpt-5.1-codex-mini'],
    field: 'cache_read_input_token_cost',
    expect: '0.028',
    value: '0.0275',
    reason: 'same rounding: 0.025 x 1.1 = 0.0275 (its input 0.275 is already exact)',
    source: `${TABLE}; LiteLLM azure/global/gpt-5.1-codex-mini cache read 0.025`,
  },
  {
    keys: ['eu', 'us'].flatMap((z) => [`azure/${z}/gpt-5.4`, `azure/${z}/gpt-5.4-2026-03-05`]),
    field: 'cache_read_input_token_cost',
    expect: '0.28',
    value: '0.275',
    reason: 'same rounding: 0.25 x 1.1 = 0.275 (its input 2.75 is already exact); the seed\'s Data Zone check (1.1x global) flagged it',
    source: 'ratio check (Azure Data Zone = 1.1x global); LiteLLM azure/gpt-5.4 cache read 0.25',
  },
  {
    keys: ['azure/us/gpt-5.5', 'azure/eu/gpt-5.5', 'azure/us/gpt-5.5-2026-04-23', 'azure/eu/gpt-5.5-2026-04-23'],
    field: 'cache_read_input_token_cost_priority',
    expect: '1.38',
    value: '1.375',
    reason: 'the same rounding as azure/eu/gpt-5.1: Data Zone priority is 2.5x the zone price on input (13.75 = 2.5 x 5.5) and output, so cached input is 2.5 x 0.55 = 1.375 (1.38 fails the priority <= 2.5x check)',
    source: 'ratio check in src/pricing/seed/ratio-checks.ts; LiteLLM azure/us/gpt-5.5 input/output priority prices',
  },
  {
    keys: ['azure/eu/gpt-4o-2024-11-20', 'azure/us/gpt-4o-2024-11-20'],
    field: 'cache_creation_input_token_cost',
    expect: '1.38',
    value: null,
    reason: 'Azure OpenAI bills no cache writes; 1.38 is the Data Zone cached-input price (1.25 x 1.1 = 1.375) filed under the cache-write field',
    source: 'LiteLLM azure/eu/gpt-4o-2024-08-06 (cache read 1.375, no cache write); azure/global/gpt-4o-2024-11-20 cache read 1.25',
  },
  {
    keys: ['azure/eu/gpt-4o-2024-11-20', 'azure/us/gpt-4o-2024-11-20'],
    field: 'cache_read_input_token_cost',
    expect: null,
    value: '1.375',
    reason: 'the cached-input price moved out of the cache-write field (above), unrounded: 1.25 x 1.1',
    source: 'LiteLLM azure/eu/gpt-4o-2024-08-06 cache read 1.375',
  },
  {
    keys: ['gpt-5.4', 'gpt-5.4-2026-03-05'],
    field: 'cache_read_input_token_cost_flex',
    expect: '0.13',
    value: '0.125',
    reason:
      'Flex costs what Batch does, 50% of standard with the caching discount kept: 0.25 x 0.5 = 0.125, as gpt-5.4 batch has; 0.13 is that rounded. The rounding also kept flex from being one multiplier, so its explicit rates replaced the >272K tier rates and a long-context flex request was priced as a short one',
    source: 'pricing.md §3.1 (Flex processing: same price as Batch, prompt caching discount still applies, https://dev.classmethod.jp/en/articles/openai-flex-processing/) and §4 (gpt-5.4 batch & flex 1.25/7.5)',
  },
  {
    keys: ['azure/gpt-realtime-2025-08-28', 'azure/gpt-realtime-1.5-2026-02-23'],
    field: 'cache_read_input_token_cost',
    expect: '4',
    value: '0.4',
    reason: 'cached text input equal to full input (4) is a missing decimal: gpt-realtime caches text at 0.4 on OpenAI (LiteLLM gpt-realtime, genai-prices openai/gpt-realtime) and on Azure',
    source: 'ratio check (cache read < input); LiteLLM gpt-realtime-2025-08-28 cache read 0.4',
  },
  {
    keys: ['embed-multilingual-light-v3.0'],
    field: 'input_cost_per_token',
    expect: '100',
    value: '0.1',
    reason:
      "$100 per 1M tokens is 1,000x every other Embed v3 model (embed-english-light-v3.0, embed-english-v3.0 and embed-multilingual-v3.0 are 0.1 in the same dataset): the per-1K price entered per token. A user's light embeddings were costed 1,000x over",
    source: "LiteLLM oci/cohere.embed-multilingual-light-v3.0 (the same model on OCI) 0.1, and its three Embed v3 siblings 0.1",
  },
];

export const GENAI_CORRECTIONS: GenaiCorrection[] = [
  {
    provider: 'openai',
    model: 'o3',
    priceIndex: 0,
    unit: 'cache_read_mtok',
    expect: '0.5',
    value: '2.5',
    reason: 'before the 2025-06-10 cut o3 was 10/40 with cached input 2.5 (a quarter of input); 0.5 is the post-cut price copied back',
    source: `${TABLE}; RoCry/llm-api-price history of LiteLLM o3 (2025-06-02 sync: 10/40/2.5)`,
  },
];

/**
 * A genai-prices entry that is stale as a whole: its periods are kept as history up to
 * `until`, then the listed periods follow. Only used where pricing.md documents the
 * staleness and a source gives the dates.
 */
export interface StalePeriodsOverride {
  source: string;
  until: string;
  then: Array<Pick<Period, 'from' | 'to' | 'rates' | 'source'>>;
  reason: string;
}

const DEEPSEEK_LATER: StalePeriodsOverride['then'] = [
  {
    from: '2025-09-05T16:00:00Z',
    to: '2025-09-29',
    rates: { input: '0.56', output: '1.68', cache_read: '0.07' },
    source: 'https://skywork.ai/blog/?p=10736 (DeepSeek pricing update 2025-09-05: off-peak discount ended, V3.1 unified prices)',
  },
  {
    from: '2025-09-29',
    to: null,
    rates: { input: '0.28', output: '0.42', cache_read: '0.028' },
    source: 'litellm:deepseek/deepseek-chat (DeepSeek V3.2-Exp price cut of 2025-09-29)',
  },
];

export const STALE_GENAI_OVERRIDES: StalePeriodsOverride[] = ['deepseek-chat', 'deepseek-reasoner'].map((id) => ({
  source: `genai-prices:deepseek/${id}`,
  until: '2025-09-05T16:00:00Z',
  then: DEEPSEEK_LATER,
  reason:
    'genai-prices still has the 2025 off-peak prices (checked 2025-07, pricing.md §4 calls it stale); DeepSeek ended off-peak pricing on 2025-09-05 and cut prices on 2025-09-29, which LiteLLM has (0.28/0.42, cache 0.028)',
}));

/**
 * `-latest` aliases whose genai-prices target is stale: the alias has moved to a newer
 * model, which LiteLLM prices (pricing.md §4: "alias still on Large 2: stale",
 * "matches Medium 3: stale"). The alias points at `target`; `litellmKey` must still
 * carry the target's input/output prices or the seed warns.
 */
export const ALIAS_OVERRIDES = [
  { provider: 'mistral', alias: 'mistral-large-latest', target: 'mistral-large-2512', litellmKey: 'mistral/mistral-large-latest' },
  { provider: 'mistral', alias: 'mistral-medium-latest', target: 'mistral-medium-2604', litellmKey: 'mistral/mistral-medium-latest' },
];

function perTokenNumber(perMillion: string): number {
  return Number(decToString(dec(perMillion).div(1_000_000)));
}

/** Returns a copy of the LiteLLM map with the corrections applied; warns about ones that no longer match. */
export function applyLitellmCorrections(raw: Record<string, unknown>, warnings: WarningLog): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const c of LITELLM_CORRECTIONS) {
    for (const key of c.keys) {
      const entry = out[key];
      if (typeof entry !== 'object' || entry === null) {
        warnings.add(`correction: litellm:${key} not found; "${c.field}" correction not applied`);
        continue;
      }
      const current = (entry as Record<string, unknown>)[c.field];
      const found = typeof current === 'number' ? perTokenToPerMillion(current) : current === undefined ? null : 'a non-number';
      if (found !== c.expect) {
        warnings.add(`correction: litellm:${key} ${c.field} is ${found ?? 'absent'}, not ${c.expect ?? 'absent'}; correction not applied`);
        continue;
      }
      const patched: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
      if (c.value === null) delete patched[c.field];
      else patched[c.field] = perTokenNumber(c.value);
      out[key] = patched;
    }
  }
  return out;
}

/** Returns a copy of the genai-prices list with the corrections applied. */
export function applyGenaiCorrections(raw: unknown[], warnings: WarningLog): unknown[] {
  return raw.map((provider) => {
    const p = provider as { id?: unknown; models?: unknown };
    const mine = GENAI_CORRECTIONS.filter((c) => c.provider === p.id);
    if (mine.length === 0 || !Array.isArray(p.models)) return provider;
    const models = p.models.map((model) => {
      const m = model as { id?: unknown; prices?: unknown };
      let patched = m;
      for (const c of mine.filter((x) => x.model === m.id)) {
        const list = Array.isArray(patched.prices) ? (patched.prices as Array<{ prices: Record<string, unknown> }>) : undefined;
        const entry = list?.[c.priceIndex];
        const current = entry?.prices[c.unit];
        if (!list || !entry || typeof current !== 'number' || numberToDecimalText(current) !== c.expect) {
          warnings.add(`correction: genai-prices:${c.provider}/${c.model} prices[${c.priceIndex}].${c.unit} is no longer ${c.expect}; correction not applied`);
          continue;
        }
        const prices = list.map((e, i) => (i === c.priceIndex ? { ...e, prices: { ...e.prices, [c.unit]: Number(c.value) } } : e));
        patched = { ...patched, prices };
      }
      return patched;
    });
    return { ...(provider as object), models };
  });
}

/** Clips stale genai-prices records at `until` and appends the later periods. */
export function applyStaleOverrides<T extends { source: string; periods: Period[] }>(records: T[], warnings: WarningLog): void {
  for (const o of STALE_GENAI_OVERRIDES) {
    const hits = records.filter((r) => r.source === o.source);
    if (hits.length === 0) warnings.add(`correction: ${o.source} not found; stale-period override not applied`);
    for (const r of hits) {
      const until = Date.parse(o.until);
      const kept = r.periods.filter((p) => p.from === null || Date.parse(p.from) < until);
      for (const p of kept) if (p.to === null || Date.parse(p.to) > until) p.to = o.until;
      r.periods = [...kept, ...o.then.map((p) => ({ ...p, rates: { ...p.rates } }))];
    }
  }
}
