// `llmfin report --by routed_from,…` shows what the proxy's rewriting of models realised:
// each row's original cost (what the requested models would have cost) and saving, exact,
// and the same figure `llmfin route simulate` prints as `realised` for the same period.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, runJson } from '../helpers/cli.js';
import { ledgerOf, reportJson } from './rows-ledger.js';

const POLICY = resolve('test/fixtures/routing/policy-small-large.yaml');

interface Row {
  routed_from?: string;
  model?: string;
  route_tier?: string;
  cost_usd: number;
  original_cost_usd: number;
  saved_usd: number;
  unpriced_routed_rows: number;
}
interface Report {
  rows: Row[];
  total: Omit<Row, 'routed_from' | 'model'>;
}

/**
 * A proxied request as the proxy records it: `from` asked for, `model` served; rewritten
 * ones carry the tag routed_from, and raw_usage.routing.original_cost_usd when the
 * requested model had a price.
 */
function proxied(i: number, o: { day: string; from: string; model: string; tokens: [number, number]; cost: string; original?: string; tier?: string }) {
  const rewritten = o.from !== o.model;
  return {
    id: `r-${i}`, source: 'proxy', ts: `${o.day}T10:00:${String(i).padStart(2, '0')}Z`, granularity: 'request', provenance: 'metered',
    provider: 'openai', model: o.model, model_requested: o.from, requests: 1, input_tokens: o.tokens[0], output_tokens: o.tokens[1],
    cost_status: 'priced', cost_usd: o.cost, agent: 'support', request_id: `req-${i}`,
    ...(rewritten ? { tags: { routed_from: o.from, ...(o.tier ? { route_tier: o.tier } : {}) } } : {}),
    raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: o.tokens[0], output_tokens: o.tokens[1], routing: {
      v: 1, mode: 'enforce', dialect: 'openai', from: o.from, tier: o.tier ?? null, model: o.model, served_tier: o.tier ?? null, score: 0,
      features: { tokens: 5, context_tokens: 5, turns: 1 }, ...(o.original !== undefined ? { original_cost_usd: o.original } : {}) } }),
  };
}

// Bundled prices: gpt-4o $2.50/$10, gpt-4o-mini $0.15/$0.60 per 1M input/output tokens.
// 1000 in + 100 out: gpt-4o 0.0025 + 0.001 = 0.0035; gpt-4o-mini 0.00015 + 0.00006 = 0.00021 (saves 0.00329).
// 2000 in + 500 out: gpt-4o 0.005 + 0.005 = 0.01; gpt-4o-mini 0.0003 + 0.0003 = 0.0006 (saves 0.0094).
const ROWS = [
  proxied(1, { day: '2026-11-16', from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [1000, 100], cost: '0.00021', original: '0.0035', tier: 'small' }),
  proxied(2, { day: '2026-11-20', from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [1000, 100], cost: '0.00021', original: '0.0035', tier: 'small' }),
  // A budget's downgrade: rewritten, no tier.
  proxied(3, { day: '2026-11-16', from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [2000, 500], cost: '0.0006', original: '0.01' }),
  // Asked for a model without a price: rewritten, its original cost unknown.
  proxied(4, { day: '2026-11-16', from: 'in-house-big', model: 'gpt-4o-mini', tokens: [1000, 100], cost: '0.00021', tier: 'small' }),
  // Not rewritten.
  proxied(5, { day: '2026-11-16', from: 'gpt-4o', model: 'gpt-4o', tokens: [1000, 100], cost: '0.0035' }),
  // Another month: outside the window.
  proxied(6, { day: '2026-10-16', from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [1000, 100], cost: '0.00021', original: '0.0035', tier: 'small' }),
];

const NOV = ['--since', '2026-11-01', '--until', '2026-12-01'];

