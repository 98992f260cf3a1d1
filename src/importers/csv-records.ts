/**
 * An RFC 4180 CSV reader built for million-row exports: a line without a quote (most
 * lines of most exports) is split with `String.split`, and only a line with a quote goes
 * through the character-by-character parser, which handles `""` escapes, separators and
 * line breaks inside quotes. It replaced csv-parse, whose per-field bookkeeping cost more
 * than all the importer's own work. Semantics kept from the csv-parse setup it replaced:
 * BOM dropped, header cells trimmed, empty lines skipped (and lines of empty cells only,
 * `,,,,`, which a spreadsheet writes for rows it once formatted), short and long rows accepted
 * (missing cells absent, extra cells dropped), `NULL`/`null` cells read as ''. CRLF and
 * LF both end records; a record's line is the line it starts on.
 */
import { StringDecoder } from 'node:string_decoder';
import { LineTooLongError, wholeLines } from './whole-lines.js';

/** A malformed file: what is wrong and the 1-based line of the record. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** No real export has a record this long; past it, memory would grow with the file. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

export interface CsvRow {
  /** 1-based line where the record starts. */
  line: number;
  cells: string[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The index of `search` in `text` from `from`, or the text's length when there is none. */
function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
}

function cast(value: string): string {
  return value === 'NULL' || value === 'null' ? '' : value;
}

/**
 * Parses the quoted record that starts at `start` in `text`. Returns the cells and the
 * index after the record's line break, or undefined when the text ends inside the record
 * and more input may complete it.
 */
function parseQuoted(text: string, start: number, delimiter: number, line: number, final: boolean): { cells: string[]; end: number; lines: number } | undefined {
  const cells: string[] = [];
  let i = start;
  let lines = 1;
  const n = text.length;
  const delimiterText = String.fromCharCode(delimiter);
  let nextDelimiter = -1;
  let nextLf = -1;
  let nextQuote = -1;
  for (;;) {
    // One cell starts at i.
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      i = from;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          if (final) throw new CsvSyntaxError(`Quote Not Closed: the file ends inside a quoted cell that opens at line ${line}`, line);
          return undefined;
        }
        if (q + 1 >= n && !final) return undefined;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) lines++;
      cells.push(cast(value));
      // After a closing quote: a separator, the end of the record, or the end of the text.
      if (i >= n) return final ? { cells, end: n, lines } : undefined;
      const c = text.charCodeAt(i);
      if (c === delimiter) {
        i++;
        continue;
      }
      if (c === LF) return { cells, end: i + 1, lines };
      if (c === CR && (i + 1 >= n || text.charCodeAt(i + 1) === LF)) {
        if (i + 1 >= n && !final) return undefined;
        return { cells, end: Math.min(n, i + 2), lines };
      }
      throw new CsvSyntaxError(`Invalid Closing Quote: got ${JSON.stringify(text[i])} after a closing quote at line ${line + lines - 1}, expected a separator or the end of the line`, line + lines - 1);
    }
    // An unquoted cell: up to the next separator or line break; a quote inside it is an
    // error. Found with indexOf (native, and remembered across the record's cells) rather
    // than a loop over the characters.
    if (nextDelimiter < i) nextDelimiter = indexOrEnd(text, delimiterText, i);
    if (nextLf < i) nextLf = indexOrEnd(text, '\n', i);
    if (nextQuote < i) nextQuote = indexOrEnd(text, '"', i);
    const j = Math.min(nextDelimiter, nextLf);
    if (nextQuote < j) {
      throw new CsvSyntaxError(`Invalid Opening Quote: a quote inside an unquoted cell at line ${line + lines - 1}, value is ${JSON.stringify(text.slice(i, nextQuote))}`, line + lines - 1);
    }
    if (j >= n && !final) return undefined;
    let value = text.slice(i, j);
    const atEnd = j >= n || text.charCodeAt(j) === LF;
    if (atEnd && value.endsWith('\r')) value = value.slice(0, -1);
    cells.push(cast(value));
    if (atEnd) return { cells, end: Math.min(n, j + 1), lines };
    i = j + 1;
  }
}

/** Whether a record has a cell with something in it: `,,,` and `"",""` carry no row. */
function hasValue(cells: string[]): boolean {
  for (let k = 0; k < cells.length; k++) if (cells[k] !== '') return true;
  return false;
}

/** The cells of a line without quotes (none for a blank line), NULL literals read as empty. */
function plainCells(raw: string, delimiter: string): string[] {
  if (raw === '') return [];
  const cells = raw.split(delimiter);
  for (let k = 0; k < cells.length; k++) cells[k] = cast(cells[k]!);
  return cells;
}

/**
 * The cells of one complete line that has quotes, when they are simple: no `""` escape
 * and no line break inside a quoted cell, every quote opening or closing a whole cell.
 * Then `String.split` on the quotes gives the quoted cells and the text between them,
 * which splits on the separator. Undefined otherwise: `parseQuoted` reads the record,
 * and reports the errors. (FOCUS exports quote a cell on every line — the tags, "Amazon
 * Web Services, Inc." — so every line of them came here.)
 */
