/**
 * Error bodies in the shape each SDK parses, so that a refusal by llmfin (a budget, a
 * dead upstream, a bad request) surfaces in the client as a normal API error with our
 * message instead of a JSON parse failure.
 */
export type Dialect = 'openai' | 'anthropic';

/** The Anthropic error `type` for an HTTP status (docs.anthropic.com, Errors). */
function anthropicType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return 'api_error';
}

/** The OpenAI error `type` for an HTTP status. */
function openaiType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** A JSON error body; `code` is llmfin's own machine-readable reason (`budget_exceeded`, `upstream_unreachable`). */
export function dialectErrorBody(dialect: Dialect, status: number, code: string, message: string): string {
  if (dialect === 'anthropic') return JSON.stringify({ type: 'error', error: { type: anthropicType(status), message: `${message} [llmfin: ${code}]` } });
  return JSON.stringify({ error: { message, type: openaiType(status), param: null, code } });
}
