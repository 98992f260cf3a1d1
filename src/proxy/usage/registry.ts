/**
 * The endpoints the proxy forwards, one line each. A billable endpoint has a usage
 * capture and gets a ledger row per upstream attempt; the others (model lists, token
 * counting, a stored response's retrieval and management) are free and are only
 * forwarded and counted in /metrics. A new endpoint is a capture file in this folder and
 * one line here.
 */
import type { Dialect } from '../dialect-error.js';
import type { UsageCapture } from './usage-capture.js';
import { anthropicMessagesCapture } from './anthropic-messages.js';
import { openaiChatCapture } from './openai-chat.js';
import { openaiEmbeddingsCapture } from './openai-embeddings.js';
import { openaiResponsesCapture } from './openai-responses.js';

export interface EndpointRoute {
  /** The canonical path, as recorded and labelled in metrics. */
  endpoint: string;
  dialect: Dialect;
  /** The methods it takes; another gets a 405. */
  methods: readonly ('GET' | 'POST' | 'DELETE')[];
  /** Undefined for free endpoints: forwarded, not recorded. */
  capture: UsageCapture | undefined;
}

const POST = ['POST'] as const;
const GET = ['GET'] as const;

const ROUTES: readonly EndpointRoute[] = [
  { endpoint: '/v1/chat/completions', dialect: 'openai', methods: POST, capture: openaiChatCapture },
  { endpoint: '/v1/responses', dialect: 'openai', methods: POST, capture: openaiResponsesCapture },
  { endpoint: '/v1/responses/input_tokens', dialect: 'openai', methods: POST, capture: undefined },
  { endpoint: '/v1/responses/{id}', dialect: 'openai', methods: ['GET', 'DELETE'], capture: undefined },
  { endpoint: '/v1/responses/{id}/input_items', dialect: 'openai', methods: GET, capture: undefined },
  { endpoint: '/v1/responses/{id}/cancel', dialect: 'openai', methods: POST, capture: undefined },
  { endpoint: '/v1/embeddings', dialect: 'openai', methods: POST, capture: openaiEmbeddingsCapture },
  { endpoint: '/v1/messages', dialect: 'anthropic', methods: POST, capture: anthropicMessagesCapture },
  { endpoint: '/v1/messages/count_tokens', dialect: 'anthropic', methods: POST, capture: undefined },
  { endpoint: '/v1/models', dialect: 'openai', methods: GET, capture: undefined },
];

/** The routes whose path is fixed; those with `{id}` in it are matched by responseRoute. */
const BY_PATH = new Map(ROUTES.filter((r) => !r.endpoint.includes('{')).map((r) => [r.endpoint, r]));
const byEndpoint = (endpoint: string): EndpointRoute => ROUTES.find((r) => r.endpoint === endpoint)!;
const ANTHROPIC_MODELS: EndpointRoute = { endpoint: '/v1/models', dialect: 'anthropic', methods: GET, capture: undefined };

const RESPONSES = '/v1/responses/';
/**
 * A stored response's id as a path segment: `resp_…` from OpenAI, base64 from a LiteLLM
 * gateway (`+` and `=`, as they are or escaped). Never one that an upstream could read
 * as another path — a slash or a backslash (escaped or not), `.` or `..` — so that no id can
 * reach a billed endpoint unmetered.
 */
const ID_SEGMENT = /^(?:[A-Za-z0-9._~+=-]|%[0-9A-Fa-f]{2})+$/;
function isResponseId(id: string): boolean {
  if (!ID_SEGMENT.test(id)) return false;
  let decoded = id;
  if (id.includes('%')) {
    try {
      decoded = decodeURIComponent(id);
    } catch {
      return false; // not UTF-8
    }
  }
  return decoded !== '.' && decoded !== '..' && !/[/\\%]/.test(decoded);
}
/** What follows `/v1/responses/{id}`, and its route. */
const RESPONSE_ROUTES = new Map([
  ['', byEndpoint('/v1/responses/{id}')],
  ['/input_items', byEndpoint('/v1/responses/{id}/input_items')],
  ['/cancel', byEndpoint('/v1/responses/{id}/cancel')],
]);
/**
 * Names under /v1/responses/ that are endpoints, not ids: `input_tokens` is routed above;
 * `compact` runs a model (billed) and is not forwarded unmetered.
 */
const NOT_IDS = new Set(['input_tokens', 'compact']);

/** Every path the proxy answers for LLM traffic, for a 404's message. */
export const FORWARDED_ENDPOINTS: readonly string[] = ROUTES.map((r) => r.endpoint);

/**
 * The route for a request path (without query), or undefined. `/v1/models/{id}` is a
 * model list route too; both providers serve `/v1/models`, told apart by the
 * `anthropic-version` header every Anthropic client sends. A stored response's routes
 * (`/v1/responses/{id}`…) match a path with the id in it.
 */
export function findRoute(path: string, anthropicClient: boolean): EndpointRoute | undefined {
  const route = BY_PATH.get(path);
  if (route !== undefined) return route.endpoint === '/v1/models' && anthropicClient ? ANTHROPIC_MODELS : route;
  if (path.startsWith('/v1/models/') && path.length > 11) return anthropicClient ? ANTHROPIC_MODELS : BY_PATH.get('/v1/models');
  if (path.startsWith(RESPONSES)) return responseRoute(path);
  return undefined;
}

/** `/v1/responses/{id}`, `/v1/responses/{id}/input_items` and `/v1/responses/{id}/cancel`. */
function responseRoute(path: string): EndpointRoute | undefined {
  const slash = path.indexOf('/', RESPONSES.length);
  const id = slash === -1 ? path.slice(RESPONSES.length) : path.slice(RESPONSES.length, slash);
  if (!isResponseId(id) || NOT_IDS.has(id)) return undefined;
  return RESPONSE_ROUTES.get(slash === -1 ? '' : path.slice(slash));
}
