/**
 * Anthropic Messages (`/v1/messages`). `input_tokens` excludes cache reads and writes;
 * cache writes are split into 5-minute and 1-hour buckets when the response says so
 * (`cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`), else all
 * writes are 5-minute (the default TTL). `server_tool_use.web_search_requests` counts the
 * web searches, billed per search on top of the tokens. `speed: "fast"` (fast mode) and
 * `inference_geo: "us"` (US-only inference) are priced at their own rates, as the usage
 * report importer prices them.
 *
 * Streams: `message_start` carries input and cache counts (and a small initial output
 * count); every `message_delta` carries CUMULATIVE usage, so the last one is the total —
 * summing them over-counts (gateways.md §3.1). Some servers send several as they go: only
 * the one that ends the message (its `stop_reason`, or `message_stop` after it) is final.
 * Because input arrives first, a stream cut short still has exact input counts, and the
 * output counted by its latest delta plus an estimate of the text after it.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import { DEFAULT_MAX_WEB_SEARCHES } from '../max-cost.js';
import type { CapturedUsage, JsonObject, PreparedRequest, RequestFacts, StreamUsageReader, UsageCapture } from './usage-capture.js';
import { contentText, errorText, generatedChars, isObject, parseObject, positiveInt, readable, tokens } from './usage-capture.js';

/** The tier a usage object says it was served on: fast mode (`speed: "fast"`, priced as the `fast` tier), else its service_tier. */
function anthropicTier(usage: JsonObject): ServiceTier | undefined {
  if (usage.speed === 'fast') return 'fast';
  const value = usage.service_tier;
  return value === 'standard' || value === 'priority' || value === 'batch' ? value : undefined;
}

/** `inference_geo` when it names a region (US-only inference is priced apart); global is the default. */
function anthropicRegion(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const geo = value.toLowerCase();
  return geo === '' || geo === 'global' || geo === 'not_available' ? undefined : geo;
}

/** Usage from an Anthropic usage object (a message's, or message_start's merged with the last message_delta's). */
export function anthropicUsage(usage: JsonObject, model: unknown, complete: boolean): CapturedUsage {
  const writes = tokens(usage.cache_creation_input_tokens);
  let write5m = writes;
  let write1h = 0;
  if (isObject(usage.cache_creation)) {
    const split5m = tokens(usage.cache_creation.ephemeral_5m_input_tokens);
    write1h = tokens(usage.cache_creation.ephemeral_1h_input_tokens);
    // The split is authoritative; the total is kept only if the split is missing a part.
    write5m = Math.max(split5m, writes - write1h);
  }
  return {
    reported: {
      input: tokens(usage.input_tokens),
      output: tokens(usage.output_tokens),
      cacheRead: tokens(usage.cache_read_input_tokens),
      cacheWrite5m: write5m,
      cacheWrite1h: write1h,
      webSearches: isObject(usage.server_tool_use) ? tokens(usage.server_tool_use.web_search_requests) : 0,
    },
    raw: usage,
    servedModel: typeof model === 'string' ? model : undefined,
    serviceTier: anthropicTier(usage),
    region: anthropicRegion(usage.inference_geo),
    ...readable(usage.input_tokens, usage.output_tokens, complete),
  };
}

/**
 * The web searches a request's tools allow: each `web_search_*` server tool's `max_uses`,
 * or DEFAULT_MAX_WEB_SEARCHES when it sets none; undefined without such a tool.
 */
function webSearchCap(tools: unknown): number | undefined {
  if (!Array.isArray(tools)) return undefined;
  let cap: number | undefined;
  for (const t of tools) {
    if (!isObject(t) || typeof t.type !== 'string' || !t.type.startsWith('web_search')) continue;
    cap = (cap ?? 0) + (positiveInt(t.max_uses) ?? DEFAULT_MAX_WEB_SEARCHES);
  }
  return cap;
}

/** The input-side counts, which message_start gives and a message_delta may repeat. */
const INPUT_COUNTS = new Set(['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens']);

/** The sum of an object's counts (`cache_creation`'s 5-minute and 1-hour buckets). */
function countSum(value: unknown): number {
  if (!isObject(value)) return tokens(value);
  let n = 0;
  for (const v of Object.values(value)) n += tokens(v);
  return n;
}