describe('llmfin report --by routed_from shows realised savings', () => {
  it('gives each row and the total its original cost and saving, exact, and leaves unpriced originals out of the saving', async () => {
    const db = await ledgerOf(ROWS);
    for (const rollup of [[], ['--no-rollup']]) {
      const r = await reportJson<Report>(db, ['--by', 'routed_from,model', ...NOV, ...rollup]);
      expect(r.rows.map((x) => [x.routed_from, x.model, x.cost_usd, x.original_cost_usd, x.saved_usd, x.unpriced_routed_rows])).toEqual([
        // cost 0.00021 + 0.00021 + 0.0006; saved 0.00329 + 0.00329 + 0.0094; original 0.0035 + 0.0035 + 0.01.
        ['(unattributed)', 'gpt-4o', 0.0035, 0.0035, 0, 0],
        ['gpt-4o', 'gpt-4o-mini', 0.00102, 0.017, 0.01598, 0],
        ['in-house-big', 'gpt-4o-mini', 0.00021, 0.00021, 0, 1],
      ]);
      // 0.0035 + 0.00102 + 0.00021 = 0.00473; original 0.00473 + 0.01598 = 0.02071.
      expect(r.total).toMatchObject({ cost_usd: 0.00473, original_cost_usd: 0.02071, saved_usd: 0.01598, unpriced_routed_rows: 1 });
    }
    // By the tier routed to: the downgrade (no tier) is rewritten too.
    const tiers = await reportJson<Report>(db, ['--by', 'route_tier', ...NOV]);
    expect(tiers.rows.map((x) => [x.route_tier, x.cost_usd, x.saved_usd, x.unpriced_routed_rows])).toEqual([
      ['(unattributed)', 0.0041, 0.0094, 0],
      ['small', 0.00063, 0.00658, 1],
    ]);
  });

  it('keeps the report JSON as it was for groupings without routing', async () => {
    const db = await ledgerOf(ROWS);
    const r = await reportJson<{ rows: Record<string, unknown>[]; total: Record<string, unknown> }>(db, ['--by', 'model', ...NOV]);
    for (const row of [...r.rows, r.total]) for (const key of ['original_cost_usd', 'saved_usd', 'unpriced_routed_rows']) expect(row).not.toHaveProperty(key);
  });

  it('prints ORIGINAL and SAVED columns (exact in CSV), carries savings into (other), and notes unpriced originals', async () => {
    const db = await ledgerOf(ROWS);
    const table = await runCli(['report', '--db', db, '--by', 'routed_from,model', ...NOV]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/ORIGINAL\s+SAVED/);
    // Money as the report prints it (cents from a dime up, three significant digits below:
    // $0.017 original and $0.016 saved, where cents showed $0.02 and $0.02); a saving unknown is not $0.
    expect(table.stdout).toMatch(/^gpt-4o +gpt-4o-mini .* \$0\.017 +\$0\.016$/m);
    expect(table.stdout).toMatch(/^in-house-big +gpt-4o-mini .* \$0\.00021 +unpriced$/m);
    expect(table.stdout).toMatch(/^\(unattributed\) +gpt-4o .* \$0\.0035 +\$0\.00$/m);
    expect(table.stderr).toContain('1 routed row has no recorded original cost (the requested model had no price): SAVED leaves it out rather than count $0 saved');
    const csv = await runCli(['report', '--db', db, '--by', 'routed_from,model', ...NOV, '--format', 'csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/,original_cost_usd,saved_usd,unpriced_routed_rows$/);
    expect(lines.find((l) => l.startsWith('gpt-4o,gpt-4o-mini,'))).toMatch(/,0\.017,0\.01598,0$/);
    expect(lines.find((l) => l.startsWith('in-house-big,'))).toMatch(/,0\.00021,0,1$/);
    const md = await runCli(['report', '--db', db, '--by', 'routed_from,model', ...NOV, '--format', 'markdown']);
    expect(md.stdout).toMatch(/\| ORIGINAL \| SAVED \|/);
    // --top 1 keeps the largest by cost ((unattributed), gpt-4o); the other two, savings and all, are (other).
    const top = await reportJson<Report>(db, ['--by', 'routed_from,model', ...NOV, '--top', '1']);
    expect(top.rows.map((x) => [x.routed_from, x.cost_usd, x.original_cost_usd, x.saved_usd, x.unpriced_routed_rows])).toEqual([
      ['(unattributed)', 0.0035, 0.0035, 0, 0],
      ['(other)', 0.00123, 0.01721, 0.01598, 1],
    ]);
  });

  it('leaves out attempts that failed before the model ran, and gives the figure route simulate realises for the same period', async () => {
    const db = await ledgerOf(ROWS);
    // A rewritten attempt the upstream failed (HTTP 502, no tokens, no original cost): no request, not an unpriced saving.
    const ledger = await openLedger(db);
    await ledger.db
      .insertInto('usage_entries')
      .values({
        provenance: 'metered', source: 'proxy', granularity: 'request', dedupe_key: 'proxy-err-1', provider: 'openai', model: 'gpt-4o-mini', model_requested: 'gpt-4o',
        ts: '2026-11-16T11:00:00.000Z', input_tokens: 0, output_tokens: 0, cost_usd: '0', cost_ticks: 0, cost_status: 'priced', agent: 'support',
        request_id: 'req-err-1', status_code: 502, tags: JSON.stringify({ routed_from: 'gpt-4o', route_tier: 'small' }), created_at: '2026-11-16T11:00:00.000Z',
      })
      .execute();
    await ledger.close();
    for (const window of [NOV, ['--since', '2026-11-16', '--until', '2026-11-17'], ['--since', '2026-11-16T09:00:00Z', '--until', '2026-11-16T12:00:00Z']]) {
      const report = await reportJson<Report>(db, ['--by', 'routed_from,model', ...window]);
      const sim = await runJson<{ realised: { saved_usd: number } }>(['route', 'simulate', ...window, '--policy', POLICY, '--db', db, '--no-priors']);
      expect(report.total.saved_usd).toBe(sim.realised.saved_usd);
      expect(report.total.unpriced_routed_rows).toBe(1);
    }
    // The day of the 16th: rows 1 and 3 (0.00329 + 0.0094), not row 2 of the 20th.
    const day = await reportJson<Report>(db, ['--by', 'routed_from', '--since', '2026-11-16', '--until', '2026-11-17']);
    expect(day.total.saved_usd).toBe(0.01269);
  });
});
