import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnknownDimensionError } from '../../src/ledger/ledger-errors.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { ledgerTotals, spendBy } from '../../src/ledger/queries/spend-summary.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

let ledger: LedgerStore;
beforeEach(async () => {
  ledger = await openLedger(join(tempDir(), 'ledger.db'));
});
afterEach(async () => {
  await ledger.close();
});

/** Three priced rows and one unpriced one, across providers, teams and days. */
async function seed(): Promise<void> {
  await recordImport(ledger, batch(), [
    entry({ dedupe_key: 'r1', provider: 'openai', team: 'search', ts: '2026-11-01T10:00:00.000Z', cost_usd: '0.005615', input_tokens: 1000, cache_read_tokens: 400, cache_write_5m_tokens: 0, output_tokens: 50 }),
    entry({ dedupe_key: 'r2', provider: 'openai', team: null, ts: '2026-11-02T10:00:00.000Z', cost_usd: '0.054399', input_tokens: 5000, output_tokens: 900, reasoning_tokens: 600, requests: 3 }),
    entry({ dedupe_key: 'r3', provider: 'anthropic', model: 'claude-sonnet-4', team: 'search', ts: '2026-11-03T00:00:00.000Z', cost_usd: '1.5225', input_tokens: 300_000, cache_write_5m_tokens: 10_000, cache_write_1h_tokens: 2_000, output_tokens: 40_000, provenance: 'provider_usage' }),
    entry({ dedupe_key: 'r4', provider: 'mystery', model: 'x-1', team: 'support', ts: '2026-11-03T12:00:00.000Z', cost_usd: null, cost_status: 'unpriced', input_tokens: 10, output_tokens: 5 }),
  ]);
}

