/**
 * Records an import whose entries arrive as a stream, in ONE transaction: the batch
 * row, the entries in chunks as they come (constant memory), and — for sources whose
 * export is the whole truth for a period — the replacement of what an earlier export
 * of the same source and account said about that period. An error anywhere (a bad row,
 * a full disk, the process killed) leaves the ledger exactly as it was.
 *
 * Replacement is "upsert, then sweep": a row whose (source, dedupe_key) is already
 * there is replaced by the new one, and afterwards rows of the same source and account
 * inside the new file's time span that the new file no longer has are deleted. An
 * earlier import that shared a row or an account with this file is taken as an earlier
 * version of it (a re-delivered CUR, a corrected cost export), so all its rows inside
 * the file's whole span are deleted too, whatever their account: a bill re-delivered
 * without a linked account must not keep that account's old charges, and an export of
 * Oct 7-8 whose project has rows on Oct 8 only says that project spent nothing on Oct 7
 * (its span alone would start on Oct 8). An import sharing nothing with this file
 * (another payer's bill) is left alone.
 *
 * The file's span is its rows' unless it states a period (`statedPeriod`: API pages list
 * every bucket asked for, empty ones too), which widens every account's span: a corrected
 * hourly export of Oct 1–2 whose first hours were quiet still speaks for all of Oct 1, and
 * the earlier daily row of Oct 1 must go, or Oct 1 is counted twice.
 *
 * A row is replaced only when its whole bucket lies inside the file's period: one that
 * starts before it or ends after it (a daily row beside an hourly export of part of that
 * day) also holds hours the file does not speak for, and deleting it would lose them. Such
 * rows stay, and the overlap guard (overlapping-batches.ts) refuses the file. Except in an
 * earlier version of the file (a batch it sent rows of again): there such a row goes when it
 * is all that version said of the hours it holds outside the period (a month's tax line of a
 * bill re-exported without it, see sweepStraddlingRows).
 */
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { LedgerDatabase, NewImportBatch, NewUsageEntry } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';
import { CHUNK_ROWS, ENTRY_COLUMNS, rowValues, sharedColumnsInsert } from './insert-batch.js';
import { settleSpanTotals } from './span-totals.js';
import { chunkColumn, isEntryChunk, packEntryChunk, passesEntryChecks, type ChunkColumn, type EntryChunk } from './entry-chunk.js';
import { overlappingBatches, type OverlapFinding } from './overlapping-batches.js';

export interface StreamBatch extends Omit<NewImportBatch, 'id' | 'rows_imported' | 'rows_skipped' | 'rows_replaced' | 'rows_read' | 'imported_at'> {
  imported_at?: string;
}

/**
 * A period an export states, as ISO UTC text (`toISOString`), `to` exclusive. Rows alone
 * understate it: a corrected hourly export of Oct 1–2 whose first hours had no usage
 * starts its rows at 02:00, and the earlier daily row of Oct 1 would stay beside the new
 * hourly ones, counting Oct 1 twice.
 */
export interface StatedPeriod {
  from: string;
  to: string;
}

export interface StreamImportResult {
  batchId: number;
  rowsImported: number;
  rowsSkipped: number;
  rowsReplaced: number;
  /**
   * The earlier batches this import replaced rows of, by id, with how many of each
   * (not counting those span totals replaced): the import names them, so that another
   * organisation's export taken for an earlier version of this one is seen.
   */
  replacedBatches: Array<{ batchId: number; rows: number }>;
  /** Earlier imports of the source left beside this one on its days (overlapping-batches.ts); empty unless `overlaps` was asked. */
  overlaps: OverlapFinding[];
}

/** The findings that refuse an import: the same usage counted twice, surely (not `maybe`). */
export function refusingOverlaps(findings: readonly OverlapFinding[]): OverlapFinding[] {
  return findings.filter((f) => f.kind !== 'maybe');
}

