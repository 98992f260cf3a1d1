/**
 * The import extension point. An importer is pure: file text in, ledger entries and
 * per-row issues out; it never touches the database (the import command records the
 * batch in one transaction). See ARCHITECTURE.md for adding a source.
 */
import type { NewUsageEntry } from '../ledger/ledger-schema.js';
import type { Pricer } from '../pricing/pricer.js';

export interface ImportContext {
  pricer: Pricer;
  catalogueVersion: string;
  /** Name shown in messages: the path the user gave. */
  fileName: string;
  now: Date;
}

/** A row that could not be imported, with where and why. */
export interface ImportIssue {
  line: number;
  message: string;
}

export interface ParsedImport {
  entries: NewUsageEntry[];
  issues: ImportIssue[];
  rowsRead: number;
}

export interface Importer {
  /** Stable id used with `--source` and stored on every row. */
  id: string;
  description: string;
  /** Cheap sniffing from the file name and its first few KB. */
  detect(sample: { fileName: string; head: string }): boolean;
  parse(text: string, ctx: ImportContext): ParsedImport;
}
