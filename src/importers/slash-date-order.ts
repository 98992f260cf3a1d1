/**
 * The order of a file's slash dates: MM/DD or DD/MM. A provider writes one order (Azure's
 * EA and MCA CSVs MM/DD/YYYY, the FOCUS spec's SaaS examples M/D/YY), but a file downloaded
 * or re-saved in a non-US locale has DD/MM, and `09/04/2026` is then April 9, not
 * September 4. One file has one order, so the order is the file's, decided by its dates:
 *
 * - A date with a number past 12 reads one way only (`09/30/2026` is MM/DD, `30/09/2026`
 *   DD/MM). An importer shows every slash date of a row (`SlashDateOrder.cell`), and may
 *   show other evidence of its format (`SlashDateOrder.learn`: FOCUS billing periods run
 *   from the 1st of a month to the 1st of another).
 * - A date that contradicts the order earlier rows decided (a file that mixes the two,
 *   from pasting parts of exports together) is refused at its line, naming the line and
 *   cell that decided the other order.
 * - A date that reads as two different days (both numbers 12 or less, and not equal) waits
 *   for a date that decides. If none ever does, each such row is refused with its two
 *   readings rather than imported under a guess: a guess that is wrong files a month's
 *   charges across the year, and no report would show it. Waiting rows are kept in
 *   memory, up to MAX_WAITING; past that the file is refused at the first of them.
 * - ISO dates, and slash dates that read the same both ways (`10/10/2026`), need no order.
 *
 * Used by the Azure cost details importer (azure-cost/azure-dates.ts) and the FOCUS one
 * (focus/focus-dates.ts). Every other importer reads ISO 8601 dates or Unix times only,
 * and refuses a slash date as not a date (README, "Importing").
 */

export type DateOrder = 'mdy' | 'dmy';

/** A day that reads the same either way, or the order it reads in only. */
export type Reading = { kind: 'both' } | { kind: 'only'; order: DateOrder } | { kind: 'ambiguous' } | { kind: 'none' };

/**
 * A slash date as an importer reads one: groups 1 and 2 are the two numbers, group 3 the
 * year (two digits are 20xx); anything after (a time of day) is the importer's to read.
 */
export type SlashPattern = RegExp;

/** D/M/YYYY or DD/MM/YYYY and nothing else (Azure's `Date`). */
export const SLASH_YYYY: SlashPattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Rows kept while the order is undecided, at most. */
export const MAX_WAITING = 100_000;

interface SlashParts {
  first: number;
  second: number;
  year: number;
  /** The year as written: 2 or 4 digits. */
  yearText: string;
}

function partsOf(text: string, pattern: SlashPattern): SlashParts | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const yearText = m[3]!;
  return { first: Number(m[1]), second: Number(m[2]), year: yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText), yearText };
}

/** The name of an order as messages write it, with the year as `text` writes it (YYYY unless two digits). */
export function orderName(order: DateOrder, text = '', pattern: SlashPattern = SLASH_YYYY): string {
  const year = partsOf(text, pattern)?.yearText.length === 2 ? 'YY' : 'YYYY';
  return order === 'mdy' ? `MM/DD/${year}` : `DD/MM/${year}`;
}

function validDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The month and day of `text` (a slash date) read in `order`, when that is a day. */
export function slashDay(text: string, order: DateOrder, pattern: SlashPattern = SLASH_YYYY): { year: number; month: number; day: number } | undefined {
  const p = partsOf(text, pattern);
  if (!p) return undefined;
  const [month, day] = order === 'mdy' ? [p.first, p.second] : [p.second, p.first];
  return validDay(p.year, month, day) ? { year: p.year, month, day } : undefined;
}

/** How a cell reads: not a slash date ('none'), or the orders it reads in. */
export function readingOf(text: string, pattern: SlashPattern = SLASH_YYYY): Reading {
  const p = partsOf(text, pattern);
  if (!p) return { kind: 'none' };
  const mdy = validDay(p.year, p.first, p.second);
  const dmy = validDay(p.year, p.second, p.first);
  if (mdy && dmy) return p.first === p.second ? { kind: 'both' } : { kind: 'ambiguous' };
  if (mdy) return { kind: 'only', order: 'mdy' };
  if (dmy) return { kind: 'only', order: 'dmy' };
  // Neither (13/13/2026, 02/30/2026): the row's date check says what is wrong.
  return { kind: 'none' };
}

/** `text` (a slash date) read in `order`, as YYYY-MM-DD (the numbers as written, padded). */
export function isoDay(text: string, order: DateOrder, pattern: SlashPattern = SLASH_YYYY): string {
  const p = partsOf(text, pattern)!;
  const [a, b, year] = [String(p.first).padStart(2, '0'), String(p.second).padStart(2, '0'), String(p.year)];
  return order === 'mdy' ? `${year}-${a}-${b}` : `${year}-${b}-${a}`;
}

/** What decided the order: shown when a later date contradicts it. */
export interface Evidence {
  order: DateOrder;
  line: number;
  /** The order's name as the deciding date writes it. */
  name: string;
  /** Completes "the order …", given where the evidence is ("this line's Date", "line 2's Date"). */
  because: (where: string) => string;
  /** The cell(s) that decided, as "where" names them. */
  columns: string;
}

/** The file's slash-date order, learnt row by row. */
export class SlashDateOrder {
  private decided: Evidence | undefined;
  readonly pattern: SlashPattern;

  constructor(pattern: SlashPattern = SLASH_YYYY) {
    this.pattern = pattern;
  }

  get order(): DateOrder | undefined {
    return this.decided?.order;
  }

  /**
   * Evidence that the file is in `order`, found at `line`. Undefined when it agrees with
   * what decided before (or decides now); else the refusal message, `got` describing
   * this evidence ("\"31/10/2026\", which reads only as DD/MM/YYYY").
   */
  learn(evidence: Evidence, got: string): string | undefined {
    const seen = this.decided;
    if (seen === undefined) {
      this.decided = evidence;
      return undefined;
    }
    if (seen.order === evidence.order) return undefined;
    const where = seen.line === evidence.line ? `this line's ${seen.columns}` : `line ${seen.line}'s ${seen.columns}`;
    return `expected ${seen.name}, the order ${seen.because(where)}, got ${got}: the file mixes two date orders (parts of exports saved in different locales?)`;
  }

  /** One slash-date cell of the row at `line`: undefined, or why the row is refused (it contradicts the order). */
  cell(column: string, text: string, line: number): string | undefined {
    const reading = readingOf(text, this.pattern);
    if (reading.kind !== 'only') return undefined;
    const name = orderName(reading.order, text, this.pattern);
    const quoted = JSON.stringify(text);
    return this.learn({ order: reading.order, line, name, columns: column, because: (where) => `${where} ${quoted} can only be read in` }, `${quoted}, which reads only as ${name}`);
  }

  /** Whether `text` reads as two different days. */
  ambiguous(text: string): boolean {
    return readingOf(text, this.pattern).kind === 'ambiguous';
  }
}
