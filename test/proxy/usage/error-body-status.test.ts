// The status an error body sent with HTTP 200 stands for (error-body.ts): what proxy.retries
// judges such an answer by. Only errors a retry can cure map to a status.
import { describe, expect, it } from 'vitest';
import { errorBodyStatus } from '../../../src/proxy/usage/error-body.js';

describe('errorBodyStatus', () => {
  it('maps overload, server and rate-limit errors of each dialect to their status', () => {
    expect(errorBodyStatus({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toBe(529);
    expect(errorBodyStatus({ type: 'error', error: { type: 'api_error', message: 'Internal' } })).toBe(500);
    expect(errorBodyStatus({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } })).toBe(429);
    expect(errorBodyStatus({ error: { message: 'The server had an error', type: 'server_error', param: null, code: null } })).toBe(500);
    expect(errorBodyStatus({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })).toBe(429);
    // vLLM's error object gives the status itself.
    expect(errorBodyStatus({ object: 'error', message: 'busy', type: 'ServiceUnavailableError', code: 503 })).toBe(503);
  });

  it('gives none for an error no retry cures, or for a body that is a reply', () => {
    expect(errorBodyStatus({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens too large' } })).toBeUndefined();
    expect(errorBodyStatus({ error: { message: 'Content filtered', type: 'invalid_request_error', code: 'content_filter' } })).toBeUndefined();
    // Usage in the body: the model ran, whatever else it says.
    expect(errorBodyStatus({ error: { type: 'server_error', message: 'x' }, usage: { prompt_tokens: 10 } })).toBeUndefined();
    expect(errorBodyStatus({ id: 'msg_1', type: 'message', content: [{ type: 'text', text: 'hi' }] })).toBeUndefined();
    expect(errorBodyStatus(undefined)).toBeUndefined();
  });
});
