/**
 * Records one import in a single transaction: the batch row, the optional
 * replacement of a corrected period's slice, and the entries, deduplicated by
 * (source, dedupe_key). Any error rolls all of it back, so a failed import leaves the
 * ledger exactly as it was (PRODUCT.md: re-import is safe).
 */
import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import { dec, usdToTicks } from '../../shared/money.js';
import { ATTRIBUTION_COLUMNS, CHARGE_CATEGORIES, COST_STATUSES, PROVENANCES } from '../ledger-schema.js';
import type { LedgerDatabase, NewImportBatch, NewUsageEntry } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';
import { entryIsoUtc, isoUtc } from './iso-utc.js';
import type { EntryChunk } from './entry-chunk.js';
import { codeCount, codePlace, DICTIONARY_SLOTS } from './dictionary-code.js';

/** The rows a corrected export replaces: one source and account, ts in [periodStart, periodEnd). */
export interface ReplaceSlice {
  source: string;
  /** The account the rows carry; omitted or null means rows without an account. */
  account?: string | null;
  periodStart: string | Date;
  periodEnd: string | Date;
}

/** The batch row as an importer describes it; the counts are filled in by `recordImport`. */
export type NewBatch = Omit<NewImportBatch, 'id' | 'rows_imported' | 'rows_skipped' | 'rows_replaced' | 'imported_at'> & {
  /** Defaults to now. */
  imported_at?: string;
};

export interface RecordImportResult {
  batchId: number;
  /** Entries inserted. */
  rowsImported: number;
  /** Entries already in the ledger (same source and dedupe key), left as they were. */
  rowsSkipped: number;
  /** Rows of `replaceSlice` deleted before inserting. */
  rowsReplaced: number;
}

/** Every column an entry row writes, in one fixed order so that each chunk's SQL text is the same. */
export const ENTRY_COLUMNS = [
  'batch_id', 'provenance', 'source', 'dedupe_key', 'provider', 'account', 'model', 'model_requested',
  'matched_model', 'offering', 'ts', 'ts_end', 'granularity', 'requests', 'input_tokens',
  'uncached_input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'input_audio_tokens', 'input_image_tokens', 'output_tokens', 'reasoning_tokens', 'output_audio_tokens',
  'output_image_tokens', 'service_tier', 'region', 'raw_usage', 'cost_usd', 'cost_ticks', 'cost_status',
  'reported_cost_usd', 'price_ref', 'catalogue_version', 'currency', 'description', 'team', 'feature',
  'customer', 'agent', 'project', 'environment', 'api_key', 'workspace', 'user', 'trace_id', 'tags',
  'request_id', 'created_at', 'estimated_cost_usd', 'estimated_cost_ticks', 'charge_category', 'web_search_requests',
  // The proxy's own columns (PROXY_COLUMNS): an import of `llmfin export`'s rows restores them.
  'latency_ms', 'ttfb_ms', 'status_code', 'prompt_hash',
] as const;

// ENTRY_COLUMNS keeps its own order (the SQL text's, and rowValues' by hand), so the
// attribution columns are written out in it; this stops compiling if a dimension is
// added to ATTRIBUTION_COLUMNS and not here.
const _everyAttributionInserted: readonly (typeof ENTRY_COLUMNS)[number][] = ATTRIBUTION_COLUMNS;

/**
 * The CHECK constraints of usage_entries, each a column and the values it allows (NULL
 * passes a CHECK; NOT NULL is its own constraint). SQLite evaluates `column IN (list)`
 * in a CHECK by building the list anew for every row: with the three of them, a third of
 * an import's insert time. An import therefore checks its chunks here, a list per chunk
 * for a shared or dictionary column, and lets SQLite skip the CHECKs only for chunks
 * that pass (see recordImportChunks). A test holds this to the schema's own CHECKs.
 */
export const ENTRY_CHECKS: ReadonlyArray<readonly [(typeof ENTRY_COLUMNS)[number], ReadonlySet<string>]> = [
  ['provenance', new Set(PROVENANCES)],
  ['cost_status', new Set(COST_STATUSES)],
  ['charge_category', new Set(CHARGE_CATEGORIES)],
];

