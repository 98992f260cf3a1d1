/**
 * CSV records for the cloud-bill importers, with the checks a bill needs before any row
 * is trusted: the header is validated first (from the file's start, so a file with a
 * header and no rows, or no header at all, is still judged), a short row (a truncated
 * file, a broken quote) is an issue rather than a row with missing money, and a parse
 * error becomes one issue instead of an exception. A gzip file that cannot be read to its
 * end is refused whole (InputError).
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { SourceInput } from '../source-input.js';
import { BROKEN_GZIP_HINT, readSample } from '../source-input.js';
import { InputError } from '../../shared/errors.js';
import { HEADER_HINT } from '../header-hint.js';

export type CsvItem =
  | { kind: 'row'; line: number; record: Record<string, string> }
  | { kind: 'issue'; line: number; column?: string | undefined; message: string; wholeFile?: true; hint?: string };

export interface HeaderProblem {
  column?: string | undefined;
  message: string;
}

/** Splits one CSV line into cells (quotes and doubled quotes honoured); for headers and sniffing. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((h) => h.trim());
}

/** The header cells of a sample (its first line), for `detect`. */
export function headerOf(head: string): string[] {
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  return splitCsvLine(first);
}

/**
 * Records keyed by header, after `check(header)` accepted the header. The header is read
 * from the (decompressed) start of the file, the same text `detect` saw.
 */
export async function* checkedCsv(input: SourceInput, check: (header: string[]) => HeaderProblem | undefined): AsyncGenerator<CsvItem> {
  const head = readSample(input.path, input.fileName).head;
  if (head.trim() === '') {
    yield { kind: 'issue', line: 1, message: 'expected a CSV header row, got an empty file', wholeFile: true };
    return;
  }
  const header = headerOf(head);
  const problem = check(header);
  if (problem) {
    yield { kind: 'issue', line: 1, column: problem.column, message: problem.message, wholeFile: true, hint: HEADER_HINT };
    return;
  }
  const broken = await brokenGzip(input.path);
  // The whole file's fault, not a row's: refused with --skip-invalid too (its readable part
  // would replace the bill's whole period).
  if (broken) throw new InputError(input.fileName, undefined, `the gzip file is truncated or corrupt (${broken})`, { hint: BROKEN_GZIP_HINT });
  const width = header.length;
  let last = 1;
  try {
    for await (const { line, record } of input.csv()) {
      last = line;
      const got = Object.keys(record).length;
      if (got < width) {
        yield { kind: 'issue', line, message: `expected ${width} columns, got ${got} (a truncated or mis-quoted row)` };
        continue;
      }
      yield { kind: 'row', line, record };
    }
  } catch (error) {
    // csv-parse (unclosed quote) and gunzip (truncated archive) fail the stream itself.
    const message = error instanceof Error ? error.message : String(error);
    yield { kind: 'issue', line: last + 1, message: `expected well-formed CSV, got an unreadable file from here (${message.split('\n')[0]})` };
  }
}

/**
 * Why a gzip file cannot be read to its end, or undefined. `input.csv()` pipes gunzip into
 * the parser without forwarding gunzip's errors, so a truncated .csv.gz would never end
 * (and crash on the unhandled error); checking the archive first turns that into one issue.
 */
async function brokenGzip(path: string): Promise<string | undefined> {
  const fd = openSync(path, 'r');
  const magic = Buffer.alloc(2);
  try {
    if (readSync(fd, magic, 0, 2, 0) < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) return undefined;
  } finally {
    closeSync(fd);
  }
  try {
    await pipeline(createReadStream(path), createGunzip(), new Writable({ write: (_chunk, _enc, done) => done() }));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A header lookup that ignores case and surrounding spaces, as exports vary both. */
export function columnFinder(header: readonly string[]): (names: readonly string[]) => string | undefined {
  const byLower = new Map<string, string>();
  for (const h of header) if (!byLower.has(h.toLowerCase())) byLower.set(h.toLowerCase(), h);
  return (names) => {
    for (const n of names) {
      const hit = byLower.get(n.toLowerCase());
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
}
