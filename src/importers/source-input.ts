/**
 * Reading an import file as a stream: gzip is opened transparently, a UTF-8 BOM is
 * dropped, CRLF and LF both end lines, and CSV comes as header-keyed records with their
 * line numbers. Memory stays constant whatever the file size.
 *
 * The text must be UTF-8. A byte that is not (a spreadsheet's "CSV (Comma delimited)"
 * writes Windows-1252: `Café` arrives as the byte 0xE9) is refused at its line rather than
 * read as U+FFFD, which would put corrupted team names, tags and descriptions in the
 * ledger without a word. Guessing the code page instead is not safe: the same byte is `é`
 * in Windows-1252 and `й` in Windows-1251. The check is the decoder itself (a fatal
 * TextDecoder on the byte stream, which is faster than the StringDecoder it replaced);
 * only a failure scans the file again, for the line of the first bad byte.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { CsvSyntaxError, csvRowBatches, MAX_RECORD_CHARS, type CsvRow } from './csv-records.js';
import { LineTooLongError, wholeLines } from './whole-lines.js';
import { InputError } from '../shared/errors.js';
import { unreadableDocument } from './json-document.js';
import { binaryContainerError } from './binary-container.js';

export const SAMPLE_BYTES = 64 * 1024;

/** What `detect` sees: the file's name and its first 64 KiB as text. */
export interface SourceSample {
  fileName: string;
  head: string;
}

export type { CsvRow } from './csv-records.js';

/** A line of text: its 1-based number and its text without the terminator. */
export interface TextLine {
  line: number;
  text: string;
  /**
   * The file's last line, when no line break ends it: a log still being written (a coding
   * agent's session) may end inside a line, which its next write finishes.
   */
  unterminated?: true;
}

export interface LineOptions {
  /**
   * The most characters to hold of a line whose break has not come: past it, the file is
   * refused at that line (an InputError, also `fileError()`). A line is held across the
   * 64 KiB pieces the file is read in: one shorter than a piece is never held. For a
   * source whose every line is a row (JSONL), so that a file with no line breaks does not
   * fill memory. Unbounded without it: a probe of the first line, or the lines of a JSON
   * document, read what the whole-text reader would.
   */
  maxLineChars?: number;
}

/** The bound of a line of a file of one row a line: no real export's row is this long. */
export const MAX_LINE_CHARS = MAX_RECORD_CHARS;

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  record: Record<string, string>;
}

