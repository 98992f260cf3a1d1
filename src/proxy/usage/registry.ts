/**
 * The endpoints the proxy forwards, one line per endpoint and method. A billable line has a
 * usage capture and gets a ledger row per upstream attempt; the others (model lists, token
 * counting, a stored response's or chat completion's retrieval and management) are free and
 * are only forwarded and counted in /metrics. One path may be billed for one method and free
 * for another: `POST /v1/chat/completions` runs a model, `GET` lists stored completions.
 * A new endpoint is a capture file in this folder and one line here.
 */
import type { Dialect } from '../dialect-error.js';
import type { UsageCapture } from './usage-capture.js';
import { anthropicMessagesCapture } from './anthropic-messages.js';
import { openaiChatCapture } from './openai-chat.js';
import { openaiEmbeddingsCapture } from './openai-embeddings.js';
import { openaiResponsesCapture } from './openai-responses.js';

export type RouteMethod = 'GET' | 'POST' | 'DELETE';

export interface EndpointRoute {
  /** The canonical path, as recorded and labelled in metrics. */
  endpoint: string;
  method: RouteMethod;
  dialect: Dialect;
  /** Undefined for free endpoints: forwarded, not recorded. */
  capture: UsageCapture | undefined;
  /**
   * A free endpoint whose answer is a Responses API response object: when it is a
   * background response the proxy saw created and it has ended, its usage (read with this
   * capture) replaces the created row's estimate (background-responses.ts).
   */
  settles?: UsageCapture;
}

/** The lines of one path: what findRoute answers, and the server picks the request's method from. */
export interface PathRoutes {
  endpoint: string;
  dialect: Dialect;
  /** One line per method the path takes; another method gets a 405. */
  routes: readonly EndpointRoute[];
}

const free = undefined;
const ROUTES: readonly EndpointRoute[] = [
  { method: 'POST', endpoint: '/v1/chat/completions', dialect: 'openai', capture: openaiChatCapture },
  // Stored chat completions (`store: true`): list, retrieve, update metadata, delete, messages.
  { method: 'GET', endpoint: '/v1/chat/completions', dialect: 'openai', capture: free },
  { method: 'GET', endpoint: '/v1/chat/completions/{id}', dialect: 'openai', capture: free },
  { method: 'POST', endpoint: '/v1/chat/completions/{id}', dialect: 'openai', capture: free },
  { method: 'DELETE', endpoint: '/v1/chat/completions/{id}', dialect: 'openai', capture: free },
  { method: 'GET', endpoint: '/v1/chat/completions/{id}/messages', dialect: 'openai', capture: free },
  { method: 'POST', endpoint: '/v1/responses', dialect: 'openai', capture: openaiResponsesCapture },
  { method: 'POST', endpoint: '/v1/responses/input_tokens', dialect: 'openai', capture: free },
  { method: 'GET', endpoint: '/v1/responses/{id}', dialect: 'openai', capture: free, settles: openaiResponsesCapture },
  { method: 'DELETE', endpoint: '/v1/responses/{id}', dialect: 'openai', capture: free },
  { method: 'GET', endpoint: '/v1/responses/{id}/input_items', dialect: 'openai', capture: free },
  { method: 'POST', endpoint: '/v1/responses/{id}/cancel', dialect: 'openai', capture: free, settles: openaiResponsesCapture },
  { method: 'POST', endpoint: '/v1/embeddings', dialect: 'openai', capture: openaiEmbeddingsCapture },
  { method: 'POST', endpoint: '/v1/messages', dialect: 'anthropic', capture: anthropicMessagesCapture },
  { method: 'POST', endpoint: '/v1/messages/count_tokens', dialect: 'anthropic', capture: free },
  { method: 'GET', endpoint: '/v1/models', dialect: 'openai', capture: free },
];

