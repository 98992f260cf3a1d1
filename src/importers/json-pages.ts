/**
 * Usage and cost APIs answer in pages, and users save them as one page, several pages back to
 * back (one per line), or a JSON array of pages. This reads any of those into the buckets a
 * source's `collect` finds in each document, with the line each came from and the line of
 * each of its results, so that an error names the row that caused it: in a page saved
 * pretty-printed (`curl … | jq .`), the line the result's object starts on.
 */
import { jsonLineColumn, parseJsonDocument, resultObjectLines, unreadableDocument } from './json-document.js';
import type { ImportItem } from './importer.js';

export interface PageBucket<B> {
  line: number;
  bucket: B;
  /** The line each of `bucket.results` starts on, in order. */
  resultLines: number[];
}

/**
 * The file's last page when it says more pages follow (`has_more: true`): none of them is
 * in the file, so the export is short of them (see `pageItems`).
 */
export interface MorePages {
  line: number;
  nextPage: string | null;
}

export type JsonPages<B> = { ok: true; buckets: Array<PageBucket<B>>; more?: MorePages } | { ok: false; line: number; message: string };

/** `has_more` and `next_page` of the last page in `value` (a page, or an array of them); undefined when it has none. */
function lastPage(value: unknown): { hasMore: boolean; nextPage: string | null } | undefined {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      const page = lastPage(value[i]);
      if (page !== undefined) return page;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.has_more !== 'boolean') return undefined;
  return { hasMore: o.has_more, nextPage: typeof o.next_page === 'string' ? o.next_page : null };
}

/** `more` for the pages read: the last one's line when it says more follow. */
function morePages(last: { line: number; page: ReturnType<typeof lastPage> } | undefined): { more?: MorePages } {
  return last?.page?.hasMore === true ? { more: { line: last.line, nextPage: last.page.nextPage } } : {};
}

/** Adds the buckets of one parsed document to `out`, or returns what was wrong with it. */
export type CollectBuckets<B> = (value: unknown, line: number, out: Array<{ line: number; bucket: B }>) => string | undefined;

export function readJsonPages<B extends { results: readonly unknown[] }>(text: string, collect: CollectBuckets<B>, what: string): JsonPages<B> {
  const out: Array<{ line: number; bucket: B }> = [];
  let whole: unknown;
  let isDocument = true;
  try {
    whole = JSON.parse(text);
  } catch {
    // Not one document: pages back to back, one per line.
    isDocument = false;
  }
  if (isDocument) {
    const error = collect(whole, 1, out);
    if (error) return { ok: false, line: 1, message: error };
    return { ok: true, buckets: withResultLines(out, resultObjectLines(text)), ...morePages({ line: 1, page: lastPage(whole) }) };
  }
  let first = true;
  let last: { line: number; page: ReturnType<typeof lastPage> } | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // The first line not being a page of its own: one pretty-printed document (`curl … | jq .`)
      // with a mistake in it, a trailing comma say: name the line the mistake is on.
      if (first) {
        const doc = parseJsonDocument(text);
        if (!doc.ok) return { ok: false, line: doc.line, message: `${doc.message} (expected one ${what} per line, or one JSON document)` };
      }
      return { ok: false, line: i + 1, message: `not valid JSON${jsonLineColumn(raw)} (expected one ${what} per line, or one JSON document)` };
    }
    first = false;
    const error = collect(value, i + 1, out);
    if (error) return { ok: false, line: i + 1, message: error };
    const page = lastPage(value);
    if (page !== undefined) last = { line: i + 1, page };
  }
  // One page per line: every result is on its page's line.
  return { ok: true, buckets: withResultLines(out, undefined), ...morePages(last) };
}

/**
 * Each bucket with the lines of its results: from `lines` (every "results" object of the
 * document, in order) when it holds exactly one line per result, else the bucket's own line.
 */
function withResultLines<B extends { results: readonly unknown[] }>(out: Array<{ line: number; bucket: B }>, lines: number[] | undefined): Array<PageBucket<B>> {
  const total = out.reduce((n, { bucket }) => n + bucket.results.length, 0);
  const exact = lines !== undefined && lines.length === total;
  let next = 0;
  return out.map(({ line, bucket }) => {
    const n = bucket.results.length;
    const resultLines = exact ? lines.slice(next, next + n) : new Array<number>(n).fill(line);
    next += n;
    return { line, bucket, resultLines };
  });
}

/**
 * What saved API pages import as: refused at the line of the mistake when they cannot be
 * read (`unreadableDocument`: none of their rows is read then); else
 * the period they state (empty buckets too: a corrected export replaces the period it
 * states, ImportItem 'period') and one item per result, from `item`, with the line the
 * result starts on. Every result is read: by default the first issue aborts the file, and
 * with --skip-invalid the results after a bad one are still good rows to import.
 */
export function* pageItems<B extends { results: readonly unknown[] }>(
  fileName: string,
  pages: JsonPages<B>,
  times: (bucket: B) => [Date, Date],
  item: (result: B['results'][number], bucket: B, line: number) => ImportItem,
): Generator<ImportItem> {
  if (!pages.ok) throw unreadableDocument(fileName, pages.line, pages.message);
  const period = pagesPeriod(pages.buckets, times);
  // The rows are real, so the file is read; the summary says that pages are missing after it.
  if (period) yield pages.more === undefined ? period : { ...period, notes: [incompleteNote(pages.more)] };
  for (const { bucket, resultLines } of pages.buckets) {
    for (const [i, result] of bucket.results.entries()) yield item(result, bucket, resultLines[i]!);
  }
}

/** What the summary says of pages that end on one saying more follow. */
function incompleteNote(more: MorePages): string {
  const token = more.nextPage === null ? '' : ` and next_page ${JSON.stringify(more.nextPage)}`;
  const again = more.nextPage === null ? 'with the page token the API gave' : `with page=${more.nextPage}`;
  return (
    `the export is incomplete: its last page (line ${more.line}) has "has_more": true${token}, and no page after it is in the file; ` +
    `request the same URL again ${again}, and each next_page after it until has_more is false, and import those pages too`
  );
}

/**
 * The period the pages state: their first bucket's start to their last bucket's end,
 * empty buckets included (the APIs list every bucket of the period asked for), as a
 * `period` item; none without buckets. `times` gives a bucket's start and end as Dates.
 */
export function pagesPeriod<B>(buckets: ReadonlyArray<PageBucket<B>>, times: (bucket: B) => [Date, Date]): Extract<ImportItem, { kind: 'period' }> | undefined {
  let from: Date | undefined;
  let to: Date | undefined;
  for (const { bucket } of buckets) {
    const [start, end] = times(bucket);
    if (from === undefined || start < from) from = start;
    if (to === undefined || end > to) to = end;
  }
  if (from === undefined || to === undefined || !(to > from)) return undefined;
  return { kind: 'period', period: { from: from.toISOString(), to: to.toISOString() } };
}

/** Bucket width in seconds → ledger granularity (the APIs' 1m, 1h and 1d buckets). */
export function granularityOfSeconds(seconds: number): 'hour' | 'day' | 'month' {
  if (seconds <= 3600) return 'hour';
  if (seconds <= 86_400) return 'day';
  return 'month';
}
