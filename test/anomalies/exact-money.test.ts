// An alert's money is summed exactly (the ledger's ticks, or exact decimals) and rounded
// once. Summed as floats, amounts ending in half a cent fell just under it and printed a
// cent short: 3 × $0.175 is 0.5249999999999999 as floats, $0.52 where the ledger says $0.525,
// $0.53 to the cent (half up, as every table rounds).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntitySeries, TraceCall } from '../../src/anomalies/anomaly.js';
import { agentLoops } from '../../src/anomalies/detectors/agent-loops.js';
import { runawaySessions } from '../../src/anomalies/detectors/runaway-sessions.js';
import { spendChange } from '../../src/anomalies/detectors/spend-change.js';
import { weeklyCost } from '../../src/anomalies/detectors/weekly-cost.js';
import { THRESHOLDS } from '../../src/anomalies/sensitivity.js';
import { totalExcess } from '../../src/anomalies/total-excess.js';
import { dec, usdToTicks } from '../../src/shared/money.js';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

const settings = { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 0.5, loopRepeats: 4 };

function series(dims: Record<string, string>, n: number, perDay: (i: number) => number): EntitySeries {
  const days = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 7, 1) + i * 86_400_000).toISOString().slice(0, 10));
  return {
    dims,
    days,
    cost: Float64Array.from(days, (_, i) => perDay(i)),
    costTicks: BigInt64Array.from(days, (_, i) => usdToTicks(dec(perDay(i)))),
    requests: new Float64Array(n).fill(10),
    tokens: new Float64Array(n).fill(1000),
  };
}

const call = (minute: number, usd: string, prompt_hash: string | null = null): TraceCall => ({
  ts: `2026-10-23T09:${String(minute).padStart(2, '0')}:00.000Z`, model: 'o3', input_tokens: 1, output_tokens: 1, cost_ticks: usdToTicks(dec(usd)), prompt_hash, error: null,
});

describe('anomalies: money summed exactly', () => {
  it('a spike of three days: 3 × ($6.175 − $2.00) = $12.525, $12.53 over (was $12.52)', () => {
    // 56 days at $2.00, then 3 at $6.175, then $2.00 again.
    const e = series({ feature: 'search' }, 63, (i) => (i >= 56 && i < 59 ? 6.175 : 2));
    const [a] = spendChange.detect({ days: e.days, entities: [e], traces: [] }, { ...settings, minImpactUsd: 1 });
    expect([a!.kind, a!.since, a!.until, a!.observed, a!.expected, a!.excess_usd]).toEqual(['spike', '2026-09-26', '2026-09-28', 6.18, 2, 12.53]);
    expect(a!.evidence).toBe('2026-09-26 spent $6.18 against a weekday baseline of $2.00 (×3.1, robust z 22.5); 3 days from 2026-09-26 to 2026-09-28, $12.53 over that baseline in all');
  });

  it('a customer\'s week: 7 × $15.035 = $105.245 against $70.00, $35.245 over: $105.25 and $35.25 (were $105.24 and $35.24)', () => {
    const e = series({ customer: 'acme' }, 35, (i) => (i < 28 ? 10 : 15.035));
    const [a] = weeklyCost.detect({ days: e.days, entities: [e], traces: [] }, settings);
    expect([a!.observed, a!.expected, a!.excess_usd]).toEqual([105.25, 70, 35.25]);
    expect(a!.evidence).toBe('cost in the last 7 days $105.25 against a median of $70.00 over the four weeks before (+50%)');
  });

  it('a runaway trace: 3 × $0.175 = $0.525 against a typical $0.10, $0.425 over: $0.53 and $0.43 (were $0.52 and $0.42)', () => {
    const run = { trace: 'run', dims: { agent: 'coder' }, calls: [0, 1, 2].map((m) => call(m, '0.175')) };
    const ok = { trace: 'ok', dims: { agent: 'coder' }, calls: [call(0, '0.1')] };
    const [a] = runawaySessions.detect({ days: [], entities: [], traces: [run, ok] }, settings);
    expect([a!.observed, a!.expected, a!.excess_usd]).toEqual([0.53, 0.1, 0.43]);
    expect(a!.evidence).toBe('trace run: 3 calls cost $0.53 (limit $0.50, typical trace $0.10)');
    // $0.175 + $0.175 + $0.175 crosses the $0.50 limit at the third call, exactly.
    expect(a!.detected).toBe('2026-10-23T09:02:00.000Z');
  });

  it('an agent loop: the calls from the flagged one on, 3 × $0.175 = $0.525, $0.53 (was $0.52)', () => {
    // Six identical calls: the fourth is flagged, and it and the two after it are the excess.
    const calls = [0, 1, 2, 3, 4, 5].map((m) => call(m, '0.175', 'same'));
    const [a] = agentLoops.detect({ days: [], entities: [], traces: [{ trace: 'loop', dims: { agent: 'coder' }, calls }] }, settings);
    expect([a!.detected, a!.excess_usd]).toEqual(['2026-10-23T09:03:00.000Z', 0.53]);
  });

  it('the total: $0.175 in each of three groups is $0.525, $0.53 (was $0.52)', () => {
    const spike = (team: string) => ({ kind: 'spike' as const, metric: 'spend', dims: { team }, since: '2026-10-05', until: '2026-10-05', excess_usd: 0.175, daily: { '2026-10-05': 0.175 } });
    expect(totalExcess([spike('a'), spike('b'), spike('c')])).toBe(0.53);
  });

  it('end to end, from the ledger\'s ticks: a trace of three $0.175 calls is $0.53 in the JSON and its evidence', async () => {
    const row = (id: string, trace: string, minute: number, usd: string) => ({
      id, source: 'proxy', ts: `2026-10-23T09:0${minute}:00Z`, provenance: 'metered', provider: 'openai', model: 'o3',
      requests: 1, input_tokens: 1000 + minute, output_tokens: 100, cost_status: 'priced', cost_usd: usd, agent: 'coder', trace_id: trace,
    });
    const db = await ledgerOf([row('r1', 'run', 0, '0.175'), row('r2', 'run', 1, '0.175'), row('r3', 'run', 2, '0.175'), row('o1', 'ok', 0, '0.1')]);
    writeFileSync(join(dirname(db), 'llmfin.yaml'), 'anomalies:\n  runaway_session_usd: 0.5\n');
    const args = ['anomalies', '--db', db, '--since', '2026-10-01', '--until', '2026-10-24', '--kind', 'runaway_session'];
    const r = await runCli([...args, '--format', 'json'], { cwd: dirname(db) });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: Array<{ observed: number; expected: number; excess_usd: number; evidence: string }>; total_excess_usd: number };
    expect(j.rows.map((a) => [a.observed, a.expected, a.excess_usd, a.evidence])).toEqual([[0.53, 0.1, 0.43, 'trace run: 3 calls cost $0.53 (limit $0.50, typical trace $0.10)']]);
    expect(j.total_excess_usd).toBe(0.43);
  });
});