/** The lines grouped by path, in the table's order. */
function byPath(routes: readonly EndpointRoute[]): Map<string, PathRoutes> {
  const paths = new Map<string, PathRoutes>();
  for (const r of routes) {
    const p = paths.get(r.endpoint);
    if (p === undefined) paths.set(r.endpoint, { endpoint: r.endpoint, dialect: r.dialect, routes: [r] });
    else (p.routes as EndpointRoute[]).push(r);
  }
  return paths;
}
const PATHS = byPath(ROUTES);
/** The paths that are fixed; those with `{id}` in them are matched by storedRoute. */
const BY_PATH = new Map([...PATHS].filter(([endpoint]) => !endpoint.includes('{')));
const byEndpoint = (endpoint: string): PathRoutes => PATHS.get(endpoint)!;
const ANTHROPIC_MODELS: PathRoutes = byPath([{ method: 'GET', endpoint: '/v1/models', dialect: 'anthropic', capture: free }]).get('/v1/models')!;

/** The line of `paths` for `method`, or undefined (a 405). */
export function routeFor(paths: PathRoutes, method: string | undefined): EndpointRoute | undefined {
  return paths.routes.find((r) => r.method === method);
}

const RESPONSES = '/v1/responses/';
const CHAT_COMPLETIONS = '/v1/chat/completions/';
/**
 * A stored object's id as a path segment (a response's, a chat completion's): `resp_…` or
 * `chatcmpl-…` from OpenAI, base64 from a LiteLLM gateway (`+` and `=`, as they are or
 * escaped). Never one that an upstream could read as another path — a slash or a backslash
 * (escaped or not), `.` or `..` — so that no id can reach a billed endpoint unmetered.
 */
const ID_SEGMENT = /^(?:[A-Za-z0-9._~+=-]|%[0-9A-Fa-f]{2})+$/;
export function isStoredId(id: string): boolean {
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
/** What follows `/v1/responses/{id}`, and its routes. */
const RESPONSE_ROUTES = new Map([
  ['', byEndpoint('/v1/responses/{id}')],
  ['/input_items', byEndpoint('/v1/responses/{id}/input_items')],
  ['/cancel', byEndpoint('/v1/responses/{id}/cancel')],
]);
/** What follows `/v1/chat/completions/{id}`, and its routes. */
const CHAT_COMPLETION_ROUTES = new Map([
  ['', byEndpoint('/v1/chat/completions/{id}')],
  ['/messages', byEndpoint('/v1/chat/completions/{id}/messages')],
]);
/**
 * Names under /v1/responses/ that are endpoints, not ids: `input_tokens` is routed above;
 * `compact` runs a model (billed) and is not forwarded unmetered.
 */
const NOT_IDS = new Set(['input_tokens', 'compact']);

/** Every path the proxy answers for LLM traffic, for a 404's message. */
export const FORWARDED_ENDPOINTS: readonly string[] = [...PATHS.keys()];

/**
 * The routes for a request path (without query), or undefined. `/v1/models/{id}` is a
 * model list route too; both providers serve `/v1/models`, told apart by the
 * `anthropic-version` header every Anthropic client sends. A stored response's and a
 * stored chat completion's routes (`/v1/responses/{id}`…) match a path with the id in it.
 */
export function findRoute(path: string, anthropicClient: boolean): PathRoutes | undefined {
  const route = BY_PATH.get(path);
  if (route !== undefined) return route.endpoint === '/v1/models' && anthropicClient ? ANTHROPIC_MODELS : route;
  if (path.startsWith('/v1/models/') && path.length > 11) return anthropicClient ? ANTHROPIC_MODELS : BY_PATH.get('/v1/models');
  if (path.startsWith(RESPONSES)) return storedRoute(path, RESPONSES, RESPONSE_ROUTES, NOT_IDS);
  if (path.startsWith(CHAT_COMPLETIONS)) return storedRoute(path, CHAT_COMPLETIONS, CHAT_COMPLETION_ROUTES, NO_NAMES);
  return undefined;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** `{prefix}{id}` and `{prefix}{id}/…` for a stored object's routes (`tails`: what may follow the id). */
function storedRoute(path: string, prefix: string, tails: ReadonlyMap<string, PathRoutes>, notIds: ReadonlySet<string>): PathRoutes | undefined {
  const slash = path.indexOf('/', prefix.length);
  const id = slash === -1 ? path.slice(prefix.length) : path.slice(prefix.length, slash);
  if (!isStoredId(id) || notIds.has(id)) return undefined;
  return tails.get(slash === -1 ? '' : path.slice(slash));
}
