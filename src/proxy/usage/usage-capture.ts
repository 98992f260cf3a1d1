/**
 * The usage extension point: one `UsageCapture` per endpoint (openai-chat.ts,
 * openai-responses.ts, openai-embeddings.ts, anthropic-messages.ts), listed in
 * registry.ts. A capture knows its endpoint's request body (prompt text, max tokens,
 * stream flag, what to inject so that usage comes back) and its response (usage in a
 * JSON body or in SSE events, in the provider's own convention). Captures are pure: no
 * I/O, no pricing; the forwarder prices what they report.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { ReportedUsage } from '../../pricing/token-usage.js';
import type { Dialect } from '../dialect-error.js';

export type JsonObject = Record<string, unknown>;

/** Usage as the provider reported it for one attempt. */
export interface CapturedUsage {
  /** Token counts in the provider's convention (the Pricer normalises them). */
  reported: ReportedUsage;
  /** The provider's usage object(s) as received, kept on the row for re-pricing. */
  raw: unknown;
  /** The model the provider says it served (often a dated snapshot of the one asked for). */
  servedModel?: string | undefined;
  /** The tier the provider says it served on, when it says (Anthropic's fast mode is the `fast` tier). */
  serviceTier?: ServiceTier | undefined;
  /** Where the provider says it ran the model, when that is priced apart (Anthropic's `inference_geo: "us"`). */
  region?: string | undefined;
  /**
   * False when the provider's final usage never arrived (a stream cut short), or its
   * output count could not be read: what is here is what was known by then (Anthropic's
   * input counts from `message_start`), and the output is estimated.
   */
  complete: boolean;
  /**
   * Characters of generated text seen when the output count was given (an Anthropic
   * stream's latest message_delta), for usage that is not complete: the count covers the
   * text up to there, and the text after it is estimated on top.
   */
  outputCharsCounted?: number | undefined;
  /**
   * True when the usage object has no input count that can be read (empty, another API's
   * field names, a count that is not a whole non-negative number): nothing in it is
   * trusted, and the row is estimated from the prompt and the text seen, never priced
   * from zeros that were not reported.
   */
  inputUnknown?: boolean;
  /** The Responses API response's id, for a request that continues it (`previous_response_id`). */
  responseId?: string | undefined;
  /** The conversation the response belongs to (Conversations API), for the next request in it. */
  conversationId?: string | undefined;
}

/** What the request side needs to know about a request body. */
export interface RequestFacts {
  stream: boolean;
  /** The prompt's text parts (system, messages, input), for the hash, features and estimates. */
  promptText: string[];
  /** Messages or input items in the prompt. */
  messageCount: number;
  /** The output cap the client set, if any. */
  maxOutputTokens: number | undefined;
  /** Completions asked for (OpenAI chat's `n`), each up to the output cap; 1 when absent. */
  choices?: number | undefined;
  /** Server-side web searches the request's tools allow (Anthropic's `web_search` tool's `max_uses`). */
  maxWebSearches?: number | undefined;
  /**
   * The tier the request asks for when it costs more than the standard one (OpenAI's
   * `service_tier: "priority"`, Anthropic's `speed: "fast"`): the reservation assumes its rates.
   */
  serviceTier?: ServiceTier | undefined;
  /**
   * Where the request asks the model to run when that is priced apart (Anthropic's
   * `inference_geo: "us"`, 1.1×): the reservation, and an estimate, assume its rates.
   */
  region?: string | undefined;
  /** The response a Responses API request continues (`previous_response_id`): its context is billed as input too. */
  previousResponseId?: string | undefined;
  /** The conversation a Responses API request is part of (`conversation`): its items are billed as input too. */
  conversationId?: string | undefined;
  /** A Responses API request with `background: true`: answered before the model runs. */
  background?: boolean;
}

/** The body to send upstream and what the response side must undo. */
export interface PreparedRequest {
  /** True when llmfin changed the request so that usage comes back (the client did not ask for it). */
  injectedUsage: boolean;
}

/** Reads one SSE response incrementally. */
export interface StreamUsageReader {
  /**
   * Sees each complete event (`data` joined, `event` name if any) in order and returns
   * the text to send the client in its place: `undefined` to keep the event as it was,
   * `null` to drop it, or a replacement event (with its trailing blank line).
   */
  onEvent(data: string, event: string | undefined): string | null | undefined;
  /** Usage known so far; `complete: false` unless the provider's final usage arrived. */
  result(): CapturedUsage | undefined;
  /** Characters of generated text seen (for an estimate when usage never arrives). */
  readonly outputChars: number;
  /**
   * True once the provider's terminal event has been read (`[DONE]`, `message_stop`,
   * `response.completed`): the client's response can end now, with the cost comment in
   * the same write.
   */
  readonly done: boolean;
  /** The model the stream's events name (its first event, before any usage), when they do. */
  readonly servedModel?: string | undefined;
  /**
   * The provider's error reported in the stream itself (`event: error`, a chunk with an
   * `error` object, `response.failed`), as `type: message`, when there was one.
   */
  readonly streamError?: string | undefined;
  /** The status the stream's terminal event gave its response (Responses API: `completed`, `incomplete`, `failed`). */
  readonly finalStatus?: string | undefined;
  /** The response's id, from the stream's first event (Responses API `response.created`). */
  readonly responseId?: string | undefined;
  /** The response's `created_at` (Unix seconds) as its terminal event gave it (Responses API). */
  readonly createdAt?: number | undefined;
}

