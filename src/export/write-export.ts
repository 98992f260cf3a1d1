/**
 * Drives one export: the format's header, then each row as the reader yields it,
 * written in chunks of about 64 KiB and only as fast as the sink takes them, so
 * memory stays constant whatever the ledger's size.
 */
import type { UsageEntry } from '../ledger/ledger-schema.js';
import type { ExportFormat } from './export-format.js';
import { providerMonth } from '../reports/layer-rule.js';

/** Where an export goes: stdout or an atomic file. `write` resolves when the sink can take more. */
export interface ExportSink {
  write(text: string): Promise<void>;
}

export interface ExportStats {
  rows: number;
  /** Rows whose cost is unknown: FOCUS must write a number for them (0), so the CLI says so. */
  unpricedRows: number;
  /**
   * The layers (provenance) of the usage rows written for each provider and UTC month, keyed
   * "provider YYYY-MM": where there are several, the same spend is in the file more than
   * once (a bill and the metered requests it charges for), and a FOCUS reader summing
   * BilledCost counts it again for each, so the CLI says so.
   */
  layers: Map<string, Set<string>>;
}

const FLUSH_CHARS = 64 * 1024;

export async function writeExport(rows: AsyncIterable<UsageEntry>, format: ExportFormat, sink: ExportSink): Promise<ExportStats> {
  const stats: ExportStats = { rows: 0, unpricedRows: 0, layers: new Map() };
  let buffer = format.header();
  for await (const entry of rows) {
    buffer += format.row(entry);
    stats.rows++;
    if (entry.cost_status === 'unpriced') stats.unpricedRows++;
    // Only usage is in several layers: a tax or credit line is on the bill alone.
    if (entry.charge_category === 'usage') {
      const key = providerMonth(entry.provider, entry.ts);
      let layers = stats.layers.get(key);
      if (layers === undefined) stats.layers.set(key, (layers = new Set()));
      layers.add(entry.provenance);
    }
    if (buffer.length >= FLUSH_CHARS) {
      await sink.write(buffer);
      buffer = '';
    }
  }
  if (buffer !== '') await sink.write(buffer);
  return stats;
}
