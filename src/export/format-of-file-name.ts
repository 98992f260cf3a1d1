/**
 * What an export file's name says about its format: `--out costs.csv` without `--format`
 * is a CSV, as a user naming the file expects, not JSONL under a .csv name. Loads nothing
 * (export's `--help` and argument checks run before any writer is imported).
 */
import { extname } from 'node:path';

/** What a file name's extension says about the export written into it. */
export interface FileNameFormat {
  /** The extension as the name writes it, such as ".csv". */
  readonly extension: string;
  /** The format an export under this name is written in when `--format` is not given. */
  readonly format: string;
  /** Every format whose text the extension names: a FOCUS export is a CSV file too. */
  readonly fits: readonly string[];
}

/**
 * By extension, case aside. `.csv` is llmfin's own CSV rather than FOCUS: it is the
 * lossless one, the same fields as the default JSONL, and FOCUS is a choice of columns a
 * user asks for by name (`--format focus`), not something a name can tell apart.
 */
const BY_EXTENSION: Readonly<Record<string, Omit<FileNameFormat, 'extension'>>> = {
  '.csv': { format: 'csv', fits: ['csv', 'focus'] },
  '.jsonl': { format: 'jsonl', fits: ['jsonl'] },
  '.ndjson': { format: 'jsonl', fits: ['jsonl'] },
};

/** The format the name's extension names, or undefined for one that names none (".txt", no extension). */
export function formatOfFileName(name: string): FileNameFormat | undefined {
  const extension = extname(name);
  const known = BY_EXTENSION[extension.toLowerCase()];
  return known === undefined ? undefined : { extension, ...known };
}
