/**
 * OpenAI Responses API (`/v1/responses`). Usage is in the response object: in the JSON
 * body, and in a stream only in the terminal event (`response.completed`, or
 * `response.incomplete` / `response.failed`). The API rejects `stream_options`, so
 * nothing is injected here (LiteLLM fix #28553, gateways.md §3.1). `input_tokens`
 * includes cached tokens and `output_tokens` includes reasoning. The built-in web search
 * tool is billed per call on top of the tokens, and the usage object does not count the
 * calls: each `web_search_call` item of the response's `output` is one (the terminal
 * event's response carries the same `output`).
 */
import type { CapturedUsage, JsonObject, PreparedRequest, RequestFacts, StreamUsageReader, UsageCapture } from './usage-capture.js';
import { contentText, errorText, generatedChars, isObject, parseObject, positiveInt, readable, requestedTier, tokens } from './usage-capture.js';
import { openaiServiceTier } from './openai-chat.js';
import { DEFAULT_MAX_WEB_SEARCHES } from '../max-cost.js';

/** A `conversation` as a request (its id, or `{ id }`) or a response (`{ id }`) gives it. */
function conversationId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) && typeof value.id === 'string' ? value.id : undefined;
}

/** The web search tool's calls in a response's `output` items; undefined when it has no `output` list. */
function webSearchCalls(output: unknown): number | undefined {
  if (!Array.isArray(output)) return undefined;
  let n = 0;
  for (const item of output) if (isObject(item) && item.type === 'web_search_call') n++;
  return n;
}

/**
 * The web searches a request allows: with a `web_search` (or `web_search_preview`) tool,
 * its `max_tool_calls` (a cap on all built-in tool calls) or DEFAULT_MAX_WEB_SEARCHES;
 * undefined without such a tool.
 */
function webSearchCap(body: JsonObject): number | undefined {
  if (!Array.isArray(body.tools)) return undefined;
  const searches = body.tools.some((t) => isObject(t) && typeof t.type === 'string' && t.type.startsWith('web_search'));
  return searches ? (positiveInt(body.max_tool_calls) ?? DEFAULT_MAX_WEB_SEARCHES) : undefined;
}

function responseUsage(response: JsonObject, complete: boolean, searchesSeen?: number): CapturedUsage | undefined {
  if (!isObject(response.usage)) return undefined;
  const usage = response.usage;
  const input = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    reported: {
      input: tokens(usage.input_tokens),
      output: tokens(usage.output_tokens),
      cacheRead: tokens(input.cached_tokens),
      reasoning: tokens(output.reasoning_tokens),
      webSearches: webSearchCalls(response.output) ?? searchesSeen ?? 0,
    },
    raw: usage,
    servedModel: typeof response.model === 'string' ? response.model : undefined,
    serviceTier: openaiServiceTier(response.service_tier),
    responseId: typeof response.id === 'string' ? response.id : undefined,
    conversationId: conversationId(response.conversation),
    ...readable(usage.input_tokens, usage.output_tokens, complete),
  };
}