export interface StreamImportOptions {
  /** Replace earlier rows of the same source/account/period (see the module comment). */
  replacePeriod: boolean;
  /**
   * Without `replacePeriod`: a row already there under its key is replaced when its usage
   * differs, and skipped as a duplicate when it is the same. For a log read while it is
   * written: Claude Code logs a streamed message again once its output is counted, so
   * the row an import made of the first lines must give way to the grown file's.
   */
  replaceChanged?: boolean | undefined;
  /**
   * Asked once the entries are all read: the period the file states it covers (API pages
   * list their empty buckets too), when it states one. Every account's span in the file is
   * widened to it, so that an earlier version's rows on the file's days without rows are
   * replaced as well (see the module comment).
   */
  statedPeriod?: (() => StatedPeriod | undefined) | undefined;
  /**
   * Asked at the end: the file's sha256 when it was made while the rows were read
   * (run-import.ts), set on the batch with its counts; until then, inside the
   * transaction only, the batch's file_hash is empty.
   */
  fileHash?: (() => string | undefined) | undefined;
  /** Called with the running count after each chunk (progress display). */
  onProgress?: (rows: number) => void;
  /** More writes that belong to the same batch and transaction (an invoice file's invoices). */
  afterEntries?: (trx: Kysely<LedgerDatabase>, batchId: number) => Promise<void>;
  /**
   * Batches of files imported earlier by the same command. One of them that this file
   * shares no row key with is another part of the same export (AWS, Azure and BigQuery
   * split a large export into files of the same period and accounts), so its rows are not
   * swept as an earlier version's; one that shares keys is an earlier version as before.
   */
  partsOf?: readonly number[] | undefined;
  /** Roll everything back at the end (a dry run): the result is then what the import would have done. */
  rollback?: boolean;
  /**
   * The source, when its rows are trace spans whose totals must be found across imports
   * (span-totals.ts): this import's rows that total earlier ones are skipped, earlier rows
   * that total this import's are replaced.
   */
  spanTotalsOf?: string | undefined;
  /**
   * Look for earlier imports of the source that this one leaves beside itself on its days
   * (overlapping-batches.ts), a replacing import only; `refuse`: roll back when one of
   * them is surely the same usage (`refusingOverlaps`), the caller then refusing the file.
   */
  overlaps?: { groupedAccounts: boolean; kindInAccount: boolean; groupOwnsUsage: boolean; refuse: boolean } | undefined;
}

/** Thrown at the end of a rolled-back import's transaction, carrying its result out of it. */
class Rollback extends Error {
  readonly result: StreamImportResult;
  constructor(result: StreamImportResult) {
    super('import rolled back');
    this.result = result;
  }
}

/** Accounts per sweep statement: 4 bound values each, far under SQLite's 32,766. */
const SWEEP_SPANS = 1000;

/**
 * Deletes the rows of an earlier export of the same source and account inside the
 * time span this file covers that this file no longer has. One statement walks the ts
 * index over all accounts' spans at once (a statement per account walked it once per
 * account: 15 accounts made a 1M-row FOCUS file 15M row reads), and `id <= lastOldId`
 * is decided from the index entry itself, so this import's own rows, which are most of
 * the span, are never read. `+source` keeps the planner on the ts index (the file's
 * period) rather than on every row the source ever imported.
 */
async function sweep(trx: Kysely<LedgerDatabase>, spans: Array<[string | null, Span]>, batchId: number, lastOldId: number, superseded: Superseded, parts: readonly number[]): Promise<number> {
  let deleted = 0;
  // Per source: the end of the file's period, past which a row's bucket is not the file's to replace.
  const ends = new Map<string, string>();
  for (const [, span] of spans) if (span.to > (ends.get(span.source) ?? '')) ends.set(span.source, span.to);
  for (let i = 0; i < spans.length; i += SWEEP_SPANS) {
    const part = spans.slice(i, i + SWEEP_SPANS);
    const bySource = new Map<string, Array<[string | null, Span]>>();
    for (const entry of part) bySource.set(entry[1].source, [...(bySource.get(entry[1].source) ?? []), entry]);
    for (const [source, list] of bySource) {
      const { from, to } = coveredSpan(list);
      const values = sql.join(list.map(([account, span]) => sql`(${account}, ${span.from}, ${span.to})`));
      const result = await sql<{ batch_id: number | null }>`
        DELETE FROM usage_entries
        WHERE id <= ${lastOldId} AND +source = ${source} AND batch_id != ${batchId} AND ts >= ${from} AND ts <= ${to}${notParts(parts)}${insidePeriod(ends.get(source)!)}
          AND EXISTS (
            SELECT 1 FROM (VALUES ${values}) AS span
            WHERE span.column1 IS usage_entries.account AND usage_entries.ts >= span.column2
              AND (usage_entries.ts < span.column3 OR (usage_entries.ts = span.column3 AND usage_entries.ts_end IS NULL))
          )
        RETURNING batch_id`.execute(trx);
      deleted += result.rows.length;
      noteSuperseded(superseded, source, result.rows);
    }
  }
  return deleted;
}