export function splitQuotedLine(line: string, delimiter: string): string[] | undefined {
  if (delimiter === '"' || line.includes('""')) return undefined;
  const parts = line.split('"');
  const last = parts.length - 1;
  // An odd number of quotes: a quoted cell goes on past this line (or the line is malformed).
  if (last % 2 !== 0) return undefined;
  const cells: string[] = [];
  for (let i = 0; i <= last; i += 2) {
    let outside = parts[i]!;
    if (i > 0) {
      // After a closing quote: the end of the line, or a separator.
      if (outside === '' && i === last) break;
      if (outside.charCodeAt(0) !== delimiter.charCodeAt(0)) return undefined;
      outside = outside.slice(1);
    }
    if (i < last) {
      // Before an opening quote: nothing, or whole cells and their separator.
      if (outside !== '') {
        if (outside.charCodeAt(outside.length - 1) !== delimiter.charCodeAt(0)) return undefined;
        for (const cell of outside.slice(0, -1).split(delimiter)) cells.push(cast(cell));
      }
      cells.push(cast(parts[i + 1]!));
    } else for (const cell of outside.split(delimiter)) cells.push(cast(cell));
  }
  return cells;
}

/**
 * Splits a stream of bytes into CSV rows of cells. Constant memory: only the unfinished
 * last record of a chunk is kept between chunks.
 */
export async function* csvRows(chunks: AsyncIterable<Buffer | string>, options: { delimiter?: string } = {}): AsyncGenerator<CsvRow> {
  for await (const batch of csvRowBatches(chunks, options)) yield* batch;
}

/** The error for a record past MAX_RECORD_CHARS that starts at `line`. */
function recordTooLong(line: number): CsvSyntaxError {
  return new CsvSyntaxError(`a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?) at line ${line}`, line);
}

/** The chunks as text, a leading BOM dropped. */
async function* decoded(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  const text = (piece: string): string => {
    if (!first || piece === '') return piece;
    first = false;
    return piece.charCodeAt(0) === 0xfeff ? piece.slice(1) : piece;
  };
  for await (const chunk of chunks) yield text(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  yield text(decoder.end());
}

/**
 * `csvRows` a chunk of input at a time: the complete records of each chunk as one array
 * (never empty). A hot reader loops over them without an async step per row, which cost
 * more than splitting the row did.
 */
export async function* csvRowBatches(chunks: AsyncIterable<Buffer | string>, options: { delimiter?: string } = {}): AsyncGenerator<CsvRow[]> {
  const delimiterText = options.delimiter ?? ',';
  if (delimiterText.length !== 1) throw new RangeError('csv: the delimiter must be one character');
  const delimiter = delimiterText.charCodeAt(0);
  /** The start of a record quoted across lines that the text so far does not close. */
  let rest = '';
  let line = 1;
  let rows: CsvRow[] = [];

  /** Moves the complete records of `text` into `rows`; returns what is left over. */
  const split = (text: string, final: boolean): string => {
    let pos = 0;
    const n = text.length;
    // The next quote at or after `pos`, found once for all the quote-less lines before it.
    let q = -2;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1 && !final) break;
      const lineEnd = nl === -1 ? n : nl;
      if (q !== -1 && q < pos) q = text.indexOf('"', pos);
      let raw = text.slice(pos, lineEnd);
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      // The fast paths: no quote on this line, or only simple ones (splitQuotedLine).
      const cells = q === -1 || q > lineEnd ? plainCells(raw, delimiterText) : splitQuotedLine(raw, delimiterText);
      if (cells !== undefined) {
        // A blank line, or one of empty cells only, is no record.
        if (hasValue(cells)) rows.push({ line, cells });
        line++;
        pos = lineEnd + 1;
        continue;
      }
      const parsed = parseQuoted(text, pos, delimiter, line, final);
      if (!parsed) break;
      if (hasValue(parsed.cells)) rows.push({ line, cells: parsed.cells });
      line += parsed.lines;
      pos = parsed.end;
    }
    const left = pos >= n ? '' : text.slice(pos);
    if (left.length > MAX_RECORD_CHARS) throw recordTooLong(line);
    return left;
  };

  // Texts that end at a line break (wholeLines): a record ends only at one. A record
  // quoted across lines that one does not close waits in `rest`, and counts against the
  // bound with the line it goes on.
  const texts = wholeLines(decoded(chunks), { maxChars: MAX_RECORD_CHARS, heldBefore: () => rest.length });
  try {
    for await (const text of texts) {
      // The last text, when the input does not end with a line break: read as final below.
      if (text.charCodeAt(text.length - 1) !== LF) {
        rest += text;
        continue;
      }
      rest = split(rest === '' ? text : rest + text, false);
      if (rows.length > 0) {
        yield rows;
        rows = [];
      }
    }
  } catch (cause) {
    if (cause instanceof LineTooLongError) throw recordTooLong(line);
    throw cause;
  }
  split(rest, true);
  if (rows.length > 0) yield rows;
}
