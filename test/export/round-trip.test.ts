import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { IMPORTERS } from '../../src/importers/registry.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { ledgerTotals, spendBy } from '../../src/ledger/queries/spend-summary.js';
import { exportFormatById } from '../../src/export/export-formats.js';
import { exportRows, type ExportFilter } from '../../src/export/export-rows.js';
import { streamSink } from '../../src/export/stream-sink.js';
import { writeExport } from '../../src/export/write-export.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { comparableRows, fullLedger } from './export-ledger.js';

async function exportTo(ledger: LedgerStore, format: string, file: string, filter: ExportFilter = {}) {
  const out = createWriteStream(file);
  const stats = await writeExport(exportRows(ledger, filter), exportFormatById(format)!, streamSink(out));
  out.end();
  await finished(out);
  return stats;
}

/** Report-style totals: whole ledger, per layer, and grouped by the dimensions reports use. */
async function totals(ledger: LedgerStore) {
  // Invoices are documents, not usage rows: an export carries usage_entries only.
  const { batches: _b, invoices: _i, ...all } = await ledgerTotals(ledger);
  return {
    all,
    byProviderLayer: await spendBy(ledger, { by: ['provider', 'source'], provenance: ['billed', 'provider_usage', 'metered'] }),
    byTeamFeature: await spendBy(ledger, { by: ['team', 'feature', 'customer', 'agent'] }),
    billed: await spendBy(ledger, { by: ['provider', 'account'], provenance: 'billed' }),
  };
}

describe('export → import round trip (jsonl and csv)', () => {
  let original: LedgerStore;
  const dir = tempDir();
  beforeAll(async () => {
    original = await fullLedger();
  });
  afterAll(async () => {
    await original.close();
  });

  it('the source ledger holds what the round trip must preserve', async () => {
    const t = await ledgerTotals(original);
    expect(t.rows).toBeGreaterThan(2200);
    expect(t.by_provenance.billed.rows).toBeGreaterThan(100);
    expect(t.by_provenance.provider_usage.rows).toBeGreaterThan(0);
    expect(t.unpriced_rows).toBeGreaterThan(0);
    const kinds = await original.db
      .selectFrom('usage_entries')
      .select(['charge_category', 'service_tier', 'cost_status'])
      .distinct()
      .execute();
    expect(new Set(kinds.map((k) => k.charge_category))).toEqual(new Set(['usage', 'tax', 'credit', 'support', 'fee', 'non_llm', 'unclassified']));
    expect([...new Set(kinds.map((k) => k.service_tier))]).toEqual(expect.arrayContaining([null, 'batch', 'priority']));
    expect(new Set(kinds.map((k) => k.cost_status))).toEqual(new Set(['priced', 'billed', 'unpriced']));
    // Columns the importer re-derives on a plain row must come back as they were, so they must be there.
    const present = await original.db
      .selectFrom('usage_entries')
      .select((eb) =>
        (['region', 'tags', 'trace_id', 'request_id', 'estimated_cost_usd', 'reported_cost_usd', 'price_ref', 'raw_usage', 'ts_end', 'account', 'customer', 'agent'] as const).map((c) =>
          eb.fn.count(c).as(c),
        ),
      )
      .executeTakeFirstOrThrow();
    for (const [column, n] of Object.entries(present)) expect(Number(n), column).toBeGreaterThan(0);
    const tokens = await original.db
      .selectFrom('usage_entries')
      .select((eb) => [
        eb.fn.max('reasoning_tokens').as('reasoning'),
        eb.fn.max('cache_write_1h_tokens').as('write1h'),
        eb.fn.max('cache_read_tokens').as('read'),
        eb.fn.max('web_search_requests').as('searches'),
      ])
      .executeTakeFirstOrThrow();
    expect(Object.values(tokens).every((n) => Number(n) > 0)).toBe(true);
    expect((await original.db.selectFrom('usage_entries').select('id').where('model', 'is', null).execute()).length).toBeGreaterThan(0);
  });

  for (const format of ['jsonl', 'csv']) {
    it(`${format}: an empty ledger gets identical rows, provenance and source kept, totals equal to the tick`, async () => {
      const file = join(dir, `ledger.${format}`);
      const stats = await exportTo(original, format, file);
      const before = await comparableRows(original);
      expect(stats.rows).toBe(before.length);

      const copy = await freshLedger();
      const summary = await importInto(copy, llmfinImporter, file);
      expect(summary).toMatchObject({ status: 'imported', rowsRead: before.length, rowsImported: before.length, rowsRejected: 0 });
      expect(await comparableRows(copy)).toEqual(before);
      expect(await totals(copy)).toEqual(await totals(original));

      // The same file again, and the export into the ledger it came from: nothing changes.
      expect((await importInto(copy, llmfinImporter, file)).status).toBe('already-imported');
      const back = await importInto(original, llmfinImporter, file);
      expect(back).toMatchObject({ rowsImported: 0, rowsSkipped: before.length });
      expect(await comparableRows(original)).toEqual(before);
      await copy.close();
    });

    it(`${format}: \`llmfin import\` detects the export as the llmfin source`, async () => {
      const file = join(dir, `detect.${format}`);
      await exportTo(original, format, file, { provenance: ['billed'] });
      const copy = await freshLedger();
      const summary = await importInto(copy, IMPORTERS, file);
      expect(summary.source).toBe('llmfin');
      expect(await comparableRows(copy)).toEqual((await comparableRows(original)).filter((r) => r.provenance === 'billed'));
      await copy.close();
    });
  }

  it('a second export of the re-imported ledger is byte for byte the first', async () => {
    const first = join(dir, 'first.jsonl');
    const second = join(dir, 'second.jsonl');
    await exportTo(original, 'jsonl', first);
    const copy = await freshLedger();
    await importInto(copy, llmfinImporter, first);
    await exportTo(copy, 'jsonl', second);
    await copy.close();
    // Same (ts, id) order needs the same insertion order: compare as sets of lines.
    const lines = (f: string) => readFileSync(f, 'utf8').trim().split('\n').sort();
    expect(lines(second)).toEqual(lines(first));
  });
});
