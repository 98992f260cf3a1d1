import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore, UsageEntry } from '../../src/ledger/index.js';
import { defaultBasisLayers, onDefaultBasis, type LeftOut } from '../../src/export/export-basis.js';
import { exportRows } from '../../src/export/export-rows.js';
import { fullLedger } from './export-ledger.js';

async function collect(rows: AsyncIterable<UsageEntry>): Promise<UsageEntry[]> {
  const out: UsageEntry[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('the default basis of an export (every importer fixture, an invoice among them)', () => {
  let ledger: LedgerStore;
  beforeAll(async () => {
    ledger = await fullLedger();
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('keeps one layer of usage rows per provider-month, billed before provider usage before metered, and every other charge', async () => {
    const all = await collect(exportRows(ledger));
    const leftOut: LeftOut = new Map();
    const kept = await collect(onDefaultBasis(exportRows(ledger), await defaultBasisLayers(ledger, undefined, undefined), leftOut));

    const key = (e: UsageEntry) => `${e.provider} ${e.ts.slice(0, 7)}`;
    const layersOf = (rows: UsageEntry[]) => {
      const m = new Map<string, Set<string>>();
      for (const e of rows.filter((r) => r.charge_category === 'usage')) m.set(key(e), (m.get(key(e)) ?? new Set()).add(e.provenance));
      return m;
    };
    const before = layersOf(all);
    const after = layersOf(kept);
    expect([...before.values()].some((s) => s.size > 1)).toBe(true);
    expect(new Set(after.keys())).toEqual(new Set(before.keys()));
    for (const [month, layers] of before) {
      const expected = ['billed', 'provider_usage', 'metered'].find((l) => layers.has(l))!;
      expect([...after.get(month)!], month).toEqual([expected]);
    }
    // Taxes, credits, fees and non-LLM lines are all written.
    const others = (rows: UsageEntry[]) => rows.filter((r) => r.charge_category !== 'usage').map((r) => r.id);
    expect(others(kept)).toEqual(others(all));
    // What was left out is counted, row for row.
    const counted = [...leftOut.values()].flatMap((m) => [...m.values()]).reduce((a, n) => a + n, 0);
    expect(kept.length + counted).toBe(all.length);
  });

  it('decides a provider-month over the whole month, whatever part of it is exported', async () => {
    const month = await defaultBasisLayers(ledger, '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
    const days = await defaultBasisLayers(ledger, '2026-10-20T00:00:00.000Z', '2026-10-21T00:00:00.000Z');
    for (const [key, layer] of days) expect(layer, key).toBe(month.get(key));
  });
});