// For events without an `event:` line, read from their data (whitespace allowed where JSON allows it).
const TERMINAL = /"type":\s*"response\.(completed|incomplete|failed)"/;
const CREATED = /^\{\s*"type":\s*"response\.created"/;
const ERROR = /^\{\s*"type":\s*"error"/;
const TYPE = /^\{\s*"type":\s*"([^"\\]*)"/;
const SEARCH_ITEM = /"type":\s*"web_search_call"/;

class ResponsesStreamReader implements StreamUsageReader {
  outputChars = 0;
  done = false;
  servedModel: string | undefined;
  streamError: string | undefined;
  finalStatus: string | undefined;
  responseId: string | undefined;
  createdAt: number | undefined;
  #usage: CapturedUsage | undefined;
  /** Ids of the web search calls the stream announced, for a terminal event whose response has no `output`. */
  #searches = new Set<string>();

  onEvent(data: string, event: string | undefined): undefined {
    const terminal = event === 'response.completed' || event === 'response.incomplete' || event === 'response.failed' || (event === undefined && TERMINAL.test(data));
    if (!terminal) {
      if (event === 'response.created' || (event === undefined && CREATED.test(data))) {
        // The served model, for a stream that ends without its terminal event; the id, for a
        // background response's stream that ends early (it runs on, and can be retrieved).
        const response = parseObject(data)?.response;
        if (isObject(response) && typeof response.model === 'string') this.servedModel = response.model;
        if (isObject(response) && typeof response.id === 'string') this.responseId = response.id;
      } else if (event === 'error' || (event === undefined && ERROR.test(data))) {
        this.streamError = errorText(parseObject(data)) ?? 'error';
      } else {
        const type = event ?? TYPE.exec(data)?.[1];
        // Only an output item's events (or one without its type in front) may be a web search
        // call's: the text deltas, most of a stream, are not searched for one.
        const item = type === undefined || type === 'response.output_item.added' || type === 'response.output_item.done';
        if (item && SEARCH_ITEM.test(data)) {
          // response.output_item.added / .done of a web search call (no text of its own).
          const it = parseObject(data)?.item;
          if (isObject(it) && it.type === 'web_search_call') this.#searches.add(typeof it.id === 'string' ? it.id : `#${this.#searches.size}`);
        } else if (type === undefined || type.endsWith('.delta')) {
          // Only the text deltas count as output seen: the `.done` events and the terminal event
          // repeat the whole text. An event without its type in front is counted, as it may be one.
          this.outputChars += generatedChars(data);
        }
      }
      return undefined;
    }
    this.done = true;
    const response = parseObject(data)?.response;
    // A malformed terminal event leaves the usage unknown: the row is estimated.
    if (isObject(response)) {
      this.#usage = responseUsage(response, true, this.#searches.size) ?? this.#usage;
      if (typeof response.model === 'string') this.servedModel = response.model;
      if (typeof response.status === 'string') this.finalStatus = response.status;
      if (typeof response.created_at === 'number') this.createdAt = response.created_at;
      if (response.status === 'failed') this.streamError = `response.failed${isObject(response.error) ? ` (${errorText(response.error)})` : ''}`;
    }
    return undefined;
  }

  result(): CapturedUsage | undefined {
    return this.#usage;
  }
}

export const openaiResponsesCapture: UsageCapture = {
  dialect: 'openai',
  endpoint: '/v1/responses',

  facts(body: JsonObject): RequestFacts {
    const promptText: string[] = [];
    if (typeof body.instructions === 'string') promptText.push(body.instructions);
    let messageCount = 0;
    if (typeof body.input === 'string') {
      promptText.push(body.input);
      messageCount = 1;
    } else if (Array.isArray(body.input)) {
      messageCount = body.input.length;
      for (const item of body.input) {
        if (typeof item === 'string') promptText.push(item);
        else if (isObject(item)) {
          if (item.content !== undefined) contentText(item.content, promptText);
          else if (typeof item.output === 'string') promptText.push(item.output);
          else if (typeof item.arguments === 'string') promptText.push(item.arguments);
        }
      }
    }
    return {
      stream: body.stream === true,
      promptText,
      messageCount,
      maxOutputTokens: positiveInt(body.max_output_tokens),
      serviceTier: requestedTier(body),
      previousResponseId: typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined,
      conversationId: conversationId(body.conversation),
      background: body.background === true,
      maxWebSearches: webSearchCap(body),
    };
  },

  prepare(): PreparedRequest {
    return { injectedUsage: false };
  },

  fromJson(body: unknown): CapturedUsage | undefined {
    return isObject(body) ? responseUsage(body, true) : undefined;
  },

  streamReader(): StreamUsageReader {
    return new ResponsesStreamReader();
  },
};
