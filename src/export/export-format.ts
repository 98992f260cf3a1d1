/**
 * The export extension point: one file per format (jsonl-writer.ts, csv-writer.ts,
 * focus-writer.ts) implementing this, plus one line in export-formats.ts.
 */
import type { UsageEntry } from '../ledger/ledger-schema.js';

export interface ExportFormat {
  /** The `--format` value. */
  readonly id: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Text written before the rows, also when none match (a CSV header); '' for none. */
  header(): string;
  /** One ledger row as text, with its line ending. */
  row(entry: UsageEntry): string;
}
