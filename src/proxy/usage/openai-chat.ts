/**
 * OpenAI Chat Completions (`/v1/chat/completions`), also spoken by most OpenAI-compatible
 * providers. `prompt_tokens` includes cached tokens and `completion_tokens` includes
 * reasoning (gateways.md §3.2); the Pricer applies that convention.
 *
 * Streams carry usage only with `stream_options.include_usage`: one extra chunk with
 * empty `choices` after the finish_reason chunk, and `"usage":null` on every other chunk
 * (gateways.md §3.1). When the client did not ask, llmfin asks for it and takes both
 * back out, so the client sees the stream it would have seen. Usage on a chunk that still
 * has choices is a running count where a server repeats it (vLLM's continuous usage
 * stats): it is final once the usage chunk proper (no choices) or `[DONE]` has come.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { CapturedUsage, JsonObject, PreparedRequest, RequestFacts, StreamUsageReader, UsageCapture } from './usage-capture.js';
import { contentText, errorText, generatedChars, isCount, isObject, parseObject, positiveInt, readable, requestedTier, tokens } from './usage-capture.js';
import { isSpace, memberValue, valueAt } from './json-members.js';

/** OpenAI's `service_tier` in a response → the catalogue's tier; `default` is standard. */
export function openaiServiceTier(value: unknown): ServiceTier | undefined {
  if (value === 'flex' || value === 'priority' || value === 'batch') return value;
  if (value === 'default' || value === 'standard' || value === 'scale' || value === 'auto') return 'standard';
  return undefined;
}

/** Usage from a chat completion's `usage` object (JSON response or the usage chunk). */
export function chatUsage(usage: JsonObject, model: unknown, tier: unknown, complete: boolean): CapturedUsage {
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    reported: {
      input: tokens(usage.prompt_tokens),
      output: tokens(usage.completion_tokens),
      // DeepSeek reports cache hits as `prompt_cache_hit_tokens` (part of prompt_tokens), with
      // or without the OpenAI-style details: the details win when present.
      cacheRead: tokens(isCount(prompt.cached_tokens) ? prompt.cached_tokens : usage.prompt_cache_hit_tokens),
      reasoning: tokens(completion.reasoning_tokens),
      inputAudio: tokens(prompt.audio_tokens),
      outputAudio: tokens(completion.audio_tokens),
    },
    raw: usage,
    servedModel: typeof model === 'string' ? model : undefined,
    serviceTier: openaiServiceTier(tier),
    ...readable(usage.prompt_tokens, usage.completion_tokens, complete),
  };
}

// Whitespace allowed where JSON allows it: servers that write JSON with Python's json.dumps
// defaults send `"usage": null` and `, "usage": {…}`.
const USAGE_NULL = /,\s*"usage":\s*null(?=\s*[,}])|"usage":\s*null\s*,\s*/;

/** Bit flags: a `"usage":` member whose value is an object, or null. */
const USAGE_OBJECT = 1;
const USAGE_IS_NULL = 2;

/**
 * Which values the chunk's `"usage":` members hold (USAGE_OBJECT, USAGE_IS_NULL, both or
 * neither). One indexOf scan: a chunk has one such member, or two with Groq's `x_groq`.
 */
function usageMembers(data: string): number {
  let found = 0;
  for (let at = data.indexOf('"usage":'); at !== -1; at = data.indexOf('"usage":', at + 8)) {
    let i = at + 8;
    while (isSpace(data.charCodeAt(i))) i++;
    const c = data.charCodeAt(i);
    if (c === 0x7b) found |= USAGE_OBJECT;
    else if (c === 0x6e && data.startsWith('null', i)) found |= USAGE_IS_NULL;
  }
  return found;
}

/** The member could not be read by scanning: parse the chunk instead. */
const UNREADABLE = Symbol('unreadable');

/**
 * The value of the first `"key":` in a chunk's text when it is a string or null; undefined
 * when the text has no such key; UNREADABLE for any other value. A quote inside a JSON
 * string is escaped, so an unescaped `"key":` is a key — the first is the top-level one in
 * a chunk, where the provider puts `model` and `service_tier` before `choices` (the same
 * reading as for non-streamed bodies, json-usage.ts).
 */
function stringMember(data: string, key: string): string | null | undefined | typeof UNREADABLE {
  const at = memberValue(data, key, false);
  if (at === -1) return undefined;
  let i = at;
  while (isSpace(data.charCodeAt(i))) i++;
  if (data.startsWith('null', i)) return null;
  const text = valueAt(data, i);
  if (text === undefined || text.charCodeAt(0) !== 0x22) return UNREADABLE;
  try {
    return JSON.parse(text) as string;
  } catch {
    return UNREADABLE;
  }
}

class ChatStreamReader implements StreamUsageReader {
  outputChars = 0;
  done = false;
  #usage: CapturedUsage | undefined;
  /** The latest `usage` object and whether it is final: read into #usage by result(). */
  #standard: { usage: JsonObject; final: boolean; charsCounted: number } | undefined;
  #model: string | undefined;
  #tier: unknown;
  /** A standard `usage` member was seen: it wins over a provider's own (Groq's x_groq). */
  #standardUsage = false;
  readonly #hideUsage: boolean;
  streamError: string | undefined;

