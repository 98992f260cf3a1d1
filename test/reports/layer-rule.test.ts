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
  counted_cost_ticks: ticks,
  // No tokens: nothing of the cost is on rows that count them.
  tokened_cost_ticks: 0n,
  unpriced_requests: 0,
  unpriced_tokens: 0,
  failed_attempts: 0,
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

  it('scales the counted cost (of rows that count their requests) with the cost, and leaves the remainder uncounted', () => {
    // Billed 200 (no request count); metered prices 400: a = 300 of which 100 on rows that
    // count their requests, b = 100 all counted. a gets 150 (counted 100 x 150/300 = 50),
    // b gets 50 (counted 50): each keeps the proportion it had.
    const mixed = { ...fact('metered', '2026-10', 300n, 'a'), counted_cost_ticks: 100n };
    const billed = { ...fact('billed', '2026-10', 200n), counted_cost_ticks: 0n };
    const split = applyLayerRule([billed, mixed, fact('metered', '2026-10', 100n, 'b')], []);
    expect(split.facts.map((f) => [f.ids.team, f.cost_ticks, f.counted_cost_ticks])).toEqual([
      ['a', 150n, 50n],
      ['b', 50n, 50n],
    ]);
    // Billed 500 over metered 400: the 100 remainder counts no request.
    const over = applyLayerRule([{ ...billed, cost_ticks: 500n }, mixed, fact('metered', '2026-10', 100n, 'b')], []);
    expect(over.facts.map((f) => [f.ids.team ?? null, f.cost_ticks, f.counted_cost_ticks, f.unattributed])).toEqual([
      ['a', 300n, 100n, false],
      ['b', 100n, 100n, false],
      [null, 100n, 0n, true],
    ]);
  });

  it('scales the tokened cost (of rows that count their tokens) with the cost, and leaves the remainder without tokens', () => {
    // Billed 200 (no tokens); metered prices 400: a = 300 of which 120 on rows with tokens,
    // b = 100 all on rows with tokens. a gets 150 (tokened 120 x 150/300 = 60), b gets 50
    // (tokened 50): each keeps the proportion it had.
    const mixed = { ...fact('metered', '2026-10', 300n, 'a'), input_tokens: 1_000, tokened_cost_ticks: 120n };
    const tokened = { ...fact('metered', '2026-10', 100n, 'b'), input_tokens: 500, tokened_cost_ticks: 100n };
    const billed = fact('billed', '2026-10', 200n);
    const split = applyLayerRule([billed, mixed, tokened], []);
    expect(split.facts.map((f) => [f.ids.team, f.cost_ticks, f.tokened_cost_ticks])).toEqual([
      ['a', 150n, 60n],
      ['b', 50n, 50n],
    ]);
    // Billed 500 over metered 400: the 100 remainder has no tokens.
    const over = applyLayerRule([{ ...billed, cost_ticks: 500n }, mixed, tokened], []);
    expect(over.facts.map((f) => [f.ids.team ?? null, f.cost_ticks, f.tokened_cost_ticks, f.unattributed])).toEqual([
      ['a', 300n, 120n, false],
      ['b', 100n, 100n, false],
      [null, 100n, 0n, true],
    ]);
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

describe('applyLayerRule with an invoice that covers part of a month', () => {
  // October with an invoice share of 204 for Oct 15–31 (an Oct 15 – Nov 14 invoice), billed
  // rows of 10 a day on Oct 1 and Oct 20, metered rows of 7 (team a) on Oct 1 and Oct 20.
  const invoice = { provider: 'openai', month: '2026-10', usage_ticks: 204n, invoices: 1, days: Array.from({ length: 17 }, (_, i) => `2026-10-${String(15 + i)}`) };
  const facts = [fact('billed', '2026-10-01', 10n), fact('billed', '2026-10-20', 10n), fact('metered', '2026-10-01', 7n, 'a'), fact('metered', '2026-10-20', 7n, 'a')];

  it('takes the invoice as the money of its days only, and the billed rows for the other days', () => {
    const { facts: out, pools } = applyLayerRule(facts, [invoice]);
    // Covered days: invoice 204, metered 7 attributes, 197 unattributed on Oct 15 (its first day).
    // Other days: billed 10 on Oct 1, metered 7 attributes, 3 unattributed on the billed row's day.
    // Total 204 + 10 = 214; before, the invoice was all of October: 204.
    expect(out.map((f) => [f.period, f.provenance, f.cost_ticks, f.unattributed])).toEqual([
      ['2026-10-20', 'metered', 7n, false],
      ['2026-10-15', 'billed', 197n, true],
      ['2026-10-01', 'metered', 7n, false],
      ['2026-10-01', 'billed', 3n, true],
    ]);
    expect(out.reduce((a, f) => a + f.cost_ticks, 0n)).toBe(214n);
    expect(pools).toEqual([
      { provider: 'openai', month: '2026-10', authority: 'invoice', authority_ticks: 204n, attributed_by: 'metered', attributing_ticks: 7n, unattributed_ticks: 197n, days: { count: 17, of: 31, spans: [{ from: '2026-10-15', to: '2026-10-31' }] } },
      { provider: 'openai', month: '2026-10', authority: 'billed', authority_ticks: 10n, attributed_by: 'metered', attributing_ticks: 7n, unattributed_ticks: 3n, days: { count: 14, of: 31, spans: [{ from: '2026-10-01', to: '2026-10-14' }] } },
    ]);
  });

  it('refuses monthly facts for a month it must decide day by day', () => {
    expect(() => applyLayerRule([fact('billed', '2026-10', 10n)], [invoice])).toThrow(/needs daily facts/);
  });
});