describe('spendBy', () => {
  it('sums money exactly from ticks', async () => {
    await seed();
    const [total, ...rest] = await spendBy(ledger, { by: [] });
    expect(rest).toEqual([]);
    expect(total).toEqual({
      cost_usd: '1.582514',
      cost_ticks: 15_825_140_000n,
      rows: 4,
      requests: 6,
      input_tokens: 306_010,
      output_tokens: 40_955,
      cache_read_tokens: 400,
      cache_write_tokens: 12_000,
      reasoning_tokens: 600,
      unpriced_rows: 1,
    });
  });

  it('groups by two dimensions, most expensive first, with (unattributed) for missing values', async () => {
    await seed();
    const rows = await spendBy(ledger, { by: ['provider', 'team'] });
    expect(rows.map((r) => [r.provider, r.team, r.cost_usd, r.rows])).toEqual([
      ['anthropic', 'search', '1.5225', 1],
      ['openai', '(unattributed)', '0.054399', 1],
      ['openai', 'search', '0.005615', 1],
      ['mystery', 'support', '0', 1],
    ]);
    expect(rows[3]?.unpriced_rows).toBe(1);
    expect(Object.keys(rows[0] ?? {})).toContain('team');
    expect(Object.keys(rows[0] ?? {})).not.toContain('model');
  });

  it('filters by since (inclusive) and until (exclusive)', async () => {
    await seed();
    const total = async (since?: string, until?: string) =>
      (await spendBy(ledger, { by: [], ...(since ? { since } : {}), ...(until ? { until } : {}) }))[0]?.cost_usd ?? 'none';
    expect(await total('2026-11-02', '2026-11-03')).toBe('0.054399');
    expect(await total('2026-11-02T10:00:00Z', '2026-11-03T00:00:00Z')).toBe('0.054399');
    expect(await total('2026-11-01T10:00:00.001Z')).toBe('1.576899');
    expect(await total(undefined, '2026-11-01T10:00:00Z')).toBe('none');
    expect(await total('2026-11-03')).toBe('1.5225');
  });

  it('filters by dimension values and provenance', async () => {
    await seed();
    const search = await spendBy(ledger, { by: ['provider'], where: { team: 'search' } });
    expect(search.map((r) => [r.provider, r.cost_usd])).toEqual([
      ['anthropic', '1.5225'],
      ['openai', '0.005615'],
    ]);
    const unattributed = await spendBy(ledger, { by: ['model'], where: { team: '(unattributed)' } });
    expect(unattributed.map((r) => [r.model, r.cost_usd])).toEqual([['gpt-4o', '0.054399']]);
    const trace = await spendBy(ledger, { by: ['trace'] });
    expect(trace.map((r) => r.trace)).toEqual(['(unattributed)']);
    const usage = await spendBy(ledger, { by: ['provider'], provenance: 'provider_usage' });
    expect(usage.map((r) => r.provider)).toEqual(['anthropic']);
    const metered = await spendBy(ledger, { by: [], provenance: ['metered', 'billed'] });
    expect(metered[0]?.cost_usd).toBe('0.060014');
    await expect(spendBy(ledger, { by: [], provenance: 'guessed' as never })).rejects.toThrow(/unknown provenance "guessed"/);
  });

  it('rejects a name that is not a dimension, in by and in where', async () => {
    await seed();
    for (const query of [{ by: ['cost_usd'] }, { by: ['team; drop table usage_entries'] }, { by: [], where: { trace_id: 'x' } }]) {
      const error = await spendBy(ledger, query).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownDimensionError);
      expect((error as UnknownDimensionError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(/^unknown dimension ".*"; expected one of provider, model, team/);
    }
  });

  it('counts an attempt that failed before the model ran (a retried 503) as no request, as report does', async () => {
    // The proxy's rows: three 503s with no token and $0, each retried and answered for $0.01.
    const rows = [1, 2, 3].flatMap((i) => [
      entry({ dedupe_key: `f${i}`, ts: `2026-11-10T12:00:0${i}.000Z`, cost_usd: '0', input_tokens: 0, output_tokens: 0, requests: 1, status_code: 503 }),
      entry({ dedupe_key: `a${i}`, ts: `2026-11-10T12:00:0${i}.500Z`, cost_usd: '0.01', input_tokens: 1000, output_tokens: 100, requests: 1, status_code: 200 }),
    ]);
    await recordImport(ledger, batch(), rows);
    expect(await spendBy(ledger, { by: ['model'] })).toMatchObject([{ model: 'gpt-4o', rows: 6, requests: 3, cost_usd: '0.03' }]);
    expect(await ledgerTotals(ledger)).toMatchObject({ rows: 6, requests: 3, cost_usd: '0.03' });
  });

  it('returns no rows for an empty ledger', async () => {
    expect(await spendBy(ledger, { by: [] })).toEqual([]);
    expect(await spendBy(ledger, { by: ['team'] })).toEqual([]);
  });

  it('sums ticks past Number.MAX_SAFE_INTEGER exactly', async () => {
    // 2^53 + 1 ticks each: a number would read 9007199254740992.
    const big = 9_007_199_254_740_993n;
    await recordImport(ledger, batch(), [
      entry({ dedupe_key: 'b1', cost_usd: '900719.9254740993', cost_ticks: big }),
      entry({ dedupe_key: 'b2', cost_usd: '900719.9254740993', cost_ticks: big }),
      entry({ dedupe_key: 'b3', cost_usd: '0.0000000001', cost_ticks: 1n }),
    ]);
    const [total] = await spendBy(ledger, { by: [] });
    expect(total?.cost_ticks).toBe(18_014_398_509_481_987n);
    expect(total?.cost_usd).toBe('1801439.8509481987');
    const stored = await ledger.db.selectFrom('usage_entries').select('cost_ticks').where('dedupe_key', '=', 'b1').executeTakeFirstOrThrow();
    expect(stored.cost_ticks).toBe(big);
  });
});

describe('ledgerTotals', () => {
  it('reports rows, money, span and layers', async () => {
    await seed();
    const totals = await ledgerTotals(ledger);
    expect(totals).toMatchObject({
      rows: 4,
      cost_usd: '1.582514',
      unpriced_rows: 1,
      first_ts: '2026-11-01T10:00:00.000Z',
      last_ts: '2026-11-03T12:00:00.000Z',
      batches: 1,
      invoices: 0,
      by_provenance: {
        billed: { rows: 0, cost_usd: '0', cost_ticks: 0n },
        provider_usage: { rows: 1, cost_usd: '1.5225', cost_ticks: 15_225_000_000n },
        metered: { rows: 3, cost_usd: '0.060014', cost_ticks: 600_140_000n },
      },
    });
  });

  it('is all zeros for an empty ledger', async () => {
    const totals = await ledgerTotals(ledger);
    expect(totals).toMatchObject({ rows: 0, cost_usd: '0', cost_ticks: 0n, first_ts: null, last_ts: null, batches: 0 });
  });
});