export interface SourceInput {
  readonly path: string;
  /** How messages name the file (the path the user gave). */
  readonly fileName: string;
  /** Lines, 1-based, without their terminators. */
  lines(options?: LineOptions): AsyncIterable<TextLine>;
  /** `lines` a block of the file at a time (never an empty block): no async step per line. */
  lineBatches(options?: LineOptions): AsyncIterable<TextLine[]>;
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
  /**
   * The error a reader met because the file is not UTF-8, because it is a gzip file
   * truncated or corrupt, or because a line ran past `maxLineChars`, if one did. An
   * importer may report a reader's error as an issue at a line; this one is the whole
   * file's, refused with or without --skip-invalid: a download cut short is not a file
   * with bad rows, and its good part would replace the whole period of a corrected export.
   */
  fileError(): InputError | undefined;
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

/** What to do about a file with a line past `maxLineChars`. */
const LONG_LINE_HINT = 'nothing was imported from this file; each line of this source is one row: check that this is the file you meant, and that its lines were not joined';

/** What to do about a gzip file that cannot be read to its end. */
export const BROKEN_GZIP_HINT = 'nothing was imported from this file; download or copy it again (`gzip -t FILE` checks it) and import that';

/** A gzip stream that ends early or is corrupt is bad input (exit 2), not a crash. */
function zlibError(cause: unknown, fileName: string): InputError | undefined {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') return new InputError(fileName, undefined, 'the gzip file is truncated or corrupt', { hint: BROKEN_GZIP_HINT });
  return undefined;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A TextDecoder's refusal of bytes that are not UTF-8 (and not another error thrown beside it). */
function isDecodeError(cause: unknown): boolean {
  return cause instanceof TypeError && (cause as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
}

/** The length of the UTF-8 sequence that starts with `lead`, and the range of its second byte; undefined for a byte no sequence starts with. */
function sequenceOf(lead: number): { length: number; min: number; max: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, min: 0x80, max: 0xbf };
  if (lead === 0xe0) return { length: 3, min: 0xa0, max: 0xbf };
  if (lead === 0xed) return { length: 3, min: 0x80, max: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, min: 0x80, max: 0xbf };
  if (lead === 0xf0) return { length: 4, min: 0x90, max: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, min: 0x80, max: 0xbf };
  if (lead === 0xf4) return { length: 4, min: 0x80, max: 0x8f };
  return undefined;
}

/** Where the first byte that is not UTF-8 is: its 1-based line, the byte, and the line's text before it. */
interface BadByte {
  line: number;
  byte: number;
  before: string;
  /** The file starts with a UTF-16 byte order mark. */
  utf16: boolean;
}

/**
 * Finds the first byte that is not UTF-8 in bytes fed a chunk at a time, counting lines.
 * Byte by byte: run only on a file the decoder refused, to say where.
 */
class Utf8Scanner {
  private line = 1;
  /** The current line's bytes before the chunk (the last of them), to show where a bad byte is. */
  private prefix: Buffer = Buffer.alloc(0);
  /** A sequence the last chunk ended inside. */
  private carry: Buffer = Buffer.alloc(0);
  private first = true;

  /** The first bad byte of `chunk`, or undefined. */
  feed(chunk: Buffer): BadByte | undefined {
    const buf = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = Buffer.alloc(0);
    let lineStart = 0;
    let i = 0;
    if (this.first) {
      this.first = false;
      if (buf.length > 1 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return { line: 1, byte: buf[0], before: '', utf16: true };
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = lineStart = 3;
    }
    while (i < buf.length) {
      const b = buf[i]!;
      if (b < 0x80) {
        if (b === 0x0a) {
          this.line++;
          lineStart = i + 1;
          this.prefix = Buffer.alloc(0);
        }
        i++;
        continue;
      }
      const seq = sequenceOf(b);
      let ok = seq !== undefined;
      if (seq !== undefined) {
        const n = Math.min(seq.length, buf.length - i);
        if (n > 1 && (buf[i + 1]! < seq.min || buf[i + 1]! > seq.max)) ok = false;
        for (let k = 2; ok && k < n; k++) if ((buf[i + k]! & 0xc0) !== 0x80) ok = false;
        if (ok && n < seq.length) {
          // The sequence goes on in the next chunk: checked there.
          this.carry = Buffer.from(buf.subarray(i));
          break;
        }
      }
      if (!ok) {
        const before = Buffer.concat([this.prefix, buf.subarray(lineStart, i)]).toString('utf8');
        return { line: this.line, byte: b, before, utf16: false };
      }
      i += seq!.length;
    }
    this.prefix = Buffer.concat([this.prefix, buf.subarray(lineStart, buf.length - this.carry.length)]).subarray(-256);
    return undefined;
  }

  /** At the end of the bytes: a sequence they end inside is bad. */
  end(): BadByte | undefined {
    if (this.carry.length === 0) return undefined;
    return { line: this.line, byte: this.carry[0]!, before: this.prefix.toString('utf8'), utf16: false };
  }
}

/** `byte` as Windows-1252 reads it (what a spreadsheet on Windows meant by it), if it is a character there. */
function windows1252(byte: number): string | undefined {
  try {
    const c = new TextDecoder('windows-1252', { fatal: true }).decode(Uint8Array.of(byte));
    return c.trim() === '' ? undefined : c;
  } catch {
    return undefined;
  }
}

const UTF8_HINT = 'nothing was imported from this file; save it as UTF-8 (in Excel: Save As → "CSV UTF-8 (comma delimited)"; in an editor: encoding UTF-8) and import that';

/** The refusal of a file that is not UTF-8, at the line of its first bad byte. */
function notUtf8(fileName: string, bad: BadByte): InputError {
  const hex = `0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  if (bad.utf16) {
    return new InputError(fileName, 1, 'expected UTF-8 text, got UTF-16 (it starts with a UTF-16 byte order mark, as Excel\'s "Unicode Text" saves it)', { hint: UTF8_HINT });
  }
  const before = bad.before.length > 40 ? `…${bad.before.slice(-40)}` : bad.before;
  const where = before === '' ? 'at the start of the line' : `after ${JSON.stringify(before)}`;
  const meant = windows1252(bad.byte);
  const guess = meant === undefined ? '' : ` (${JSON.stringify(meant)} in Windows-1252, which a spreadsheet's "CSV (Comma delimited)" writes)`;
  return new InputError(fileName, bad.line, `expected UTF-8 text, got the byte ${hex} ${where}${guess}`, { hint: UTF8_HINT });
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
  const container = binaryContainerError(head, fileName);
  if (container) throw container;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      head = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a truncated stream is fine */ });
    } catch (cause) {
      // Not a stream cut short (that is fine in a sample) but bad data: no source could read it.
      throw zlibError(cause, fileName) ?? new InputError(fileName, undefined, 'the gzip file is truncated or corrupt', { hint: BROKEN_GZIP_HINT });
    }
    head = head.subarray(0, SAMPLE_BYTES);
  }
  let text: string;
  try {
    // `stream`: a character cut off by the sample's end is not an error.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(head, { stream: true });
  } catch (cause) {
    if (!isDecodeError(cause)) throw cause;
    return refuseSample(head, fileName);
  }
  return { fileName, head: stripBom(text) };
}