/**
 * The sweeps' condition that keeps a row whose bucket ends after the file's period (`end`):
 * the hours past it are not the file's to replace (see the module comment).
 */
function insidePeriod(end: string) {
  return sql` AND (ts_end IS NULL OR ts_end <= ${end})`;
}

/** The sweeps' condition that leaves the other parts of this file's export alone (none: nothing). */
function notParts(parts: readonly number[]) {
  return parts.length === 0 ? sql`` : sql` AND (batch_id IS NULL OR batch_id NOT IN (${sql.join(parts)}))`;
}

/** Per source: the earlier batches this import replaced rows of, and how many of each. */
type Superseded = Map<string, Map<number, number>>;

function noteSuperseded(superseded: Superseded, source: string, rows: ReadonlyArray<{ batch_id: number | null }>): void {
  let counts = superseded.get(source);
  for (const { batch_id } of rows) {
    if (batch_id === null) continue;
    if (counts === undefined) superseded.set(source, (counts = new Map()));
    counts.set(batch_id, (counts.get(batch_id) ?? 0) + 1);
  }
}

/**
 * The rows, inside this file's whole span, of the earlier imports it replaced rows of:
 * what an earlier version of this export said about the period that this file no longer
 * says. That is every account's rows, not only those of accounts this file lacks: an
 * account's own span (what `sweep` cleared) starts at its first row in this file, while
 * the file speaks for the whole span — a project whose rows in a corrected export begin
 * a day later than in the earlier version had nothing on that day.
 * Only imports of the same source are earlier versions of an export: a batch of another
 * (a ledger's export read back, source llmfin) holds every file it was made from, other
 * organisations' (`import --account`) and other kinds' among them, so only its rows the
 * file re-sends or whose account it covers (`sweep`) are replaced.
 */
async function sweepEarlierVersions(trx: Kysely<LedgerDatabase>, spans: Array<[string | null, Span]>, batchId: number, lastOldId: number, superseded: Superseded, parts: readonly number[]): Promise<number> {
  let deleted = 0;
  // A copy: the rows deleted here are counted into `superseded` as they go.
  for (const [source, batches] of [...superseded].map(([s, b]) => [s, [...b.keys()]] as const)) {
    const own = spans.filter(([, s]) => s.source === source);
    const candidates = batches.filter((id) => id !== batchId && !parts.includes(id));
    if (candidates.length === 0 || own.length === 0) continue;
    const ids: number[] = [];
    for (let i = 0; i < candidates.length; i += SWEEP_SPANS) {
      const rows = await trx.selectFrom('import_batches').select('id').where('source', '=', source).where('id', 'in', candidates.slice(i, i + SWEEP_SPANS)).execute();
      for (const r of rows) ids.push(r.id);
    }
    if (ids.length === 0) continue;
    const { from, to } = coveredSpan(own);
    for (let i = 0; i < ids.length; i += SWEEP_SPANS) {
      const part = ids.slice(i, i + SWEEP_SPANS);
      const result = await sql<{ batch_id: number | null }>`
        DELETE FROM usage_entries
        WHERE id <= ${lastOldId} AND +source = ${source} AND batch_id IN (${sql.join(part)}) AND ts >= ${from}
          AND (ts < ${to} OR (ts = ${to} AND ts_end IS NULL))${insidePeriod(to)}
        RETURNING batch_id`.execute(trx);
      deleted += result.rows.length;
      noteSuperseded(superseded, source, result.rows);
    }
  }
  return deleted;
}

/** How far before the file's period a row of an earlier version may start and still be one of its straddling rows: a month's bucket. */
const LONGEST_BUCKET_MS = 32 * 86_400_000;