/**
 * `code: message` of a provider's error object (its `type` when it has no code; whichever of
 * the two is there), cut to 200 characters.
 */
export function errorText(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  const type = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : undefined;
  const message = typeof error.message === 'string' ? error.message : undefined;
  const text = type !== undefined && message !== undefined ? `${type}: ${message}` : (type ?? message);
  return text === undefined ? undefined : text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export interface UsageCapture {
  readonly dialect: Dialect;
  /** The path it serves, e.g. '/v1/chat/completions'. */
  readonly endpoint: string;
  facts(body: JsonObject): RequestFacts;
  /**
   * Changes `body` in place so that the response reports usage (OpenAI chat streams:
   * `stream_options.include_usage`), and says whether it did.
   */
  prepare(body: JsonObject, facts: RequestFacts): PreparedRequest;
  /** Usage from a complete JSON response body, or undefined when it has none. */
  fromJson(body: unknown): CapturedUsage | undefined;
  /**
   * A reader for a streamed response. `rewrite` is true when events may need changing
   * (the request was prepared with injected usage); otherwise the forwarder sends the
   * upstream bytes unchanged and only reads.
   */
  streamReader(prepared: PreparedRequest): StreamUsageReader;
}

/** True for a token count as a provider reports one: a whole, non-negative number. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * `complete` and `inputUnknown` for a usage object, from whether its input and output
 * counts can be read (see CapturedUsage).
 */
export function readable(inputCount: unknown, outputCount: unknown, complete: boolean): Pick<CapturedUsage, 'complete' | 'inputUnknown'> {
  if (!isCount(inputCount)) return { complete: false, inputUnknown: true };
  return { complete: complete && isCount(outputCount) };
}

/** A whole, non-negative token count from a JSON value, or 0. */
export function tokens(value: unknown): number {
  return isCount(value) ? value : 0;
}

/** `data` parsed, when it is a JSON object; undefined when it is not JSON, or not an object. */
export function parseObject(data: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a content value: a string, or an array of parts with `text` (OpenAI and Anthropic shapes). */
export function contentText(content: unknown, out: string[]): void {
  if (typeof content === 'string') {
    out.push(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (typeof part === 'string') out.push(part);
    else if (isObject(part)) {
      if (typeof part.text === 'string') out.push(part.text);
      else if (typeof part.input_text === 'string') out.push(part.input_text);
      // Tool results nest their content one level down (Anthropic tool_result, Responses function output).
      else if (part.content !== undefined) contentText(part.content, out);
      else if (typeof part.output === 'string') out.push(part.output);
    }
  }
}

/**
 * Whether the key whose closing quote is at `at` (in `…"key":"…`) is one that carries
 * generated text: content, text, delta, partial_json, thinking, arguments, refusal.
 */
function isTextKey(data: string, at: number): boolean {
  let name: string;
  switch (data.charCodeAt(at - 1)) {
    case 0x74: // t: content or text
      name = data.charCodeAt(at - 2) === 0x6e ? 'content' : 'text';
      break;
    case 0x61: // a
      name = 'delta';
      break;
    case 0x6e: // n
      name = 'partial_json';
      break;
    case 0x67: // g
      name = 'thinking';
      break;
    case 0x73: // s
      name = 'arguments';
      break;
    case 0x6c: // l
      name = 'refusal';
      break;
    default:
      return false;
  }
  const start = at - name.length;
  return start > 0 && data.charCodeAt(start - 1) === 0x22 && data.startsWith(name, start);
}

/**
 * Characters of generated text in one SSE data payload: the JSON strings under the keys
 * that carry text. This runs on every event, so it is one indexOf scan for `":"` — in
 * JSON text that is always a key followed by a string value (a quote inside a string is
 * escaped) — with the key checked at each, rather than a scan per key or a regex.
 */
export function generatedChars(data: string): number {
  const at = data.indexOf('":"');
  if (at !== -1) return textChars(data, at, '":"');
  // JSON written with a space after each colon (Python's json.dumps defaults).
  const spacedAt = data.indexOf('": "');
  return spacedAt === -1 ? 0 : textChars(data, spacedAt, '": "');
}

/** generatedChars from the first key-and-string boundary `sep` at `first`. */
function textChars(data: string, first: number, sep: string): number {
  let n = 0;
  for (let at = first; at !== -1; at = data.indexOf(sep, at)) {
    let i = at + sep.length;
    if (isTextKey(data, at)) {
      const start = i;
      while (i < data.length) {
        const c = data.charCodeAt(i);
        if (c === 0x5c) i += 2; // backslash: skip the escaped character
        else if (c === 0x22) break; // closing quote
        else i++;
      }
      n += i - start;
      i++;
    }
    at = i;
  }
  return n;
}

/**
 * The tier an OpenAI request (chat, responses) asks for, when it is priority: the one tier
 * that costs more than standard, and is served as asked when the project has it.
 */
export function requestedTier(body: JsonObject): ServiceTier | undefined {
  return body.service_tier === 'priority' ? 'priority' : undefined;
}

/** A positive integer option from a body (max_tokens…), or undefined. */
export function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