/**
 * Rows per INSERT: SQLite allows 32,766 bound variables per statement (since 3.32);
 * 500 rows x 57 columns stays well under it and under PostgreSQL's 65,535.
 */
export const CHUNK_ROWS = 500;

/** `column ?? default` for a token count the entry may omit. */
const tokens = (value: number | undefined): number => value ?? 0;

/**
 * Writes one entry's values into `out` from position `at` (its end by default), in
 * ENTRY_COLUMNS order, with the defaults of the columns an entry may omit spelled out
 * (SQLite's VALUES has no DEFAULT keyword).
 * Written column by column rather than as a loop over the names: reading `entry[name]`
 * with a changing name is a slow generic lookup, and an import does it 57 times a row.
 * By index into an array the caller keeps at its size, not pushed onto one emptied for
 * each chunk: a chunk's 500 x 57 values pass V8's large-object size (128 KB), and
 * regrowing such an array every chunk cost 3-5 µs a row in allocation and GC.
 */
export function rowValues(entry: NewUsageEntry, batchId: number, index: number, out: unknown[], at = out.length): void {
  const e = entry;
  // Importers may give the exact decimal only; ticks are what SQL sums.
  const costTicks = e.cost_ticks ?? (e.cost_usd == null ? null : usdToTicks(dec(e.cost_usd)));
  const estimatedTicks = e.estimated_cost_ticks ?? (e.estimated_cost_usd == null ? null : usdToTicks(dec(e.estimated_cost_usd)));
  let i = at;
  out[i++] = batchId;
  out[i++] = e.provenance ?? null;
  out[i++] = e.source ?? null;
  out[i++] = e.dedupe_key ?? null;
  out[i++] = e.provider ?? null;
  out[i++] = e.account ?? null;
  out[i++] = e.model ?? null;
  out[i++] = e.model_requested ?? null;
  out[i++] = e.matched_model ?? null;
  out[i++] = e.offering ?? null;
  out[i++] = entryIsoUtc(e.ts, index, 'ts');
  out[i++] = e.ts_end == null ? null : entryIsoUtc(e.ts_end, index, 'ts_end');
  out[i++] = e.granularity ?? 'request';
  out[i++] = e.requests ?? 1;
  out[i++] = tokens(e.input_tokens);
  out[i++] = tokens(e.uncached_input_tokens);
  out[i++] = tokens(e.cache_read_tokens);
  out[i++] = tokens(e.cache_write_5m_tokens);
  out[i++] = tokens(e.cache_write_1h_tokens);
  out[i++] = tokens(e.input_audio_tokens);
  out[i++] = tokens(e.input_image_tokens);
  out[i++] = tokens(e.output_tokens);
  out[i++] = tokens(e.reasoning_tokens);
  out[i++] = tokens(e.output_audio_tokens);
  out[i++] = tokens(e.output_image_tokens);
  out[i++] = e.service_tier ?? null;
  out[i++] = e.region ?? null;
  out[i++] = e.raw_usage ?? null;
  out[i++] = e.cost_usd ?? null;
  out[i++] = costTicks;
  out[i++] = e.cost_status ?? null;
  out[i++] = e.reported_cost_usd ?? null;
  out[i++] = e.price_ref ?? null;
  out[i++] = e.catalogue_version ?? null;
  out[i++] = e.currency ?? 'USD';
  out[i++] = e.description ?? null;
  out[i++] = e.team ?? null;
  out[i++] = e.feature ?? null;
  out[i++] = e.customer ?? null;
  out[i++] = e.agent ?? null;
  out[i++] = e.project ?? null;
  out[i++] = e.environment ?? null;
  out[i++] = e.api_key ?? null;
  out[i++] = e.workspace ?? null;
  out[i++] = e.user ?? null;
  out[i++] = e.trace_id ?? null;
  out[i++] = e.tags ?? null;
  out[i++] = e.request_id ?? null;
  out[i++] = e.created_at ?? null;
  out[i++] = e.estimated_cost_usd ?? null;
  out[i++] = estimatedTicks;
  out[i++] = e.charge_category ?? 'usage';
  out[i++] = tokens(e.web_search_requests);
  out[i++] = e.latency_ms ?? null;
  out[i++] = e.ttfb_ms ?? null;
  out[i++] = e.status_code ?? null;
  out[i++] = e.prompt_hash ?? null;
}

