import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell, csvLine } from '../../src/export/csv-line.js';
import { csvFormat } from '../../src/export/csv-writer.js';
import { jsonlFormat } from '../../src/export/jsonl-writer.js';
import { LLMFIN_EXPORT_FIELDS, toLlmfinExportRow } from '../../src/export/llmfin-export-row.js';
import type { ExportFormat } from '../../src/export/export-format.js';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { recordImport, type UsageEntry } from '../../src/ledger/index.js';
import { ENTRY_COLUMNS } from '../../src/ledger/queries/insert-batch.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { comparableRows } from './export-ledger.js';
import { AUDIO_REQUEST, CREDIT_CORRECTION, TAX_LINE } from './hand-rows.js';

describe('CSV cells (RFC 4180)', () => {
  it('quotes only what needs it, doubles quotes, ends records with CRLF', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvLine(['x', null, 3, 'y,z'])).toBe('x,,3,"y,z"\r\n');
  });
});

describe('llmfin export fields', () => {
  it('cover every usage_entries column except the ledger-local ones (dedupe_key is `id`, ticks are derived)', () => {
    const ledgerOnly = new Set(['batch_id', 'created_at', 'cost_ticks', 'estimated_cost_ticks', 'dedupe_key']);
    const expected = ENTRY_COLUMNS.filter((c) => !ledgerOnly.has(c));
    expect([...LLMFIN_EXPORT_FIELDS].filter((f) => f !== 'id').sort()).toEqual([...expected].sort());
  });

  it('map a row: money as exact text, tags as an object, raw usage as the stored text', () => {
    const row = toLlmfinExportRow({ ...AUDIO_REQUEST, id: 7, batch_id: 1 } as UsageEntry);
    expect(row).toMatchObject({
      id: 'req-1, "quoted"',
      source: 'proxy',
      cost_usd: '0.0123456789012',
      reported_cost_usd: '0.0124',
      tags: { team: 'override', cost_center: 'cc-7', empty: '' },
      raw_usage: AUDIO_REQUEST.raw_usage,
      input_audio_tokens: 600,
      output_image_tokens: 10,
    });
    expect(Object.keys(row)).toEqual([...LLMFIN_EXPORT_FIELDS]);
  });

  for (const format of [jsonlFormat, csvFormat] as ExportFormat[]) {
    it(`${format.id}: odd rows (every token class, quotes, newlines, no model, negative money) come back exactly`, async () => {
      const ledger = await freshLedger();
      await recordImport(ledger, { source: 'test', file_name: null }, [AUDIO_REQUEST, TAX_LINE, CREDIT_CORRECTION]);
      const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('ts').execute();
      // The tax line (no model) comes first: detection must still recognise the file.
      const file = join(tempDir(), `odd.${format.id}`);
      writeFileSync(file, format.header() + rows.map((r) => format.row(r)).join(''));
      const copy = await freshLedger();
      expect((await importInto(copy, llmfinImporter, file)).rowsImported).toBe(3);
      expect(await comparableRows(copy)).toEqual(await comparableRows(ledger));
      await ledger.close();
      await copy.close();
    });
  }
});
