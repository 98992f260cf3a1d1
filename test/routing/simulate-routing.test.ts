import { describe, expect, it } from 'vitest';
import { RoutingSchema } from '../../src/config/routing-config-schema.js';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { Router } from '../../src/routing/router.js';
import { simulateRouting } from '../../src/routing/simulate-routing.js';
import { freshLedger, testPricer } from '../helpers/import.js';

const BATCH = { source: 'openai-usage', file_name: null, file_hash: null, file_size: null, account: null, period_start: null, period_end: null, llmfin_version: 'test', catalogue_version: null };

/** A gpt-4.1 request recorded without the proxy's prompt features (an import, or before routing existed). */
function request(n: number, tokens: { input: number; cacheRead?: number; cacheWrite?: number; output: number }): NewUsageEntry {
  const ts = `2026-11-11T10:0${n}:00.000Z`;
  return {
    source: 'openai-usage', dedupe_key: `r-${n}`, account: null, provider: 'openai', provenance: 'metered', model: 'gpt-4.1', ts, granularity: 'request', requests: 1,
    cost_status: 'priced', cost_usd: '0', input_tokens: tokens.input, cache_read_tokens: tokens.cacheRead ?? 0, cache_write_5m_tokens: tokens.cacheWrite ?? 0, output_tokens: tokens.output,
    agent: `agent-${n}`, request_id: `q-${n}`, created_at: ts,
  } as NewUsageEntry;
}

describe('simulateRouting: rows without prompt features', () => {
  it('reads the prompt length from the tokens not read from or written to the cache: a cached long context is not a long prompt', async () => {
    const ledger = await freshLedger();
    try {
      await recordImport(ledger, BATCH, [
        // 100,300 tokens in, 100,000 of them read from the cache: a 300-token turn of an agent with a long, cached context.
        request(1, { input: 100_300, cacheRead: 100_000, output: 200 }),
        // The same, its context written to the cache on this turn.
        request(2, { input: 100_300, cacheWrite: 100_000, output: 200 }),
        // 100,300 tokens none of which the cache held: a long prompt, evidence of a hard request by itself.
        request(3, { input: 100_300, output: 200 }),
      ]);
      const routing = RoutingSchema.parse({ mode: 'enforce', default_tier: 'small', tiers: [{ name: 'small', models: { openai: ['gpt-4.1-nano'] } }, { name: 'large', models: { openai: ['gpt-4.1'] } }] });
      const pricer = await testPricer();
      const sim = await simulateRouting(ledger, new Router({ routing }, pricer), pricer, new Date('2026-11-11T00:00:00Z'), new Date('2026-11-12T00:00:00Z'));
      expect(sim.without_features).toBe(3);
      const agents = Object.fromEntries(sim.by_agent.map((a) => [a.agent, a]));
      expect(agents['agent-1']!.tiers).toEqual({ small: 1 });
      expect(agents['agent-2']!.tiers).toEqual({ small: 1 });
      expect(agents['agent-3']!.tiers).toEqual({ large: 1 });
      // gpt-4.1 at $2 in, $0.50 cache read, $8 out per 1M: 300 × 2 + 100,000 × 0.5 + 200 × 8 = $0.0522;
      // gpt-4.1-nano at $0.10, $0.025, $0.40: 300 × 0.1 + 100,000 × 0.025 + 200 × 0.4 = $0.00261.
      expect(agents['agent-1']).toMatchObject({ original_cost_usd: 0.0522, routed_cost_usd: 0.00261, saved_usd: 0.04959 });
    } finally {
      await ledger.close();
    }
  });
});

describe('simulateRouting: realised savings of rewritten rows', () => {
  /** A gpt-4o request the proxy served with gpt-4o-mini; `original` is what it recorded gpt-4o would have cost. */
  function rewritten(n: number, original: string | undefined): NewUsageEntry {
    const ts = `2026-11-12T10:0${n}:00.000Z`;
    const routing = { v: 1, mode: 'enforce', dialect: 'openai', from: 'gpt-4o', tier: 'small', model: 'gpt-4o-mini', served_tier: 'small', score: 0, features: { tokens: 5, context_tokens: 5, turns: 1 }, ...(original ? { original_cost_usd: original } : {}) };
    return {
      source: 'proxy', dedupe_key: `w-${n}`, account: null, provider: 'openai', provenance: 'metered', model: 'gpt-4o-mini', model_requested: 'gpt-4o', ts, granularity: 'request', requests: 1,
      cost_status: 'priced', cost_usd: '0.00021', input_tokens: 1000, output_tokens: 100, agent: 'support', request_id: `w-${n}`, created_at: ts,
      tags: JSON.stringify({ routed_from: 'gpt-4o', route_tier: 'small' }), raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: 1000, output_tokens: 100, routing }),
    } as NewUsageEntry;
  }

  it('counts a rewritten row without a recorded original cost apart, not as $0 saved', async () => {
    const ledger = await freshLedger();
    try {
      await recordImport(ledger, { ...BATCH, source: 'proxy' }, [rewritten(1, '0.0035'), rewritten(2, undefined)]);
      const routing = RoutingSchema.parse({ mode: 'enforce', tiers: [{ name: 'small', models: { openai: ['gpt-4o-mini'] } }, { name: 'large', models: { openai: ['gpt-4o'] } }] });
      const pricer = await testPricer();
      const sim = await simulateRouting(ledger, new Router({ routing }, pricer), pricer, new Date('2026-11-12T00:00:00Z'), new Date('2026-11-13T00:00:00Z'));
      // 1,000 × $2.50/1M + 100 × $10/1M = $0.0035 asked for; 1,000 × $0.15/1M + 100 × $0.60/1M = $0.00021 served.
      expect(sim.realised).toEqual({ requests: 1, original_cost_usd: 0.0035, cost_usd: 0.00021, saved_usd: 0.00329, saved_share: 0.94, unpriced_routed_rows: 1 });
    } finally {
      await ledger.close();
    }
  });
});
