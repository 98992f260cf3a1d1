// Cost per customer week over week, and agent loops found from what the proxy records
// (the prompt hash and upstream status are columns on its rows, not tags).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { weeklyCost } from '../../src/anomalies/detectors/weekly-cost.js';
import type { AnomalyInput } from '../../src/anomalies/anomaly.js';
import { THRESHOLDS } from '../../src/anomalies/sensitivity.js';
import { dec, usdToTicks } from '../../src/shared/money.js';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

const settings = { thresholds: THRESHOLDS.medium, minImpactUsd: 10, runawaySessionUsd: 25, loopRepeats: 4 };
const days = Array.from({ length: 35 }, (_, i) => new Date(Date.UTC(2026, 9, 1) + i * 86_400_000).toISOString().slice(0, 10));
const series = (dims: Record<string, string>, perDay: (i: number) => number) => ({
  dims,
  days,
  cost: Float64Array.from(days, (_, i) => perDay(i)),
  costTicks: BigInt64Array.from(days, (_, i) => usdToTicks(dec(perDay(i)))),
  requests: Float64Array.from(days, () => 10),
  tokens: Float64Array.from(days, () => 1000),
});

describe('weekly cost per customer', () => {
  it('flags a customer whose last week costs past 1.3x the median of the four before', () => {
    const input: AnomalyInput = {
      days,
      traces: [],
      entities: [
        // $10 a day for four weeks ($70 a week), then $15 a day: $105, +50%, $35 over.
        series({ customer: 'acme' }, (i) => (i < 28 ? 10 : 15)),
        // +20%: under the 1.3x ratio.
        series({ customer: 'globex' }, (i) => (i < 28 ? 10 : 12)),
        // Grouped by team, not customer: left to the daily scans.
        series({ team: 'search' }, (i) => (i < 28 ? 10 : 30)),
      ],
    };
    expect(weeklyCost.detect(input, settings)).toEqual([
      {
        kind: 'creep',
        dims: { customer: 'acme' },
        since: '2026-10-29',
        until: '2026-11-04',
        // A rolling week's comparison: raised as of its last day.
        detected: '2026-11-04',
        metric: 'weekly_cost',
        observed: 105,
        expected: 70,
        excess_usd: 35,
        evidence: 'cost in the last 7 days $105.00 against a median of $70.00 over the four weeks before (+50%)',
        score: 1.5,
      },
    ]);
  });

  it('needs the minimum $ impact', () => {
    const input: AnomalyInput = { days, traces: [], entities: [series({ customer: 'tiny' }, (i) => (i < 28 ? 1 : 2))] };
    expect(weeklyCost.detect(input, settings)).toEqual([]);
  });
});

describe('agent loops from proxy rows', () => {
  it('reads the prompt hash and failed status from the columns the proxy writes', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const ledger = await openLedger(db);
    const row = (i: number, hash: string, status: number) => ({
      provenance: 'metered' as const,
      source: 'proxy',
      dedupe_key: `req-${i}`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      ts: new Date(Date.UTC(2026, 10, 2, 10, 0, i)).toISOString(),
      input_tokens: 100 + i,
      output_tokens: 5,
      cost_usd: '0.001',
      cost_ticks: 10_000_000,
      cost_status: 'priced' as const,
      agent: 'planner',
      trace_id: 'trace-7',
      prompt_hash: hash,
      status_code: status,
      created_at: '2026-11-02T10:00:00.000Z',
    });
    // Token counts differ on every call, so only the recorded prompt hash shows the repeat.
    await ledger.db.insertInto('usage_entries').values([row(1, 'h-a', 200), row(2, 'h-b', 200), row(3, 'h-b', 200), row(4, 'h-b', 200), row(5, 'h-b', 200)]).execute();
    await ledger.close();
    const r = await runCli(['anomalies', '--db', db, '--since', '2026-11-01', '--kind', 'agent_loop', '--by', 'agent', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const found = JSON.parse(r.stdout).rows as Array<{ kind: string; trace: string; agent: string }>;
    expect(found.map((a) => [a.kind, a.trace, a.agent])).toEqual([['agent_loop', 'trace-7', 'planner']]);
  });
});