/**
 * The rows of earlier versions of this export (batches it sent rows of again, by key) whose
 * buckets reach past the file's span, when nothing else that version said lies in the part
 * of their bucket outside the span: a month's tax, credit or commitment line of a bill
 * re-exported without it. The sweeps keep a row that reaches past the period, since it may
 * hold hours the file does not speak for; but the earlier version's only word on those hours
 * is that row, and the file, the version that replaces it, has left it out. One that has
 * other rows out there (a re-export of Oct 5-31 of an export of the whole month, whose Oct 1-4
 * rows stay) is not the month re-exported: the row stays, and the overlap guard judges it.
 * Another import of the same hours (a daily export beside an hourly one) shares no key and
 * is never an earlier version here.
 */
async function sweepStraddlingRows(trx: Kysely<LedgerDatabase>, spans: Array<[string | null, Span]>, batchId: number, lastOldId: number, superseded: Superseded, sentAgain: ReadonlyMap<string, readonly number[]>): Promise<number> {
  let deleted = 0;
  for (const [source, batches] of sentAgain) {
    const own = spans.filter(([, s]) => s.source === source);
    const ids = batches.filter((id) => id !== batchId);
    if (ids.length === 0 || own.length === 0) continue;
    const { from, to } = coveredSpan(own);
    const lookFrom = new Date(Date.parse(from) - LONGEST_BUCKET_MS).toISOString();
    for (let i = 0; i < ids.length; i += SWEEP_SPANS) {
      const part = ids.slice(i, i + SWEEP_SPANS);
      const result = await sql<{ batch_id: number | null }>`
        DELETE FROM usage_entries
        WHERE id <= ${lastOldId} AND +source = ${source} AND batch_id IN (${sql.join(part)}) AND ts >= ${lookFrom} AND ts < ${to}
          AND ts_end > ${from} AND (ts < ${from} OR ts_end > ${to})
          AND NOT EXISTS (
            SELECT 1 FROM usage_entries AS o
            WHERE o.batch_id = usage_entries.batch_id AND o.ts >= usage_entries.ts AND o.ts < ${from} AND coalesce(o.ts_end, o.ts) <= ${from}
          )
          AND NOT EXISTS (
            SELECT 1 FROM usage_entries AS o
            WHERE o.batch_id = usage_entries.batch_id AND o.ts >= ${to} AND o.ts <= usage_entries.ts_end AND coalesce(o.ts_end, o.ts) <= usage_entries.ts_end
          )
        RETURNING batch_id`.execute(trx);
      deleted += result.rows.length;
      noteSuperseded(superseded, source, result.rows);
    }
  }
  return deleted;
}

/** The time the accounts' spans cover together: earliest start to latest end (ISO text compares as time). */
function coveredSpan(spans: ReadonlyArray<[string | null, Span]>): { from: string; to: string } {
  let from = spans[0]![1].from;
  let to = spans[0]![1].to;
  for (const [, span] of spans) {
    if (span.from < from) from = span.from;
    if (span.to > to) to = span.to;
  }
  return { from, to };
}

interface Span {
  source: string;
  from: string;
  to: string;
}

/** The counts a row's usage is compared by (`replaceChanged`): the ones a log may write again larger. */
const USAGE_COLUMNS = ['input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens', 'web_search_requests'] as const;

/**
 * Deletes the rows already there under the keys of `chunk` whose usage differs from the
 * chunk's (`replaceChanged`); the chunk's insert then puts the new ones in their place and
 * skips the rest. A row's key and counts are compared as one text.
 */
