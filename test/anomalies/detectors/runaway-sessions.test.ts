// A runaway trace is raised by the call that took it past the limit, not by its first call.
import { describe, expect, it } from 'vitest';
import { runawaySessions } from '../../../src/anomalies/detectors/runaway-sessions.js';
import { THRESHOLDS } from '../../../src/anomalies/sensitivity.js';
import type { TraceCall } from '../../../src/anomalies/anomaly.js';

const call = (minute: number, cost_usd: number): TraceCall => ({ ts: `2026-10-23T09:${String(minute).padStart(2, '0')}:00.000Z`, model: 'o3', input_tokens: 1, output_tokens: 1, cost_usd, prompt_hash: null, error: null });

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
    // $40 against the typical trace, the median of $40 and $1: $20.50; $19.50 over.
    expect(found[0]!.excess_usd).toBe(19.5);
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
});
