import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/ledger/queries/usage-facts.js';
import { applyLayerRule } from '../../src/reports/layer-rule.js';

const fact = (provenance: Fact['provenance'], period: string, ticks: bigint, team: string | null = null): Fact => ({
  period,
  provenance,
  charge_category: 'usage',
  ids: { provider: 'openai', team },
  rows: 1,
  requests: 1,
  input_tokens: 0,
  uncached_input_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  cost_ticks: ticks,
  estimated_cost_ticks: 0n,
  unpriced_rows: 0,
});

describe('applyLayerRule', () => {
  it('scales the finer layer down in proportion when it prices more than the bill', () => {
    // Billed 90; metered prices 100 (a = 70, b = 30): a gets 63, b gets 27, nothing unattributed.
    const { facts, pools } = applyLayerRule([fact('billed', '2026-10', 90n), fact('metered', '2026-10', 70n, 'a'), fact('metered', '2026-10', 30n, 'b')], []);
    expect(facts.map((f) => [f.ids.team, f.cost_ticks, f.unattributed])).toEqual([
      ['a', 63n, false],
      ['b', 27n, false],
    ]);
    expect(pools[0]).toMatchObject({ authority: 'billed', attributed_by: 'metered', authority_ticks: 90n, unattributed_ticks: 0n });
  });

  it('keeps pools apart per provider and month, and uses a layer alone when nothing is finer', () => {
    const other = { ...fact('provider_usage', '2026-11', 40n, 'x'), ids: { provider: 'anthropic', team: 'x' } };
    const { facts } = applyLayerRule([fact('billed', '2026-10', 90n, 'tagged'), other], []);
    expect(facts.map((f) => [f.ids.provider, f.period, f.cost_ticks, f.ids.team])).toEqual([
      ['openai', '2026-10', 90n, 'tagged'],
      ['anthropic', '2026-11', 40n, 'x'],
    ]);
  });

  it('books an invoice with nothing below it as unattributed', () => {
    const { facts } = applyLayerRule([], [{ provider: 'openai', month: '2026-10', usage_ticks: 500n, invoices: 1 }]);
    expect(facts).toEqual([expect.objectContaining({ period: '2026-10', cost_ticks: 500n, unattributed: true })]);
  });
});