  constructor(hideUsage: boolean) {
    this.#hideUsage = hideUsage;
  }

  get servedModel(): string | undefined {
    return this.#model === '' ? undefined : this.#model;
  }

  onEvent(data: string): string | null | undefined {
    if (data === '[DONE]') {
      this.done = true;
      return undefined;
    }
    // An error sent as a chunk ({"error":{…}}, or vLLM's {"object":"error",…}): an unescaped
    // `"error"` is a key or a whole value, which no content chunk has.
    // Parsed once, here or below (null: not yet); a chunk that is not JSON is read like any other.
    let parsed: JsonObject | undefined | null = null;
    if (data.includes('"error"')) {
      parsed = parseObject(data);
      if (isObject(parsed?.error)) this.streamError = errorText(parsed.error) ?? 'error';
      else if (parsed?.object === 'error') this.streamError = errorText(parsed) ?? 'error';
    }
    this.outputChars += generatedChars(data);
    // One scan for `"usage":` tells both cases apart (usage, or null).
    const members = usageMembers(data);
    const hasUsage = (members & USAGE_OBJECT) !== 0;
    const usageNull = (members & USAGE_IS_NULL) !== 0;
    // Parse only the chunks that matter: the one with usage, and the first ones until one
    // names the served model (and tier) — read from its text when that can be done exactly:
    // a whole parse of a chunk per stream showed in the profile, for one string.
    if (this.#model === undefined && !hasUsage && data.charCodeAt(0) === 0x7b) {
      const model = stringMember(data, 'model');
      const tier = stringMember(data, 'service_tier');
      if (model !== UNREADABLE && tier !== UNREADABLE) {
        if (typeof model === 'string') this.#model = model;
        if (tier !== undefined) this.#tier = tier;
        if (this.#hideUsage && usageNull) return `data: ${data.replace(USAGE_NULL, '')}\n\n`;
        return undefined;
      }
    }
    if (this.#model === undefined || hasUsage) {
      const chunk = parsed === null ? parseObject(data) : parsed;
      if (chunk === undefined) return undefined;
      if (typeof chunk.model === 'string') this.#model = chunk.model;
      if (chunk.service_tier !== undefined) this.#tier = chunk.service_tier;
      if (!this.#standardUsage && isObject(chunk.x_groq) && isObject(chunk.x_groq.usage)) {
        // Groq puts a stream's usage in `x_groq.usage` on its last chunk (whether or not it also
        // sends the usage chunk asked for): the provider's own field, passed on as it came.
        this.#usage = chatUsage(chunk.x_groq.usage, this.#model, this.#tier, true);
      }
      if (isObject(chunk.usage)) {
        // Usage is cumulative where a provider repeats it (vLLM's continuous stats): the last one wins,
        // and on a chunk that still carries choices it is the count so far.
        const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
        this.#standard = { usage: chunk.usage, final: choices.length === 0, charsCounted: this.outputChars };
        this.#standardUsage = true;
        if (this.#hideUsage) {
          if (choices.length === 0) return null;
          // A provider that puts usage on a content chunk: keep the content, drop the usage.
          delete chunk.usage;
          return `data: ${JSON.stringify(chunk)}\n\n`;
        }
        return undefined;
      }
    }
    if (this.#hideUsage && usageNull) return `data: ${data.replace(USAGE_NULL, '')}\n\n`;
    return undefined;
  }

  result(): CapturedUsage | undefined {
    const s = this.#standard;
    if (s === undefined) return this.#usage;
    const final = s.final || this.done;
    const usage = chatUsage(s.usage, this.#model, this.#tier, final);
    if (!final) usage.outputCharsCounted = s.charsCounted;
    return usage;
  }
}

export const openaiChatCapture: UsageCapture = {
  dialect: 'openai',
  endpoint: '/v1/chat/completions',

  facts(body: JsonObject): RequestFacts {
    const promptText: string[] = [];
    const messages = Array.isArray(body.messages) ? body.messages : [];
    for (const m of messages) if (isObject(m)) contentText(m.content, promptText);
    return {
      stream: body.stream === true,
      promptText,
      messageCount: messages.length,
      maxOutputTokens: positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens),
      // `n` completions: the output cap holds for each of them.
      choices: positiveInt(body.n),
      serviceTier: requestedTier(body),
    };
  },

  prepare(body: JsonObject, facts: RequestFacts): PreparedRequest {
    if (!facts.stream) return { injectedUsage: false };
    const options = isObject(body.stream_options) ? body.stream_options : undefined;
    if (options?.include_usage === true) return { injectedUsage: false };
    body.stream_options = { ...options, include_usage: true };
    return { injectedUsage: true };
  },

  fromJson(body: unknown): CapturedUsage | undefined {
    if (!isObject(body) || !isObject(body.usage)) return undefined;
    return chatUsage(body.usage, body.model, body.service_tier, true);
  },

  streamReader(prepared: PreparedRequest): StreamUsageReader {
    return new ChatStreamReader(prepared.injectedUsage);
  },
};