/**
 * True when a message_delta gives an input-side count (or the cache-write split) as 0 where
 * message_start counted tokens. Cumulative totals never fall, so this is a server leaving
 * the field at zero rather than a total (SGLang's Anthropic-compatible endpoint sends
 * `input_tokens: 0` in its message_delta): taking it would price the prompt at nothing.
 */
function zeroedInputCount(key: string, next: unknown, before: unknown): boolean {
  if (!INPUT_COUNTS.has(key) && key !== 'cache_creation') return false;
  return countSum(next) === 0 && countSum(before) > 0;
}

class MessagesStreamReader implements StreamUsageReader {
  outputChars = 0;
  done = false;
  /** message_start's usage, then every message_delta's fields laid over it (they are cumulative). */
  #usage: JsonObject | undefined;
  #model: string | undefined;
  #final = false;
  /** A message_delta with usage was read: message_stop makes its counts final. */
  #delta = false;
  /** outputChars when the latest message_delta's usage was read. */
  #charsCounted: number | undefined;
  streamError: string | undefined;

  get servedModel(): string | undefined {
    return this.#model;
  }

  onEvent(data: string, event: string | undefined): undefined {
    const type = event ?? /"type":\s*"([a-z_]+)"/.exec(data)?.[1];
    if (type === 'content_block_delta') {
      this.outputChars += generatedChars(data);
      return undefined;
    }
    if (type === 'message_stop') {
      this.done = true;
      if (this.#delta) this.#final = true;
      return undefined;
    }
    if (type !== 'message_start' && type !== 'message_delta' && type !== 'error') return undefined;
    const parsed = parseObject(data);
    if (parsed === undefined) return undefined;
    if (type === 'error') {
      // An error mid-stream (overloaded_error…): the stream ends here, without its final usage.
      this.streamError = errorText(parsed.error) ?? 'error';
      return undefined;
    }
    if (type === 'message_start' && isObject(parsed.message)) {
      if (typeof parsed.message.model === 'string') this.#model = parsed.message.model;
      if (isObject(parsed.message.usage)) this.#usage = { ...parsed.message.usage };
    } else if (type === 'message_delta' && isObject(parsed.usage)) {
      // Later values replace earlier ones (cumulative counts); absent fields keep message_start's,
      // and so do input-side counts a delta gives as 0 (zeroedInputCount).
      const merged: JsonObject = { ...this.#usage };
      for (const [k, v] of Object.entries(parsed.usage)) if (v !== null && v !== undefined && !zeroedInputCount(k, v, merged[k])) merged[k] = v;
      this.#usage = merged;
      this.#delta = true;
      this.#charsCounted = this.outputChars;
      // A delta that does not end the message is a running count (servers that send several).
      if (isObject(parsed.delta) && parsed.delta.stop_reason !== null && parsed.delta.stop_reason !== undefined) this.#final = true;
    }
    return undefined;
  }

  result(): CapturedUsage | undefined {
    if (this.#usage === undefined) return undefined;
    const usage = anthropicUsage(this.#usage, this.#model, this.#final);
    if (this.#charsCounted !== undefined) usage.outputCharsCounted = this.#charsCounted;
    return usage;
  }
}

export const anthropicMessagesCapture: UsageCapture = {
  dialect: 'anthropic',
  endpoint: '/v1/messages',

  facts(body: JsonObject): RequestFacts {
    const promptText: string[] = [];
    contentText(body.system, promptText);
    const messages = Array.isArray(body.messages) ? body.messages : [];
    for (const m of messages) if (isObject(m)) contentText(m.content, promptText);
    return {
      stream: body.stream === true,
      promptText,
      messageCount: messages.length,
      maxOutputTokens: positiveInt(body.max_tokens),
      maxWebSearches: webSearchCap(body.tools),
      // Fast mode asked for: reserved (and estimated) at its rates, as it will be served where the organization has it.
      serviceTier: body.speed === 'fast' ? 'fast' : undefined,
      region: anthropicRegion(body.inference_geo),
    };
  },

  prepare(): PreparedRequest {
    return { injectedUsage: false };
  },

  fromJson(body: unknown): CapturedUsage | undefined {
    if (!isObject(body) || !isObject(body.usage)) return undefined;
    return anthropicUsage(body.usage, body.model, true);
  },

  streamReader(): StreamUsageReader {
    return new MessagesStreamReader();
  },
};
