// The context sizes the proxy keeps for Responses API responses: the latest figure for an
// id, and no more than its bound, the least recently noted forgotten first.
import { describe, expect, it } from 'vitest';
import { ResponseContexts } from '../../../src/proxy/forward/response-contexts.js';

describe('ResponseContexts', () => {
  it('answers the latest figure for an id, and 0 for one it does not hold', () => {
    const contexts = new ResponseContexts();
    contexts.remember('resp_a', 1200);
    contexts.remember('resp_a', 1500);
    expect(contexts.tokensOf('resp_a')).toBe(1500);
    expect(contexts.tokensOf('resp_b')).toBe(0);
    expect(contexts.tokensOf(undefined)).toBe(0);
  });

  it('holds at most its bound, forgetting the least recently noted first', () => {
    const contexts = new ResponseContexts(2);
    contexts.remember('resp_a', 1);
    contexts.remember('resp_b', 2);
    contexts.remember('resp_a', 3);
    contexts.remember('resp_c', 4);
    expect(contexts.size).toBe(2);
    expect([contexts.tokensOf('resp_a'), contexts.tokensOf('resp_b'), contexts.tokensOf('resp_c')]).toEqual([3, 0, 4]);
  });
});
