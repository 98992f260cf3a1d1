/** `--format jsonl`: llmfin's own format, one JSON object per ledger row, lossless (see llmfin-export-row.ts). */
import type { ExportFormat } from './export-format.js';
import { toLlmfinExportRow } from './llmfin-export-row.js';

export const jsonlFormat: ExportFormat = {
  id: 'jsonl',
  description: "llmfin's own JSONL, one object per ledger row; `llmfin import` restores it exactly",
  header: () => '',
  row: (entry) => `${JSON.stringify(toLlmfinExportRow(entry))}\n`,
};
