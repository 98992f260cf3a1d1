import { describe, expect, it } from 'vitest';
import { LoopDetector } from '../../../src/tui/data/loop-detector.js';
import type { LiveRow } from '../../../src/tui/data/live-row.js';

const T0 = Date.parse('2026-11-30T12:00:00Z');
const TICKS_PER_CENT = 10n ** 7n;

function row(trace: string | null, more: Partial<LiveRow> = {}): LiveRow {
  return {
    id: 1, ts: '2026-11-30T12:00:00Z', provider: 'anthropic', source: 'proxy', provenance: 'metered', chargeCategory: 'usage',
    granularity: 'request', model: 'claude-sonnet-4-5', modelRequested: null, requests: 1, inputTokens: 13_841, outputTokens: 691,
    costTicks: 2n * TICKS_PER_CENT, team: 'support', feature: null, customer: null, agent: 'coder', project: null, environment: null,
    apiKey: null, account: null, workspace: null, user: null, trace, tags: null, latencyMs: null, routedFrom: null, promptHash: null, statusCode: 200, estimated: false, ...more,
  };
}

describe('LoopDetector (dashboard)', () => {
  it('flags the 4th identical call of a trace, with the trace cost and when it started', () => {
    const loops = new LoopDetector();
    const seen = [0, 1, 2, 3].map((i) => loops.observe(row('t-1', { promptHash: 'ab12' }), T0 + i * 1000));
    expect(seen.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(seen[3]).toEqual({
      kind: 'loop', key: 'loop:t-1', since: T0, at: T0 + 3000, costTicks: 8n * TICKS_PER_CENT,
      text: 'loop: agent coder · trace t-1 · same call ×4 · claude-sonnet-4-5 13.8k→691 tokens',
    });
  });

  it('flags at the repeats it is given (anomalies.loop_repeats), the same count the proxy and llmfin anomalies use', () => {
    const loops = new LoopDetector(undefined, 6);
    const seen = [0, 1, 2, 3, 4, 5].map((i) => loops.observe(row('t-6x', { promptHash: 'ab12' }), T0 + i * 1000));
    expect(seen.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(seen[5]?.text).toBe('loop: agent coder · trace t-6x · same call ×6 · claude-sonnet-4-5 13.8k→691 tokens');
  });

  it('tells calls apart by prompt hash, else by model and token counts', () => {
    const loops = new LoopDetector();
    for (let i = 0; i < 6; i++) expect(loops.observe(row('t-2', { promptHash: `p${i}` }), T0 + i)).toBeUndefined();
    for (let i = 0; i < 6; i++) expect(loops.observe(row('t-3', { inputTokens: 100 + i }), T0 + i)).toBeUndefined();
    expect(loops.observe(row('t-4', { promptHash: 'x', inputTokens: 1 }), T0)).toBeUndefined();
    expect(loops.observe(row('t-4', { promptHash: 'x', inputTokens: 2 }), T0)).toBeUndefined();
    expect(loops.observe(row('t-4', { promptHash: 'x', inputTokens: 3 }), T0)).toBeUndefined();
    expect(loops.observe(row('t-4', { promptHash: 'x', inputTokens: 4 }), T0)?.text).toContain('same call ×4');
  });

  it("tells the proxy's sha256 prompt hashes apart and flags one repeated, as it does any other prompt hash", () => {
    const loops = new LoopDetector();
    const sha = (c: string) => c.repeat(13) + '0'.repeat(51);
    // Six different calls: sha256s as the proxy records them, and a hash that is not one.
    const others = [sha('1'), sha('2'), sha('1').toUpperCase() + 'x', sha('3'), sha('4'), sha('5')];
    for (let i = 0; i < others.length; i++) expect(loops.observe(row('t-sha', { promptHash: others[i]! }), T0 + i)).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(loops.observe(row('t-sha2', { promptHash: sha('a') }), T0 + i)).toBeUndefined();
    expect(loops.observe(row('t-sha2', { promptHash: sha('a') }), T0 + 3)?.text).toContain('same call ×4');
  });

  it('flags the same error repeated even when the prompts differ, and keeps earlier successes in the window', () => {
    const loops = new LoopDetector();
    expect(loops.observe(row('t-5', { promptHash: 'a', statusCode: 200 }), T0)).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(loops.observe(row('t-5', { promptHash: `e${i}`, statusCode: 429 }), T0 + i)).toBeUndefined();
    expect(loops.observe(row('t-5', { promptHash: 'e3', statusCode: 500 }), T0 + 4)).toBeUndefined();
    expect(loops.observe(row('t-5', { promptHash: 'e4', statusCode: 429 }), T0 + 5)?.text).toContain('same error ×4');
  });

  it('flags two calls alternating over the last eight', () => {
    const loops = new LoopDetector();
    const flags = Array.from({ length: 8 }, (_, i) => loops.observe(row('t-6', { promptHash: i % 2 ? 'b' : 'a' }), T0 + i));
    expect(flags.slice(0, 7).every((f) => f === undefined || !f.text.includes('alternating'))).toBe(true);
    expect(flags[7]?.text).toContain('two calls alternating ×4');
  });

  it('ignores rows without a trace and aggregated rows', () => {
    const loops = new LoopDetector();
    for (let i = 0; i < 5; i++) {
      expect(loops.observe(row(null, { promptHash: 'a' }), T0)).toBeUndefined();
      expect(loops.observe(row('t-7', { promptHash: 'a', granularity: 'day' }), T0)).toBeUndefined();
    }
    expect(loops.size).toBe(0);
  });

  it('stays within capacity, dropping the least recently seen trace first', () => {
    const loops = new LoopDetector(3);
    loops.observe(row('t-a', { promptHash: 'a' }), T0);
    loops.observe(row('t-b'), T0 + 1);
    loops.observe(row('t-c'), T0 + 2);
    loops.observe(row('t-a', { promptHash: 'a' }), T0 + 3); // t-a is now the most recent
    loops.observe(row('t-d'), T0 + 4); // drops t-b
    expect(loops.size).toBe(3);
    loops.observe(row('t-a', { promptHash: 'a' }), T0 + 5);
    expect(loops.observe(row('t-a', { promptHash: 'a' }), T0 + 6)?.key).toBe('loop:t-a');
  });

  it('forgets traces idle for ten minutes, so a call repeated much later starts afresh', () => {
    const loops = new LoopDetector();
    for (let i = 0; i < 3; i++) loops.observe(row('t-8', { promptHash: 'a' }), T0 + i);
    loops.prune(T0 + 10 * 60_000 + 10);
    expect(loops.size).toBe(0);
    expect(loops.observe(row('t-8', { promptHash: 'a' }), T0 + 11 * 60_000)).toBeUndefined();
  });
});