/** Per store (so per dialect): row count → SQL text. */
const insertSqlCache = new WeakMap<Kysely<LedgerDatabase>, Map<number, string>>();

/**
 * The INSERT ... ON CONFLICT DO NOTHING text for `rows` rows, compiled once by Kysely
 * for the store's dialect; the values are then bound straight from the entries, which
 * is far faster than building a Kysely query of 500 x 49 value nodes per chunk.
 */
export function insertSql(db: Kysely<LedgerDatabase>, rows: number): string {
  let byRows = insertSqlCache.get(db);
  if (byRows === undefined) insertSqlCache.set(db, (byRows = new Map()));
  let text = byRows.get(rows);
  if (text === undefined) {
    // Placeholders only: every column gets a parameter, in ENTRY_COLUMNS order.
    const template = Object.fromEntries(ENTRY_COLUMNS.map((c) => [c, 0])) as never;
    const compiled = db
      .insertInto('usage_entries')
      .values(Array.from({ length: rows }, () => template))
      .onConflict((oc) => oc.columns(['source', 'dedupe_key']).doNothing())
      .compile();
    if (compiled.parameters.length !== rows * ENTRY_COLUMNS.length) throw new Error('usage_entries insert: unexpected parameter layout');
    text = compiled.sql;
    byRows.set(rows, text);
  }
  return text;
}

/** Per store: (rows, layout, aliases) → SQL text; a file repeats a handful of shapes. */
const sharedSqlCache = new WeakMap<Kysely<LedgerDatabase>, Map<string, string>>();
const SHARED_SQL_CACHE = 64;

/**
 * The insert of one packed chunk (entry-chunk.ts), each value bound once however many
 * rows hold it: `INSERT ... SELECT ?, column1, CASE column2 WHEN 0 THEN ? ... END, ...
 * FROM (VALUES (...), ...)`, a shared column as one parameter, a dictionary column as
 * one parameter per value (DICTIONARY_SLOTS of them, unused ones NULL, so that chunks
 * with more or fewer distinct values share the statement) chosen by the row's index,
 * an alias as its column's expression again. Binding is a large part of SQLite's time
 * per row. Rows go in the order given, so a key repeated within the chunk keeps its
 * first row, as before.
 */
export function sharedColumnsInsert(db: Kysely<LedgerDatabase>, chunk: EntryChunk): { sql: string; parameters: unknown[] } {
  const { rows, layout, aliases } = chunk;
  const key = `${rows}:${layout}:${aliases.join(',')}`;
  let byShape = sharedSqlCache.get(db);
  if (byShape === undefined) sharedSqlCache.set(db, (byShape = new Map()));
  let text = byShape.get(key);
  if (text === undefined) {
    const columns = ENTRY_COLUMNS.map((c) => `"${c}"`).join(', ');
    // The VALUES columns: each V column's, by ENTRY_COLUMNS index, then the rows' codes.
    const valuesColumn = new Map<number, string>();
    for (let c = 0; c < layout.length; c++) if (layout[c] === 'V') valuesColumn.set(c, `column${valuesColumn.size + 1}`);
    const dictionaryCount = layout.split('D').length - 1;
    const width = valuesColumn.size + codeCount(dictionaryCount);
    const pick = `${Array.from({ length: DICTIONARY_SLOTS }, (_, i) => `WHEN ${i} THEN ?`).join(' ')} END`;
    /** D column `d`'s index: its bits of its row's code. */
    const digit = (d: number): string => {
      const { code, shift } = codePlace(d);
      const column = `column${valuesColumn.size + code + 1}`;
      return shift === 0 ? `${column} & ${DICTIONARY_SLOTS - 1}` : `(${column} >> ${shift}) & ${DICTIONARY_SLOTS - 1}`;
    };
    let alias = 0;
    let dictionary = 0;
    const select = [...layout]
      .map((kind, c) => (kind === 'S' ? '?' : kind === 'D' ? `CASE ${digit(dictionary++)} ${pick}` : kind === 'A' ? valuesColumn.get(aliases[alias++]!) : valuesColumn.get(c)))
      .join(', ');
    const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    // Every row's values differ in at least the dedupe key, so there are per-row columns past one row.
    const values = width === 0 ? '' : ` FROM (VALUES ${Array.from({ length: rows }, () => tuple).join(', ')})`;
    // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT.
    text = `INSERT INTO "usage_entries" (${columns}) SELECT ${select}${values} WHERE true ON CONFLICT ("source", "dedupe_key") DO NOTHING`;
    if (byShape.size >= SHARED_SQL_CACHE) byShape.clear();
    byShape.set(key, text);
  }
  // Parameters in the text's order: the SELECT list's (shared values, dictionaries), then the rows'.
  const parameters: unknown[] = [];
  let s = 0;
  let d = 0;
  for (let c = 0; c < layout.length; c++) {
    if (layout[c] === 'S') parameters.push(chunk.shared[s++]);
    else if (layout[c] === 'D') {
      const dictionary = chunk.dictionaries[d++]!;
      for (let i = 0; i < DICTIONARY_SLOTS; i++) parameters.push(i < dictionary.length ? dictionary[i] : null);
    }
  }
  for (const value of chunk.values) parameters.push(value);
  return { sql: text, parameters };
}