async function deleteChangedRows(trx: Kysely<LedgerDatabase>, chunk: EntryChunk, superseded: Superseded): Promise<number> {
  const [sourceOf, keyOf] = [SOURCE, DEDUPE_KEY].map((c) => chunkColumn(chunk, c)) as [ChunkColumn, ChunkColumn];
  const counts = USAGE_COLUMNS.map((c) => chunkColumn(chunk, ENTRY_COLUMNS.indexOf(c)));
  const bySource = new Map<string, { keys: string[]; usages: string[] }>();
  for (let r = 0; r < chunk.rows; r++) {
    const source = sourceOf.get(r) as string;
    let of = bySource.get(source);
    if (of === undefined) bySource.set(source, (of = { keys: [], usages: [] }));
    const key = keyOf.get(r) as string;
    of.keys.push(key);
    of.usages.push([key, ...counts.map((c) => String(c.get(r) ?? 0))].join('\u001f'));
  }
  const usage = sql.join([sql.ref('dedupe_key'), ...USAGE_COLUMNS.map((c) => sql`coalesce(${sql.ref(c)}, 0)`)], sql` || char(31) || `);
  let deleted = 0;
  for (const [source, { keys, usages }] of bySource) {
    const result = await sql<{ batch_id: number | null }>`delete from usage_entries where source = ${source} and dedupe_key in (${sql.join(keys)}) and (${usage}) not in (${sql.join(usages)}) returning batch_id`.execute(trx);
    deleted += result.rows.length;
    noteSuperseded(superseded, source, result.rows);
  }
  return deleted;
}

/** Positions in a row of `entryRow` values (ENTRY_COLUMNS order). */
const WIDTH = ENTRY_COLUMNS.length;
const BATCH_ID = ENTRY_COLUMNS.indexOf('batch_id');
const SOURCE = ENTRY_COLUMNS.indexOf('source');
const DEDUPE_KEY = ENTRY_COLUMNS.indexOf('dedupe_key');
const ACCOUNT = ENTRY_COLUMNS.indexOf('account');
const TS = ENTRY_COLUMNS.indexOf('ts');
const TS_END = ENTRY_COLUMNS.indexOf('ts_end');

/**
 * Chunks of at most `rowsPerChunk` (≤ CHUNK_ROWS) entries, packed (entry-chunk.ts) from
 * their insert values (`rowValues` with batch id 0, filled in when written): the form
 * that crosses to a writer thread cheaply. The entries come a block at a time: an async
 * step per row (a generator's yield, its promise and its microtask) cost ~0.4 µs, as much
 * as pricing the row.
 */
export async function* entryChunks(blocks: AsyncIterable<readonly NewUsageEntry[]>, rowsPerChunk = CHUNK_ROWS): AsyncGenerator<EntryChunk> {
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1 || rowsPerChunk > CHUNK_ROWS) throw new RangeError(`entryChunks: rowsPerChunk must be 1 to ${CHUNK_ROWS}`);
  // One buffer at its full size for every chunk (the packed chunk holds its own copies of
  // the values), filled by push so that it is packed; see rowValues for why it never shrinks.
  const flat: unknown[] = [];
  for (let i = 0; i < rowsPerChunk * WIDTH; i++) flat.push(null);
  let index = 0;
  let rows = 0;
  for await (const block of blocks) {
    for (const entry of block) {
      rowValues(entry, 0, index++, flat, rows * WIDTH);
      if (++rows === rowsPerChunk) {
        yield packEntryChunk(flat, rowsPerChunk);
        rows = 0;
      }
    }
  }
  if (rows > 0) yield packEntryChunk(flat, rows);
}

/**
 * `blocks` yields the rows a block at a time; `rowsRead()` is asked at the end for the
 * batch's `rows_read` (the reader knows how many source rows it saw, including skipped ones).
 */
export async function recordImportStream(
  ledger: LedgerStore,
  batch: StreamBatch,
  blocks: AsyncIterable<readonly NewUsageEntry[]>,
  rowsRead: () => number,
  options: StreamImportOptions,
): Promise<StreamImportResult> {
  return recordImportChunks(ledger, batch, entryChunks(blocks), rowsRead, options);
}

/**
 * The chunk's dedupe keys by source (what a replacing import deletes before it inserts),
 * and each row's time added to its account's span in `spans` (what the sweep replaces).
 */
