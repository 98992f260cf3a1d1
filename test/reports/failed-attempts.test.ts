// The proxy records one row per upstream attempt; an attempt the upstream refused before the
// model ran (an error status, no token: a 429 or 503 the SDK retried) is a $0 row, not a
// request. `llmfin report` leaves it out of REQUESTS and cost per request, as `route
// simulate` and `check` do, and says how many it left out — so both commands give the same
// request count for the same traffic, whatever the grouping and whether the rollup answers.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runCli, runJson } from '../helpers/cli.js';
import { ledgerOf, reportJson } from './rows-ledger.js';

const POLICY = resolve('test/fixtures/routing/policy-small-large.yaml');
const NOV = ['--since', '2026-11-01', '--until', '2026-12-01'];

/** A proxied attempt: `from` asked for, `model` served, with its HTTP status; rewritten ones tagged routed_from. */
function attempt(i: number, o: { from: string; model: string; tokens: [number, number]; cost: string; status: number; original?: string; tier?: string }) {
  const rewritten = o.from !== o.model;
  return {
    id: `a-${i}`, source: 'proxy', ts: `2026-11-16T10:00:${String(i).padStart(2, '0')}Z`, granularity: 'request', provenance: 'metered',
    provider: 'openai', model: o.model, model_requested: o.from, requests: 1, input_tokens: o.tokens[0], output_tokens: o.tokens[1],
    cost_status: 'priced', cost_usd: o.cost, agent: 'support', request_id: `req-${i}`, status_code: o.status,
    ...(rewritten ? { tags: { routed_from: o.from, ...(o.tier ? { route_tier: o.tier } : {}) } } : {}),
    raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: o.tokens[0], output_tokens: o.tokens[1], routing: {
      v: 1, mode: 'enforce', dialect: 'openai', from: o.from, tier: o.tier ?? null, model: o.model, served_tier: o.tier ?? null, score: 0,
      features: { tokens: 5, context_tokens: 5, turns: 1 }, ...(o.original !== undefined ? { original_cost_usd: o.original } : {}) } }),
  };
}

// gpt-4o at $2.50/$10 and gpt-4o-mini at $0.15/$0.60 per 1M input/output tokens: 1000 in + 100 out
// cost 0.0035 on gpt-4o and 0.00021 on gpt-4o-mini.
const ROWS = [
  // Routed to small: a 503 and a 429 the SDK retried, then the answer.
  attempt(1, { from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [0, 0], cost: '0', status: 503, tier: 'small' }),
  attempt(2, { from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [0, 0], cost: '0', status: 429, tier: 'small' }),
  attempt(3, { from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [1000, 100], cost: '0.00021', status: 200, original: '0.0035', tier: 'small' }),
  // Not rewritten: a 500, then the answer.
  attempt(4, { from: 'gpt-4o', model: 'gpt-4o', tokens: [0, 0], cost: '0', status: 500 }),
  attempt(5, { from: 'gpt-4o', model: 'gpt-4o', tokens: [1000, 100], cost: '0.0035', status: 200 }),
  // An error that still reported usage ran the model: a request.
  attempt(6, { from: 'gpt-4o', model: 'gpt-4o', tokens: [1000, 100], cost: '0.0035', status: 500 }),
];

interface Row {
  route_tier?: string;
  model?: string;
  cost_usd: number;
  requests: number;
  cost_per_request_usd: number | null;
}
interface Report {
  rows: Row[];
  total: Row;
  failed_attempts: number;
}

describe('llmfin report leaves attempts that failed before the model ran out of its requests', () => {
  it('counts the requests route simulate counts, by route_tier and by model, from the rollup and from the rows', async () => {
    const db = await ledgerOf(ROWS);
    for (const rollup of [[], ['--no-rollup']]) {
      const tiers = await reportJson<Report>(db, ['--by', 'route_tier', ...NOV, ...rollup]);
      // (unattributed): rows 5 and 6, 0.007 over 2 requests; small: row 3, 0.00021 over 1.
      expect(tiers.rows.map((r) => [r.route_tier, r.cost_usd, r.requests, r.cost_per_request_usd])).toEqual([
        ['(unattributed)', 0.007, 2, 0.0035],
        ['small', 0.00021, 1, 0.00021],
      ]);
      // 0.00721 over 3 requests = 0.00240333…
      expect(tiers.total).toMatchObject({ cost_usd: 0.00721, requests: 3 });
      expect(tiers.total.cost_per_request_usd).toBeCloseTo(0.0024033333, 10);
      expect(tiers.failed_attempts).toBe(3);
      const models = await reportJson<Report>(db, ['--by', 'model', ...NOV, ...rollup]);
      expect(models.rows.map((r) => [r.model, r.requests])).toEqual([
        ['gpt-4o', 2],
        ['gpt-4o-mini', 1],
      ]);
      expect(models.failed_attempts).toBe(3);
    }
    const sim = await runJson<{ requests: number; errors_left_out: number }>(['route', 'simulate', ...NOV, '--policy', POLICY, '--db', db, '--no-priors']);
    expect(sim.requests).toBe(3);
    expect(sim.errors_left_out).toBe(3);
  });

  it('leaves them out of the unit economics too: tokens per request and the steps of a trace', async () => {
    // The attempts of request 1 (rows 1–3) and of request 4 (rows 4–5) in one trace each.
    const traced = ROWS.map((r, i) => ({ ...r, trace_id: i < 3 ? 'trace-a' : 'trace-b' }));
    const db = await ledgerOf(traced);
    const units = await reportJson<{ tokens_per_request: { count: number; p50: number }; agent_loop_length: { by_agent: object[] } }>(
      db,
      ['--metrics', 'units', ...NOV],
    );
    // Rows 3, 5 and 6 ran the model: 1,100 tokens each.
    expect(units.tokens_per_request).toMatchObject({ count: 3, p50: 1100 });
    // trace-a: row 3 alone, 1 step; trace-b: rows 5 and 6, 2 steps (nearest rank: p50 1, p95 2).
    // Counting every attempt, each would read 3.
    expect(units.agent_loop_length.by_agent).toEqual([{ agent: 'support', count: 2, p50: 1, p95: 2, p99: 2 }]);
  });

  it('says in the table output how many attempts it left out, and gives 0 in JSON when there are none', async () => {
    const db = await ledgerOf(ROWS);
    const table = await runCli(['report', '--db', db, '--by', 'route_tier', ...NOV]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^total .* 3 /m);
    expect(table.stderr).toContain('3 failed attempts (HTTP status >= 400, no tokens: the model never ran) are not counted as requests');
    const clean = await ledgerOf(ROWS.filter((r) => r.status_code < 400 || r.input_tokens > 0));
    const none = await reportJson<Report>(clean, ['--by', 'model', ...NOV]);
    expect(none.failed_attempts).toBe(0);
    expect(none.total.requests).toBe(3);
    const quiet = await runCli(['report', '--db', clean, '--by', 'model', ...NOV]);
    expect(quiet.stderr).not.toContain('failed attempt');
  });
});