/**
 * Inserts `batch` and `entries` in one transaction; see the module comment.
 * Entries whose (source, dedupe_key) is already in the ledger, or repeated within
 * `entries`, are skipped. With `replaceSlice`, the slice's existing rows are deleted
 * first and counted as replaced.
 */
export async function recordImport(
  ledger: LedgerStore,
  batch: NewBatch,
  entries: readonly NewUsageEntry[],
  options: { replaceSlice?: ReplaceSlice } = {},
): Promise<RecordImportResult> {
  const slice = options.replaceSlice;
  const periodStart = slice ? isoUtc(slice.periodStart, 'replaceSlice.periodStart') : '';
  const periodEnd = slice ? isoUtc(slice.periodEnd, 'replaceSlice.periodEnd') : '';
  return ledger.db.transaction().execute(async (trx) => {
    // A write first: SQLite then takes the write lock at once and waits out other
    // writers with the busy timeout, instead of failing to upgrade a read snapshot.
    const { id: batchId } = await trx
      .insertInto('import_batches')
      .values({ ...batch, rows_read: batch.rows_read ?? entries.length, imported_at: batch.imported_at ?? new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();

    let rowsReplaced = 0;
    if (slice) {
      const account = slice.account ?? null;
      const deleted = await trx
        .deleteFrom('usage_entries')
        .where('source', '=', slice.source)
        .where((eb) => (account === null ? eb('account', 'is', null) : eb('account', '=', account)))
        .where('ts', '>=', periodStart)
        .where('ts', '<', periodEnd)
        .executeTakeFirst();
      rowsReplaced = Number(deleted.numDeletedRows);
    }

    let rowsImported = 0;
    for (let start = 0; start < entries.length; start += CHUNK_ROWS) {
      const chunk = entries.slice(start, start + CHUNK_ROWS);
      // At its size from the start: grown value by value past 128 KB it is reallocated as
      // a large object again and again (see rowValues).
      const parameters: unknown[] = new Array(chunk.length * ENTRY_COLUMNS.length).fill(null);
      chunk.forEach((entry, i) => rowValues(entry, batchId, start + i, parameters, i * ENTRY_COLUMNS.length));
      const result = await trx.executeQuery(CompiledQuery.raw(insertSql(ledger.db, chunk.length), parameters));
      rowsImported += Number(result.numAffectedRows ?? 0n);
    }

    const counts = { rows_imported: rowsImported, rows_skipped: entries.length - rowsImported, rows_replaced: rowsReplaced };
    await trx.updateTable('import_batches').set(counts).where('id', '=', batchId).execute();
    return { batchId, rowsImported, rowsSkipped: counts.rows_skipped, rowsReplaced };
  });
}
