// The README's Routing tour shows `llmfin report --by route_tier --format json` on the
// requests it describes (two routed to small, a budget downgrade, one asked of a model with
// no price, one not rewritten): the output shown is what the command prints for them, and the
// report's JSON description lists the keys such a grouping adds.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const COMMAND = '$ llmfin report --by route_tier --month 2026-11 --format json';

/** A request as the proxy records it: `from` asked for, `model` served, rewritten ones tagged routed_from with their original cost. */
function proxied(i: number, o: { from: string; model: string; tokens: [number, number]; cost: string; original?: string; tier?: string }) {
  const rewritten = o.from !== o.model;
  return {
    id: `r-${i}`, source: 'proxy', ts: `2026-11-16T10:00:0${i}Z`, granularity: 'request', provenance: 'metered', provider: 'openai', model: o.model, model_requested: o.from,
    requests: 1, input_tokens: o.tokens[0], output_tokens: o.tokens[1], cost_status: 'priced', cost_usd: o.cost, request_id: `req-${i}`,
    ...(rewritten ? { tags: { routed_from: o.from, ...(o.tier ? { route_tier: o.tier } : {}) } } : {}),
    raw_usage: JSON.stringify({ convention: 'llmfin', routing: { v: 1, mode: 'enforce', dialect: 'openai', from: o.from, tier: o.tier ?? null, model: o.model, score: 0, features: {}, ...(o.original ? { original_cost_usd: o.original } : {}) } }),
  };
}

// gpt-4o at $2.50/$10 and gpt-4o-mini at $0.15/$0.60 per 1M input/output tokens.
const ROWS = [
  proxied(1, { from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [1_000_000, 100_000], cost: '0.21', original: '3.5', tier: 'small' }),
  proxied(2, { from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [1_000_000, 100_000], cost: '0.21', original: '3.5', tier: 'small' }),
  proxied(3, { from: 'gpt-4o', model: 'gpt-4o-mini', tokens: [2_000_000, 500_000], cost: '0.6', original: '10' }),
  proxied(4, { from: 'in-house-big', model: 'gpt-4o-mini', tokens: [1_000_000, 100_000], cost: '0.21', tier: 'small' }),
  proxied(5, { from: 'gpt-4o', model: 'gpt-4o', tokens: [1_000_000, 100_000], cost: '3.5' }),
];

describe('README: report grouped by route_tier in JSON', () => {
  it('shows what the command prints, with original_cost_usd, saved_usd and unpriced_routed_rows per row and in total', async () => {
    const at = README.indexOf(`${COMMAND}\n`);
    expect(at, 'the README shows the command').toBeGreaterThan(0);
    const shown = README.slice(at + COMMAND.length + 1, README.indexOf('\n```', at));
    const db = await ledgerOf(ROWS);
    const r = await runCli(['report', ...COMMAND.split(' ').slice(3), '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(shown)).toEqual(JSON.parse(r.stdout));
    // Hand-computed: small saves 3.5 + 3.5 − 0.21 − 0.21 = 6.58 (in-house-big unpriced); the downgrade 10 − 0.6 = 9.4.
    const json = JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>>; total: Record<string, unknown> };
    expect(json.rows.map((x) => [x.route_tier, x.original_cost_usd, x.saved_usd, x.unpriced_routed_rows])).toEqual([
      ['(unattributed)', 13.5, 9.4, 0],
      ['small', 7.21, 6.58, 1],
    ]);
    expect(json.total).toMatchObject({ cost_usd: 4.73, original_cost_usd: 20.71, saved_usd: 15.98, unpriced_routed_rows: 1 });
  });

  it('the report JSON description names the keys a routed_from or route_tier grouping adds', () => {
    const contract = README.slice(README.indexOf('`--format json` follows the contract'), README.indexOf('**Unit economics.**'));
    for (const key of ['"original_cost_usd"', '"saved_usd"', '"unpriced_routed_rows"', '`routed_from`', '`route_tier`']) expect(contract).toContain(key);
  });
});
