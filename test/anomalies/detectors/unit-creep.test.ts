// Two creeps on one series (a prompt that grew twice): each is charged the tokens above its
// own baseline, so their excess adds up to the tokens above the first baseline, once.
import { describe, expect, it } from 'vitest';
import { unitCreep } from '../../../src/anomalies/detectors/unit-creep.js';
import { THRESHOLDS } from '../../../src/anomalies/sensitivity.js';
import type { EntitySeries } from '../../../src/anomalies/anomaly.js';

describe('unit creep excess', () => {
  it('splits the excess of a prompt that grew twice between its two creeps', () => {
    // 120 days, $10.00 and 100 requests a day; tokens per request 1,000 (days 0-49), 1,500
    // (days 50-89), 3,000 (days 90-119).
    const n = 120;
    const days = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 5, 1) + i * 86_400_000).toISOString().slice(0, 10));
    const tpr = (i: number) => (i < 50 ? 1000 : i < 90 ? 1500 : 3000);
    const e: EntitySeries = {
      dims: { feature: 'doc-qa' },
      days,
      cost: new Float64Array(n).fill(10),
      costTicks: new BigInt64Array(n).fill(100_000_000_000n), // $10
      requests: new Float64Array(n).fill(100),
      tokens: Float64Array.from({ length: n }, (_, i) => 100 * tpr(i)),
    };
    const found = unitCreep.detect({ days, entities: [e], traces: [] }, { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 });
    expect(found.map((a) => [a.since, a.expected, a.observed])).toEqual([
      [days[50], 1000, 1500],
      [days[90], 1500, 3000],
    ]);
    // First creep: days 50-89 pay $10 × (1 − 1,000/1,500) = $3.3333 a day, × 40 = $133.33;
    // days 90-119 pay only the step it saw, $10 × (1,500 − 1,000)/3,000 = $1.6667, × 30 = $50.00.
    // Second creep: days 90-119, $10 × (1 − 1,500/3,000) = $5.00 × 30 = $150.00.
    expect(found.map((a) => a.excess_usd)).toEqual([183.33, 150]);
    // Each raised after it began (the CUSUM needs a few days of evidence), and before the series ends.
    for (const a of found) expect(a.detected > a.since && a.detected < a.until, `${a.since} ${a.detected}`).toBe(true);
    expect(found[0]!.evidence).toContain(`detected ${found[0]!.detected}`);
    // Together: $10 × (1 − 1,000/tokens per request) over days 50-119 = $133.33 + $200.00.
    expect(Math.round(found.reduce((s, a) => s + a.excess_usd, 0) * 100) / 100).toBe(333.33);
  });
});
