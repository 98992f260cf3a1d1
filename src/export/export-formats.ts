/** The export formats, one line each; `--format` takes their ids. */
import type { ExportFormat } from './export-format.js';
import { csvFormat } from './csv-writer.js';
import { focusFormat } from './focus-writer.js';
import { jsonlFormat } from './jsonl-writer.js';

export const EXPORT_FORMATS: readonly ExportFormat[] = [focusFormat, csvFormat, jsonlFormat];

export function exportFormatById(id: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((f) => f.id === id);
}
