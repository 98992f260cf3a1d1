/**
 * The endpoints the proxy forwards, one line each. A billable endpoint has a usage
 * capture and gets a ledger row per upstream attempt; the others (model lists, token
 * counting) are free and are only forwarded and counted in /metrics. A new endpoint is a
 * capture file in this folder and one line here.
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
  method: 'GET' | 'POST';
  /** Undefined for free endpoints: forwarded, not recorded. */
  capture: UsageCapture | undefined;
}

const ROUTES: readonly EndpointRoute[] = [
  { endpoint: '/v1/chat/completions', dialect: 'openai', method: 'POST', capture: openaiChatCapture },
  { endpoint: '/v1/responses', dialect: 'openai', method: 'POST', capture: openaiResponsesCapture },
  { endpoint: '/v1/embeddings', dialect: 'openai', method: 'POST', capture: openaiEmbeddingsCapture },
  { endpoint: '/v1/messages', dialect: 'anthropic', method: 'POST', capture: anthropicMessagesCapture },
  { endpoint: '/v1/messages/count_tokens', dialect: 'anthropic', method: 'POST', capture: undefined },
  { endpoint: '/v1/models', dialect: 'openai', method: 'GET', capture: undefined },
];

const BY_PATH = new Map(ROUTES.map((r) => [r.endpoint, r]));
const ANTHROPIC_MODELS: EndpointRoute = { endpoint: '/v1/models', dialect: 'anthropic', method: 'GET', capture: undefined };

/** Every path the proxy answers for LLM traffic, for a 404's message. */
export const FORWARDED_ENDPOINTS: readonly string[] = ROUTES.map((r) => r.endpoint);

/**
 * The route for a request path (without query), or undefined. `/v1/models/{id}` is a
 * model list route too; both providers serve `/v1/models`, told apart by the
 * `anthropic-version` header every Anthropic client sends.
 */
export function findRoute(path: string, anthropicClient: boolean): EndpointRoute | undefined {
  const route = BY_PATH.get(path);
  if (route !== undefined) return route.endpoint === '/v1/models' && anthropicClient ? ANTHROPIC_MODELS : route;
  if (path.startsWith('/v1/models/') && path.length > 11) return anthropicClient ? ANTHROPIC_MODELS : BY_PATH.get('/v1/models');
  return undefined;
}