/**
 * Whether the file holds no text but whitespace (0 bytes, a BOM, blank lines; gzipped
 * too): what a pipeline writes for a day with no usage. No source can be told from it,
 * and it has no rows to import. Only a file whose first 64 KiB are blank is read on.
 */
export async function isBlankFile(path: string, fileName: string): Promise<boolean> {
  if (readSample(path, fileName).head.trim() !== '') return false;
  // A bad byte past the blank start is refused at its line here, as the import would.
  for await (const { text } of openSourceInput(path, fileName).lines()) if (text.trim() !== '') return false;
  return true;
}

/** A sample the decoder refused: the error at its first bad byte. */
function refuseSample(head: Buffer, fileName: string): never {
  const bad = new Utf8Scanner().feed(head);
  throw notUtf8(fileName, bad ?? { line: 1, byte: head[0] ?? 0, before: '', utf16: false });
}

/** `fileName` is how messages name the file (the path the user gave). */
export function openSourceInput(path: string, fileName: string = path): SourceInput {
  const gz = isGzip(path);
  let latest: ReturnType<typeof createReadStream> | undefined;
  let fileError: InputError | undefined;
  const stream = (): Readable => {
    const raw = createReadStream(path);
    latest = raw;
    return gz ? raw.pipe(createGunzip()) : raw;
  };
  /** The line of the first byte that is not UTF-8 (a second read of the file), as the error to throw. */
  async function refuse(): Promise<InputError> {
    const scanner = new Utf8Scanner();
    let bad: BadByte | undefined;
    try {
      for await (const chunk of stream()) if ((bad = scanner.feed(chunk as Buffer))) break;
    } catch (cause) {
      // A gzip file corrupt past the bad byte: where the scan stopped is the best we know.
      if (zlibError(cause, fileName) === undefined) throw cause;
    }
    fileError = notUtf8(fileName, bad ?? scanner.end() ?? { line: 1, byte: 0, before: '', utf16: false });
    return fileError;
  }
  /** The file's text a chunk at a time; a leading BOM dropped (the decoder's default). */
  async function* text(): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let failed = false;
    try {
      for await (const chunk of stream()) {
        let piece: string;
        try {
          piece = decoder.decode(chunk as Buffer, { stream: true });
        } catch (cause) {
          if (!isDecodeError(cause)) throw cause;
          failed = true;
          break;
        }
        if (piece !== '') yield piece;
      }
      if (!failed) {
        try {
          const tail = decoder.decode();
          if (tail !== '') yield tail;
        } catch (cause) {
          if (!isDecodeError(cause)) throw cause;
          failed = true;
        }
      }
    } catch (cause) {
      const broken = zlibError(cause, fileName);
      if (broken === undefined) throw cause;
      fileError = broken;
      throw broken;
    }
    if (failed) throw await refuse();
  }
  async function* batches(options: { delimiter?: string } = {}): AsyncGenerator<CsvRow[]> {
    try {
      yield* csvRowBatches(text(), options);
    } catch (cause) {
      if (!(cause instanceof CsvSyntaxError)) throw cause;
      // Malformed CSV (an unclosed quote, a binary file) is bad input, not a crash, and the
      // whole file's (fileError), --skip-invalid or not: the parser cannot go past it, so
      // rejecting it as one row would leave every row after it unread and record the rest.
      fileError = unreadableDocument(fileName, cause.line, `not valid CSV: ${cause.message.slice(0, 200)}`);
      throw fileError;
    }
  }
  /**
   * The lines of each piece of text read, as one array. A hand-rolled splitter rather than
   * readline: readline turns a gzip error into an unhandled 'error' event (a crash), and
   * this is faster on large files. A line longer than a piece comes whole from
   * `wholeLines`. With `maxLineChars`, a line longer than that refuses the file at the
   * line: the reader would have to hold it all to find the next one.
   */
  async function* lineBatches(options: LineOptions = {}): AsyncGenerator<TextLine[]> {
    let line = 0;
    const lineOf = (text: string, unterminated = false): TextLine => {
      line++;
      const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
      const read: TextLine = { line, text: line === 1 ? stripBom(clean) : clean };
      if (unterminated) read.unterminated = true;
      return read;
    };
    const bound = options.maxLineChars === undefined ? undefined : { maxChars: options.maxLineChars };
    try {
      for await (const piece of wholeLines(text(), bound)) {
        const batch: TextLine[] = [];
        let start = 0;
        for (let nl = piece.indexOf('\n'); nl !== -1; nl = piece.indexOf('\n', start)) {
          batch.push(lineOf(piece.slice(start, nl)));
          start = nl + 1;
        }
        // Only the last piece ends without a line break (wholeLines): this is the file's last line.
        if (start < piece.length) batch.push(lineOf(piece.slice(start), true));
        yield batch;
      }
    } catch (cause) {
      if (!(cause instanceof LineTooLongError)) throw cause;
      // The lines after it are never read: the whole file's error, as a cut gzip is.
      fileError = new InputError(fileName, line + 1, `expected one row a line, got a line of more than ${cause.maxChars} characters without a line break`, { hint: LONG_LINE_HINT });
      throw fileError;
    }
  }
  async function* rows(options: { delimiter?: string } = {}): AsyncGenerator<CsvRow> {
    for await (const batch of batches(options)) yield* batch;
  }
  return {
    path,
    fileName,
    bytesRead: () => latest?.bytesRead ?? 0,
    fileError: () => fileError,
    async *lines(options = {}) {
      for await (const batch of lineBatches(options)) yield* batch;
    },
    lineBatches,
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
      const pieces: string[] = [];
      for await (const piece of text()) pieces.push(piece);
      return stripBom(pieces.join(''));
    },
  };
}

/**
 * An InputError's message without the "file:line: " it starts with: the issue made of it
 * names the file and line again.
 */
function withoutPlace(error: InputError): string {
  const place = `${error.file}${error.line === undefined ? '' : `:${error.line}`}: `;
  return error.message.startsWith(place) ? error.message.slice(place.length) : error.message;
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
      yield { error: cause instanceof InputError ? withoutPlace(cause) : (e.message ?? String(cause)), line: e.lines ?? e.line };
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
