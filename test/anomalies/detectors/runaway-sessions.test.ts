// A runaway trace is raised by the call that took it past the limit, not by its first call.
import { describe, expect, it } from 'vitest';
import { runawaySessions } from '../../../src/anomalies/detectors/runaway-sessions.js';
import { THRESHOLDS } from '../../../src/anomalies/sensitivity.js';
import type { TraceCall } from '../../../src/anomalies/anomaly.js';
import { dec, usdToTicks } from '../../../src/shared/money.js';

const call = (minute: number, cost_usd: number): TraceCall => ({ ts: `2026-10-23T09:${String(minute).padStart(2, '0')}:00.000Z`, model: 'o3', input_tokens: 1, output_tokens: 1, cost_ticks: usdToTicks(dec(cost_usd)), prompt_hash: null, error: null });

describe('runaway sessions', () => {
  it('is raised at the call whose cost passes the limit', () => {
    // $10 a call against a $25 limit: $30 at the third call (09:02), $40 in all.
    const calls = [0, 1, 2, 3].map((m) => call(m, 10));
    const small = [call(0, 1)];
    const found = runawaySessions.detect(
      { days: [], entities: [], traces: [{ trace: 'run-1', dims: { agent: 'coder' }, calls }, { trace: 'ok', dims: { agent: 'coder' }, calls: small }] },
      { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 },
    );
    expect(found.map((a) => [a.dims.trace, a.since, a.detected, a.until])).toEqual([['run-1', '2026-10-23T09:00:00.000Z', '2026-10-23T09:02:00.000Z', '2026-10-23T09:03:00.000Z']]);
    // $40 against the typical trace, the one within the limit ($1): $39.00 over.
    expect(found[0]!.excess_usd).toBe(39);
  });

  it('says what a typical trace costs even when it is under a cent', () => {
    // Three $0.004 traces and one of 3 × $10 = $30.00: the median trace is $0.004, not "$0.00".
    const tiny = (name: string) => ({ trace: name, dims: { agent: 'coder' }, calls: [call(0, 0.004)] });
    const found = runawaySessions.detect(
      { days: [], entities: [], traces: [{ trace: 'run-1', dims: { agent: 'coder' }, calls: [0, 1, 2].map((m) => call(m, 10)) }, tiny('a'), tiny('b'), tiny('c')] },
      { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 },
    );
    expect(found.map((a) => a.evidence)).toEqual(['trace run-1: 3 calls cost $30.00 (limit $25.00, typical trace $0.004)']);
  });

  it('judges runaways against the traces within the limit, never against each other', () => {
    // Runs of $30, $40 and $50 and two of $2 and $4 under a $25 limit: the typical trace is
    // the median of $2 and $4, $3.00, so the runaways are $27, $37 and $47 over it. With the
    // runaways in the median ($4), a half of the traces over the limit would pull it up to them.
    const run = (name: string, calls: number, usd: number) => ({ trace: name, dims: { agent: 'coder' }, calls: Array.from({ length: calls }, (_, m) => call(m, usd)) });
    const found = runawaySessions.detect(
      { days: [], entities: [], traces: [run('a', 3, 10), run('b', 4, 10), run('c', 5, 10), run('ok-1', 1, 2), run('ok-2', 2, 2)] },
      { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 },
    );
    expect(found.map((a) => [a.dims.trace, a.expected, a.excess_usd])).toEqual([['a', 3, 27], ['b', 3, 37], ['c', 3, 47]]);
    expect(found[0]!.evidence).toBe('trace a: 3 calls cost $30.00 (limit $25.00, typical trace $3.00)');
  });

  it('with no trace within the limit, counts what each runaway cost past the limit: never $0 or below', () => {
    // Runs of $30, $40 and $50 alone (one agent whose every run is long, or --where naming one):
    // no typical trace to compare, so $5, $15 and $25 over the $25 limit — not −$10, $0 and $10
    // against their own median of $40.
    const run = (name: string, calls: number) => ({ trace: name, dims: { agent: 'coder' }, calls: Array.from({ length: calls }, (_, m) => call(m, 10)) });
    const found = runawaySessions.detect(
      { days: [], entities: [], traces: [run('a', 3), run('b', 4), run('c', 5)] },
      { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 },
    );
    expect(found.map((a) => [a.dims.trace, a.expected, a.excess_usd])).toEqual([['a', 25, 5], ['b', 25, 15], ['c', 25, 25]]);
    expect(found[0]!.evidence).toBe('trace a: 3 calls cost $30.00 (limit $25.00; no trace stayed within it to compare, so this counts what went past it)');
  });
  it('rounds its money half up on the exact decimal, in the JSON as in the evidence', () => {
    // A $26.005 run against typical traces of $1.005 and $0.285 (one each, in two scopes):
    // expected 1.005 → 1.01 and 0.285 → 0.29, as formatUsd shows them (Math.round(x * 100) / 100
    // gave 1 and 0.28: 100.49999999999999 and 28.499999999999996 cents).
    const one = (name: string, usd: number) => ({ trace: name, dims: { agent: 'coder' }, calls: [call(0, usd)] });
    const settings = { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 };
    const a = runawaySessions.detect({ days: [], entities: [], traces: [one('run', 26.005), one('ok', 1.005)] }, settings)[0]!;
    // 26.005 − 1.005 = $25.00 over.
    expect([a.observed, a.expected, a.excess_usd]).toEqual([26.01, 1.01, 25]);
    expect(a.evidence).toBe('trace run: 1 calls cost $26.01 (limit $25.00, typical trace $1.01)');
    const b = runawaySessions.detect({ days: [], entities: [], traces: [one('run', 26.005), one('ok', 0.285)] }, settings)[0]!;
    // 26.005 − 0.285 = $25.72 over.
    expect([b.observed, b.expected, b.excess_usd]).toEqual([26.01, 0.29, 25.72]);
  });
});
