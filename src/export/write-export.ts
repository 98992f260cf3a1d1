/**
 * Drives one export: the format's header, then each row as the reader yields it,
 * written in chunks of about 64 KiB and only as fast as the sink takes them, so
 * memory stays constant whatever the ledger's size.
 */
import type { UsageEntry } from '../ledger/ledger-schema.js';
import type { ExportFormat } from './export-format.js';

/** Where an export goes: stdout or an atomic file. `write` resolves when the sink can take more. */
export interface ExportSink {
  write(text: string): Promise<void>;
}

export interface ExportStats {
  rows: number;
  /** Rows whose cost is unknown: FOCUS must write a number for them (0), so the CLI says so. */
  unpricedRows: number;
}

const FLUSH_CHARS = 64 * 1024;

export async function writeExport(rows: AsyncIterable<UsageEntry>, format: ExportFormat, sink: ExportSink): Promise<ExportStats> {
  const stats: ExportStats = { rows: 0, unpricedRows: 0 };
  let buffer = format.header();
  for await (const entry of rows) {
    buffer += format.row(entry);
    stats.rows++;
    if (entry.cost_status === 'unpriced') stats.unpricedRows++;
    if (buffer.length >= FLUSH_CHARS) {
      await sink.write(buffer);
      buffer = '';
    }
  }
  if (buffer !== '') await sink.write(buffer);
  return stats;
}
