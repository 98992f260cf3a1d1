// Each anomaly kind on a small fixture series or trace.
import { describe, expect, it } from 'vitest';
import { callSignature, detectLoop, type LoopCall } from '../../src/anomalies/loop-detector.js';
import { THRESHOLDS } from '../../src/anomalies/sensitivity.js';
import { scanSpend } from '../../src/anomalies/spend-scan.js';
import { scanUnitMetric } from '../../src/anomalies/unit-scan.js';

const th = THRESHOLDS.medium;
// Weekdays around $100 (±5% deterministic wiggle), weekends $40.
const base = (n: number) => Array.from({ length: n }, (_, i) => (i % 7 >= 5 ? 40 : 100) * (1 + 0.05 * Math.sin(i * 2.3)));

describe('spend scan', () => {
  it('flags a ×5 day the same day, against its weekday baseline', () => {
    const v = base(70);
    v[60] = v[60]! * 5;
    const flags = scanSpend(v, { thresholds: th });
    expect(flags.map((f) => [f.index, f.kind])).toContainEqual([60, 'spike']);
    const spike = flags.find((f) => f.index === 60)!;
    expect(spike.observed / spike.baseline).toBeGreaterThan(4);
    expect(flags.filter((f) => f.index !== 60)).toEqual([]);
  });

  it('flags a persistent ×2 level shift once, within three days', () => {
    const v = base(90).map((x, i) => (i >= 60 ? x * 2 : x));
    const flags = scanSpend(v, { thresholds: th });
    const shift = flags.filter((f) => f.kind === 'level_shift' || f.kind === 'spike');
    expect(shift.length).toBeGreaterThan(0);
    expect(shift[0]!.index - 60).toBeLessThanOrEqual(3);
    // Re-based: nothing more after the first week of the new level.
    expect(flags.filter((f) => f.index > 70)).toEqual([]);
  });

  it('flags a ×1.6 shift within three days and, re-based, never again', () => {
    const v = base(110).map((x, i) => (i >= 60 ? x * 1.6 : x));
    const flags = scanSpend(v, { thresholds: th });
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]!.index).toBeGreaterThanOrEqual(60);
    expect(flags[0]!.index - 60).toBeLessThanOrEqual(3);
    expect(flags.filter((f) => f.index > 70)).toEqual([]);
  });

  it('judges a day against the weekday profile: a normal weekend after a spike is quiet', () => {
    const v = base(90);
    v[50] = v[50]! * 6;
    const flags = scanSpend(v, { thresholds: th });
    expect(flags.map((f) => [f.index, f.kind])).toEqual([[50, 'spike']]);
  });

  it('does not flag steady growth of 1% a day', () => {
    const v = base(90).map((x, i) => x * Math.pow(1.01, i));
    expect(scanSpend(v, { thresholds: th })).toEqual([]);
  });

  it('a minimum impact keeps a small spike quiet', () => {
    const v = base(70);
    v[60] = v[60]! * 5;
    expect(scanSpend(v, { thresholds: th, minImpact: 1000 })).toEqual([]);
  });
});

describe('unit-metric creep', () => {
  it('flags tokens per request rising 3% a day within 14 days', () => {
    const v = Array.from({ length: 90 }, (_, i) => 2000 * (1 + 0.03 * Math.sin(i * 1.3)) * (i >= 60 ? Math.pow(1.03, i - 59) : 1));
    const flags = scanUnitMetric(v, { thresholds: th });
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]!.index - 60).toBeLessThanOrEqual(14);
    expect(flags[0]!.kind).toBe('creep');
  });
});

describe('detectLoop', () => {
  const call = (sig: string, error?: string): LoopCall => ({ signature: sig, error: error ?? null });

  it('flags the 4th identical call, not the 3rd', () => {
    const calls = [call('a'), call('b'), call('x'), call('x'), call('x')];
    expect(detectLoop(calls)).toBeUndefined();
    expect(detectLoop([...calls, call('x')])).toEqual({ repeats: 4, kind: 'repeat' });
  });

  it('flags the same error four times even when the calls differ', () => {
    const calls = [call('a', 'ENOENT'), call('b', 'ENOENT'), call('c', 'ENOENT'), call('d', 'ENOENT')];
    expect(detectLoop(calls)).toEqual({ repeats: 4, kind: 'same_error' });
  });

  it('flags A-B oscillation over 8 calls', () => {
    const calls = Array.from({ length: 8 }, (_, i) => call(i % 2 ? 'b' : 'a'));
    expect(detectLoop(calls)).toEqual({ repeats: 4, kind: 'oscillation' });
    // One call short of the window, the 4th A is already an exact repeat.
    expect(detectLoop(calls.slice(0, 7))).toEqual({ repeats: 4, kind: 'repeat' });
    expect(detectLoop(calls.slice(0, 6))).toBeUndefined();
  });

  it('the stand-in signature is model + token counts, or the prompt hash when recorded', () => {
    expect(callSignature({ model: 'o3', input_tokens: 10, output_tokens: 2 })).toBe('t:o3|10|2');
    expect(callSignature({ model: 'o3', input_tokens: 10, output_tokens: 2, prompt_hash: 'abc' })).toBe('h:abc');
  });
});
