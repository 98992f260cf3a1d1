/**
 * A provider's error sent with HTTP 200 in place of a response: Anthropic's
 * `{"type":"error","error":{…}}`, OpenAI's `{"error":{…}}`, vLLM's `{"object":"error",…}`.
 * Such a body says the model did not run only when it carries nothing a run leaves —
 * no usage, no choices, no output, no content, no data — and then the attempt costs
 * nothing (attempt-entry.ts); one with any of them is priced or estimated as usual.
 */
import { errorText, isObject } from './usage-capture.js';

/** Members whose presence (not empty, not null) means the model ran, whatever else the body says. */
const RAN = ['usage', 'choices', 'output', 'content', 'data'] as const;

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return value !== '';
}

/** `code: message` of an error body that stands in place of a response, or undefined for any other body. */
export function errorBodyText(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  if (RAN.some((k) => present(body[k]))) return undefined;
  if (isObject(body.error)) return errorText(body.error) ?? 'error';
  if (body.object === 'error') return errorText(body) ?? 'error';
  if (body.type === 'error') return 'error';
  return undefined;
}

/**
 * The HTTP status an error body sent with HTTP 200 stands for, so that proxy.retries can
 * treat it as it treats that status: Anthropic's overloaded_error is a 529, an api_error
 * or server_error a 500, a rate limit a 429; a status the body gives as a number (vLLM's
 * `code`) is taken as given. Undefined for anything else (an invalid request is not retried).
 */
export function errorBodyStatus(body: unknown): number | undefined {
  if (errorBodyText(body) === undefined || !isObject(body)) return undefined;
  const error = isObject(body.error) ? body.error : body;
  if (typeof error.code === 'number' && Number.isInteger(error.code) && error.code >= 400 && error.code <= 599) return error.code;
  const kind = [error.type, error.code].find((v): v is string => typeof v === 'string' && STATUS_OF[v] !== undefined);
  return kind === undefined ? undefined : STATUS_OF[kind];
}

const STATUS_OF: Record<string, number> = {
  overloaded_error: 529,
  api_error: 500,
  server_error: 500,
  internal_error: 500,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
};
