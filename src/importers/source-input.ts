/**
 * Reading an import file as a stream: gzip is opened transparently, a UTF-8 BOM is
 * dropped, CRLF and LF both end lines, and CSV comes as header-keyed records with their
 * line numbers. Memory stays constant whatever the file size.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { CsvSyntaxError, csvRowBatches, type CsvRow } from './csv-records.js';
import { InputError } from '../shared/errors.js';

export const SAMPLE_BYTES = 64 * 1024;

/** What `detect` sees: the file's name and its first 64 KiB as text. */
export interface SourceSample {
  fileName: string;
  head: string;
}

export type { CsvRow } from './csv-records.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  record: Record<string, string>;
}

export interface SourceInput {
  readonly path: string;
  /** Lines, 1-based, without their terminators. */
  lines(): AsyncIterable<{ line: number; text: string }>;
  /** CSV records keyed by the header row (trimmed); cells that say NULL or null become ''. */
  csv(options?: { delimiter?: string }): AsyncIterable<CsvRecord>;
  /** CSV rows as arrays of cells, the header row first (the fast form for wide files). */
  csvRows(options?: { delimiter?: string }): AsyncIterable<CsvRow>;
  /** `csvRows` a block of the file at a time (the fastest form: no async step per row). */
  csvRowBatches(options?: { delimiter?: string }): AsyncIterable<CsvRow[]>;
  /** The whole text, for JSON documents that cannot be read piecewise (API responses). */
  text(): Promise<string>;
  /** Bytes of the file (compressed, for gzip) the latest reader has read: progress and ETA. */
  bytesRead(): number;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** A gzip stream that ends early or is corrupt is bad input (exit 2), not a crash. */
function zlibError(cause: unknown, fileName: string): InputError | undefined {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') return new InputError(fileName, undefined, 'the gzip file is truncated or corrupt');
  return undefined;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The sample `detect` gets; decompresses the start of a gzip file. */
export function readSample(path: string, fileName: string): SourceSample {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(SAMPLE_BYTES);
      const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
      head = buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  } catch (cause) {
    throw new InputError(fileName, undefined, `cannot read file (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      head = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a truncated stream is fine */ });
    } catch (cause) {
      // Not a stream cut short (that is fine in a sample) but bad data: no source could read it.
      throw zlibError(cause, fileName) ?? new InputError(fileName, undefined, 'the gzip file is truncated or corrupt');
    }
    head = head.subarray(0, SAMPLE_BYTES);
  }
  return { fileName, head: stripBom(head.toString('utf8')) };
}

/** `fileName` is how messages name the file (the path the user gave). */
export function openSourceInput(path: string, fileName: string = path): SourceInput {
  const gz = isGzip(path);
  let latest: ReturnType<typeof createReadStream> | undefined;
  const stream = (): Readable => {
    const raw = createReadStream(path);
    latest = raw;
    return gz ? raw.pipe(createGunzip()) : raw;
  };
  async function* batches(options: { delimiter?: string } = {}): AsyncGenerator<CsvRow[]> {
    try {
      yield* csvRowBatches(stream(), options);
    } catch (cause) {
      // Malformed CSV (an unclosed quote, a binary file) is bad input, not a crash.
      const z = zlibError(cause, fileName);
      if (z) throw z;
      if (cause instanceof CsvSyntaxError) throw new InputError(fileName, cause.line, `not valid CSV: ${cause.message.slice(0, 200)}`);
      throw cause;
    }
  }
  async function* rows(options: { delimiter?: string } = {}): AsyncGenerator<CsvRow> {
    for await (const batch of batches(options)) yield* batch;
  }
  return {
    path,
    bytesRead: () => latest?.bytesRead ?? 0,
    async *lines() {
      // A hand-rolled splitter rather than readline: readline turns a gzip error into an
      // unhandled 'error' event (a crash), and this is faster on large files.
      const decoder = new StringDecoder('utf8');
      let rest = '';
      let line = 0;
      try {
        for await (const chunk of stream()) {
          const text = rest + decoder.write(chunk as Buffer);
          const parts = text.split('\n');
          rest = parts.pop() ?? '';
          for (const part of parts) {
            line++;
            const clean = part.endsWith('\r') ? part.slice(0, -1) : part;
            yield { line, text: line === 1 ? stripBom(clean) : clean };
          }
        }
      } catch (cause) {
        throw zlibError(cause, fileName) ?? cause;
      }
      rest += decoder.end();
      if (rest !== '') {
        line++;
        const clean = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
        yield { line, text: line === 1 ? stripBom(clean) : clean };
      }
    },
    async *csv(options = {}) {
      let header: string[] | undefined;
      for await (const { line, cells } of rows(options)) {
        if (header === undefined) {
          header = cells.map((h) => h.trim());
          continue;
        }
        const record: Record<string, string> = {};
        // Short rows keep only the cells they have; cells past the header are dropped.
        const n = Math.min(cells.length, header.length);
        for (let i = 0; i < n; i++) record[header[i]!] = cells[i]!;
        yield { line, record };
      }
    },
    csvRows: rows,
    csvRowBatches: batches,
    async text() {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of stream()) chunks.push(chunk as Buffer);
      } catch (cause) {
        throw zlibError(cause, fileName) ?? cause;
      }
      return stripBom(Buffer.concat(chunks).toString('utf8'));
    },
  };
}

/** Items of `source`, then an error item instead of a throw (see csvRecordsOrError). */
async function* orError<T>(source: AsyncIterable<T>): AsyncGenerator<T | { error: string; line: number | undefined }> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = await it.next();
    } catch (cause) {
      const e = cause as { message?: string; lines?: number; line?: number };
      yield { error: e.message ?? String(cause), line: e.lines ?? e.line };
      return;
    }
    if (next.done) return;
    yield next.value;
  }
}

/**
 * CSV records that end with an error item instead of a throw (unclosed quote, truncated
 * gzip), for importers that report such a file as one issue at its line.
 */
export function csvRecordsOrError(input: SourceInput): AsyncGenerator<CsvRecord | { error: string; line: number | undefined }> {
  return orError(input.csv());
}

/** `csvRecordsOrError` as blocks of rows of cells, the header row first (the fast form for large files). */
export function csvRowBatchesOrError(input: SourceInput): AsyncGenerator<CsvRow[] | { error: string; line: number | undefined }> {
  return orError(input.csvRowBatches());
}
