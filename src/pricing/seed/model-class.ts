/**
 * Heuristics for the two descriptive model fields the datasets do not give directly.
 * `kind` comes from LiteLLM's `mode` when a LiteLLM entry is merged in; otherwise it is
 * guessed from the id. `class` feeds llmfin's tier-mix reports ("how much of the spend
 * goes to flagship models") and is a name-based guess, editable by hand:
 *  - small: mini, nano, micro, tiny, lite, haiku, instant, small/light, Luna, or a
 *    parameter count of 8B or less;
 *  - flagship: Opus, Fable, GPT-5.x and o1/o3 (not mini), GPT-4/4.5, Gemini Pro,
 *    "large", "premier", "ultra", Grok 4 (not fast), 405B, "-pro" variants, Sol;
 *  - workhorse: everything else (Sonnet, GPT-4o/4.1, Flash, Terra, Medium, 70B, …).
 * Small is tested first, so `gpt-5.4-mini` is small and `gemini-2.5-flash-lite` small.
 */
import type { ModelClass } from '../catalogue-schema.js';
import type { ModelKind } from './seed-types.js';

export function kindFromId(id: string): ModelKind {
  const s = id.toLowerCase();
  if (/embed/.test(s)) return 'embedding';
  if (/rerank/.test(s)) return 'rerank';
  if (/moderation|guard/.test(s)) return s.includes('guard') ? 'chat' : 'moderation';
  if (/tts|transcribe|whisper|realtime|sonic|native-audio|-live|live-|speech|(^|-)audio/.test(s)) return 'audio';
  if (/image|imagen|dall-e/.test(s)) return 'image';
  return 'chat';
}

const SMALL_WORDS = /(^|[^a-z])(mini|nano|micro|tiny|lite|haiku|instant|small|light|luna|flash-8b)([^a-z]|$)/;
const FLAGSHIP = [
  /opus|fable|premier|ultra|405b|deep-?research/,
  /(^|[^a-z])(large|sol)([^a-z]|$)/,
  /(^|[^a-z])pro([^a-z]|$)/,
  /^gpt-5(\.\d+)?(-(chat|codex|codex-max|chat-latest|search-api))?(-\d{4}-\d{2}-\d{2})?$/,
  /^gpt-5(\.\d+)?-pro/,
  /^gpt-4(-32k|-turbo.*|-\d{4}.*|-vision-preview)?$/,
  /^gpt-4\.5/,
  /^o[13](-pro)?(-\d{4}-\d{2}-\d{2})?$/,
  /gemini-[\d.]+-pro/,
  /grok-4(?!.*(fast|mini))/,
];

/** The largest parameter count named in the id ("llama-3.1-8b" → 8), ignoring "a3b"-style active counts. */
function parameterBillions(id: string): number | undefined {
  let max: number | undefined;
  for (const m of id.matchAll(/(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z0-9])/g)) {
    const n = Number(m[1]);
    if (max === undefined || n > max) max = n;
  }
  return max;
}

export function classFor(id: string, kind: ModelKind): ModelClass | undefined {
  if (kind !== 'chat') return undefined;
  const s = id.toLowerCase().slice(id.lastIndexOf('/') + 1);
  const size = parameterBillions(s);
  if (SMALL_WORDS.test(s) || (size !== undefined && size <= 8)) return 'small';
  if (/gpt-4o/.test(s)) return 'workhorse';
  if (FLAGSHIP.some((re) => re.test(s))) return 'flagship';
  return 'workhorse';
}
