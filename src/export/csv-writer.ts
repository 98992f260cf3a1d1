/**
 * `--format csv`: the same fields as the JSONL, flat, under a header row; `tags` is
 * its JSON object in one cell. `llmfin import` reads it back (the llmfin source reads
 * its CSV form) with the same round trip, except that CSV cannot tell an empty text
 * from a missing one: both come back as missing (the ledger stores none empty).
 */
import type { ExportFormat } from './export-format.js';
import { csvLine } from './csv-line.js';
import { LLMFIN_EXPORT_FIELDS, toLlmfinExportRow } from './llmfin-export-row.js';

export const csvFormat: ExportFormat = {
  id: 'csv',
  description: 'the JSONL fields as flat CSV with a header row (RFC 4180); `llmfin import` restores it exactly',
  header: () => csvLine(LLMFIN_EXPORT_FIELDS),
  row(entry) {
    const row = toLlmfinExportRow(entry);
    return csvLine(LLMFIN_EXPORT_FIELDS.map((field) => {
      const value = row[field];
      return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
    }));
  },
};