function keysAndSpans(chunk: EntryChunk, spans: Map<string | null, Span>): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  const [sourceOf, keyOf, tsOf, endOf, accountOf] = [SOURCE, DEDUPE_KEY, TS, TS_END, ACCOUNT].map((c) => chunkColumn(chunk, c)) as [ChunkColumn, ChunkColumn, ChunkColumn, ChunkColumn, ChunkColumn];
  for (let r = 0; r < chunk.rows; r++) {
    const source = sourceOf.get(r) as string;
    let keys = bySource.get(source);
    if (keys === undefined) bySource.set(source, (keys = []));
    keys.push(keyOf.get(r) as string);
    // ts and ts_end are already ISO UTC text (rowValues), so they compare as text.
    const ts = tsOf.get(r) as string;
    const end = (endOf.get(r) as string | null) ?? ts;
    const last = end > ts ? end : ts;
    const key = (accountOf.get(r) as string | null) ?? null;
    const span = spans.get(key);
    if (!span) spans.set(key, { source, from: ts, to: last });
    else {
      if (ts < span.from) span.from = ts;
      if (last > span.to) span.to = last;
    }
  }
  return bySource;
}

/** `recordImportStream` for entries already packed by `entryChunks` (a writer thread's input). */
export async function recordImportChunks(
  ledger: LedgerStore,
  batch: StreamBatch,
  chunks: AsyncIterable<EntryChunk>,
  rowsRead: () => number,
  options: StreamImportOptions,
): Promise<StreamImportResult> {
  try {
    return await writeImportChunks(ledger, batch, chunks, rowsRead, options);
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
}

async function writeImportChunks(
  ledger: LedgerStore,
  batch: StreamBatch,
  chunks: AsyncIterable<EntryChunk>,
  rowsRead: () => number,
  options: StreamImportOptions,
): Promise<StreamImportResult> {
  return ledger.db.transaction().execute(async (trx) => {
    const { id: batchId } = await trx
      .insertInto('import_batches')
      .values({ ...batch, rows_read: 0, imported_at: batch.imported_at ?? new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Every row this import writes gets a larger id (AUTOINCREMENT), so `id <= lastOldId`
    // tells an earlier row from ours using the ts index alone (see sweep).
    const { last } = await trx.selectFrom('usage_entries').select((eb) => eb.fn.coalesce(eb.fn.max('id'), sql<number>`0`).as('last')).executeTakeFirstOrThrow();
    const lastOldId = Number(last);

    let seen = 0;
    let imported = 0;
    let replaced = 0;
    // Per account: the time span this file covers, for the sweep.
    const spans = new Map<string | null, Span>();
    // Per source: the earlier imports this file replaces rows of (see the module comment).
    const superseded: Superseded = new Map();
    // Per source: whether the ledger had no row of it before this import.
    const freshSources = new Map<string, boolean>();
    let overlaps: OverlapFinding[] = [];

    // usage_entries' CHECKs cost SQLite a third of its insert time (see ENTRY_CHECKS):
    // skipped for the chunks passesEntryChecks vouches for, on for any other (which then
    // fails in SQLite with its own error), and on again before anything else is written.
    // Toggling the pragma makes SQLite recompile its statements, so it changes only when
    // the answer does.
    let checksSkipped = false;
    const skipChecks = async (skip: boolean): Promise<void> => {
      if (skip === checksSkipped) return;
      await sql.raw(`pragma ignore_check_constraints = ${skip ? 'on' : 'off'}`).execute(trx);
      checksSkipped = skip;
    };
    try {
      for await (const chunk of chunks) {
        const rows = chunk.rows;
        if (rows === 0) continue;
        if (!isEntryChunk(chunk) || rows > CHUNK_ROWS) throw new Error('recordImportChunks: a chunk is not whole rows of at most CHUNK_ROWS');
        chunkColumn(chunk, BATCH_ID).setAll(batchId);
        await skipChecks(passesEntryChecks(chunk));
        seen += rows;
        // Built once: a first import may run it twice (see below).
        const insert = sharedColumnsInsert(ledger.db, chunk);
        const insertChunk = async (): Promise<number> => Number((await trx.executeQuery(CompiledQuery.raw(insert.sql, insert.parameters))).numAffectedRows ?? 0n);
        if (options.replacePeriod) {
          const bySource = keysAndSpans(chunk, spans);
          // A source with no rows before this import (its first import into this ledger)
          // needs no DELETE: the only rows it could find are this import's, and an insert
          // that meets one of those inserts fewer rows than the chunk's distinct keys. So
          // insert first, inside a savepoint, and only on such a shortfall undo it and take
          // the DELETE path. The DELETE probed the key index once per row (~12% of a FOCUS
          // import's SQLite time) and, on a first import, never found anything.
          let firstImport = true;
          let distinct = 0;
          for (const [source, keys] of bySource) {
            let fresh = freshSources.get(source);
            if (fresh === undefined) {
              // First seen now, so no row of this import has this source yet.
              const earlier = await trx.selectFrom('usage_entries').select('id').where('source', '=', source).limit(1).executeTakeFirst();
              freshSources.set(source, (fresh = earlier === undefined));
            }
            firstImport &&= fresh;
            distinct += new Set(keys).size;
          }
          if (firstImport) {
            await sql`savepoint import_chunk`.execute(trx);
            const inserted = await insertChunk();
            if (inserted === distinct) {
              await sql`release import_chunk`.execute(trx);
              imported += inserted;
              options.onProgress?.(seen);
              continue;
            }
            await sql`rollback to import_chunk`.execute(trx);
            await sql`release import_chunk`.execute(trx);
          }
          for (const [source, keys] of bySource) {
            const deleted = await trx.deleteFrom('usage_entries').where('source', '=', source).where('dedupe_key', 'in', keys).returning('batch_id').execute();
            replaced += deleted.length;
            noteSuperseded(superseded, source, deleted);
          }
        } else if (options.replaceChanged === true) {
          replaced += await deleteChangedRows(trx, chunk, superseded);
        }
        imported += await insertChunk();
        options.onProgress?.(seen);
      }
    } finally {
      await skipChecks(false);
    }

    if (options.replacePeriod) {
      const stated = options.statedPeriod?.();
      if (stated !== undefined) {
        for (const span of spans.values()) {
          if (stated.from < span.from) span.from = stated.from;
          if (stated.to > span.to) span.to = stated.to;
        }
      }
      // Read before the sweeps add to it: the batches whose rows this file sent again by key, per source.
      const sentAgainBySource = new Map([...superseded].map(([source, m]) => [source, [...m.keys()]]));
      const sentAgain = new Set([...sentAgainBySource.values()].flat());
      const parts = (options.partsOf ?? []).filter((id) => !sentAgain.has(id));
      replaced += await sweep(trx, [...spans], batchId, lastOldId, superseded, parts);
      replaced += await sweepEarlierVersions(trx, [...spans], batchId, lastOldId, superseded, parts);
      replaced += await sweepStraddlingRows(trx, [...spans], batchId, lastOldId, superseded, sentAgainBySource);
      if (options.overlaps !== undefined && spans.size > 0) {
        const { from, to } = coveredSpan([...spans]);
        overlaps = await overlappingBatches(trx, {
          source: batch.source, batchId, lastOldId, from, to, accounts: new Set(spans.keys()), parts: options.partsOf ?? [], groupedAccounts: options.overlaps.groupedAccounts, kindInAccount: options.overlaps.kindInAccount, groupOwnsUsage: options.overlaps.groupOwnsUsage,
        });
      }
    }

    if (options.spanTotalsOf !== undefined) {
      const totals = await settleSpanTotals(trx, options.spanTotalsOf, batchId);
      imported -= totals.ownRemoved;
      replaced += totals.earlierRemoved;
    }

    if (options.afterEntries) await options.afterEntries(trx, batchId);
    const counts = { rows_read: rowsRead(), rows_imported: imported, rows_skipped: seen - imported, rows_replaced: replaced };
    const replacedBatches = [...superseded.values()].flatMap((m) => [...m].filter(([id]) => id !== batchId).map(([id, rows]) => ({ batchId: id, rows })));
    replacedBatches.sort((a, b) => a.batchId - b.batchId);
    const result = { batchId, rowsImported: imported, rowsSkipped: counts.rows_skipped, rowsReplaced: replaced, replacedBatches, overlaps };
    if (options.rollback || (options.overlaps?.refuse === true && refusingOverlaps(overlaps).length > 0)) throw new Rollback(result);
    const fileHash = options.fileHash?.();
    await trx.updateTable('import_batches').set(fileHash === undefined ? counts : { ...counts, file_hash: fileHash }).where('id', '=', batchId).execute();
    return result;
  });
}
