/**
 * Importer for FOCUS 1.0–1.2 cost exports (FinOps Open Cost and Usage Specification),
 * read as delivered rather than as specified: NULL literals, dates without `T`/`Z` or
 * as `5/1/25`, extra non-FOCUS columns, a BOM, header case drift. Every row is billed
 * money (BilledCost); see focus-charge.ts for what each row becomes.
 */
import { hash as digest } from 'node:crypto';
import type { ImportContext, Importer, ImportItem } from '../importer.js';
import { csvRecordsOrError, csvRowBatchesOrError, type SourceInput } from '../source-input.js';
import { CLASS_COLUMNS, fileDates, focusLayout, readCharge, trimmed, type FileDates, type FocusCells, type FocusLayout } from './focus-charge.js';
import type { DateCells } from './focus-dates.js';
import { MAX_WAITING } from '../slash-date-order.js';
import { OccurrenceCounter } from '../occurrence-counter.js';
import { FocusIdentity, hex8 } from './focus-identity.js';
import { unguardFormulaCells } from '../../shared/formula-cell.js';
import { isFocusExportHeader } from '../llmfin/focus-export-rows.js';
import { HEADER_HINT } from '../header-hint.js';

/** The mandatory columns a FOCUS file cannot do without. */
const REQUIRED = ['BilledCost', 'ChargeCategory', 'ChargePeriodStart'];
/** Columns that tell FOCUS from other cost CSVs (a few suffice; 1.0's SaaS examples omit many). */
const FOCUS_MARKERS = ['BillingAccountId', 'BillingPeriodStart', 'ChargePeriodEnd', 'EffectiveCost', 'ListCost', 'ProviderName', 'ServiceName', 'BillingCurrency'];

/** Columns that carry money or quantities: a corrected amount must not change a row's identity. */
const MONEY_COLUMN = /cost|unitprice|quantity|amount|exchangerate/i;

function headerColumns(head: string): string[] {
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((c) => c.trim().replace(/^"|"$/g, '').trim().toLowerCase());
}

/** The first line of the file (the CSV header), read before the records so a file with no rows is still checked. */
async function firstLine(input: SourceInput): Promise<string> {
  try {
    for await (const { text } of input.lines()) return text;
  } catch {
    // Unreadable (corrupt gzip): the CSV reader below reports it with its line.
  }
  return '';
}

function blank(record: Record<string, string>): boolean {
  for (const key in record) if (record[key]!.trim() !== '') return false;
  return true;
}

function blankCells(cells: readonly string[], width: number): boolean {
  for (let i = 0; i < width; i++) if (trimmed(cells[i]!) !== '') return false;
  return true;
}

/** A file the CSV reader could not go on with: one issue at the line it stopped. */
function unreadable(item: { error: string; line: number | undefined }, lastLine: number): ImportItem {
  return { kind: 'issue', line: item.line ?? lastLine + 1, message: `expected CSV, got unreadable data (${item.error})` };
}

/**
 * One row's item, whichever way its cells are read: its charge, or the issue that stops
 * it. The entry's identity is its account and its non-money cells (the reader's
 * `identity` columns, read only for a charge); rows identical in all of them (rare, but
 * FOCUS does not forbid them) get an occurrence number, so that neither is dropped as a
 * duplicate of the other.
 *
 * The key is the row's UTC day, then 96 bits of the identity's digest: a bill comes
 * mostly in time order, so its keys reach the unique (source, dedupe_key) index nearly
 * in order and land on its last pages. Bare hashes landed on a random page each, which
 * at millions of rows no page cache holds. The day is part of the identity already (the
 * charge period's cells), so the key stays the same for the same row.
 *
 * Undefined: a date of the row reads as two days (`1/5/25`) and no date of the file has
 * decided its order yet; `takeRow` keeps the row and asks again once one has.
 *
 * Two key schemes, chosen per import (`ctx.legacyKeys`, which runImport sets from the
 * ledger, see `legacyKeysBelow`):
 * - "v" + day + 24 hex digits of `FocusIdentity`'s digest of the cells: the scheme of a
 *   ledger with no FOCUS rows keyed the older way. The "v" keeps these keys above every
 *   older one in the key index, so one probe tells whether a ledger holds older keys.
 * - day + the first 24 hex digits of the sha256 of the cells' JSON (the ledger migration
 *   2026_12_01_0300 gave rows imported before it the same form): the scheme of a ledger
 *   that already holds such rows, so that re-importing a file imported before finds its
 *   rows by key as it always did. The ledger does not keep every identity cell (ResourceId,
 *   raw Tags), so old keys cannot be rewritten into new ones.
 * Either way a re-delivered export still replaces its period (the sweep by account and
 * time span does not look at keys); the scheme only decides which rows are found by key.
 */
function chargeItem(row: FocusCells, reader: RowReader, line: number, ctx: ImportContext): ImportItem | undefined {
  const result = readCharge(row, reader.layout, ctx, reader.dates, line);
  if (!result.ok) return 'wait' in result ? undefined : { kind: 'issue', line, column: result.column, message: result.message };
  const ids = reader.identity;
  const identity = reader.cells;
  identity[0] = result.entry.account as string;
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k]!;
    identity[k + 1] = i < row.width ? trimmed(row.cells[i]!) : '';
  }
  // ts is canonical ISO text (chargeTime), as the ledger stores it and the migration reads it.
  const ts = result.entry.ts;
  const day = `${ts.slice(0, 4)}${ts.slice(5, 7)}${ts.slice(8, 10)}`;
  let key: string;
  let n: number;
  if (ctx.legacyKeys === true) {
    // One-shot: a Hash object per row cost as much as the digest.
    const hash = digest('sha256', JSON.stringify(identity), 'hex').slice(0, 24);
    n = reader.seen.next(hash);
    key = `${day}${hash}`;
  } else {
    const d = reader.digest;
    // The class cells' digests come with the row's class (made once per class).
    d.digest(identity, reader.fromClass, result.charge.cellDigests);
    key = `v${day}${hex8(d.hi)}${hex8(d.mid)}${hex8(d.lo)}`;
    n = reader.seen.nextOf(d.hi, d.mid, key);
  }
  result.entry.dedupe_key = n === 1 ? key : `${key}#${n}`;
  return { kind: 'entry', line, entry: result.entry };
}

/**
 * What reading a file's rows needs, fixed by its first row: the columns as that row's
 * header-keyed record has them (a short first row lacks its last ones), resolved to
 * cell indexes once, and the identity columns (non-money, by name) as indexes.
 */
interface RowReader {
  layout: FocusLayout;
  identity: number[];
  /** A row's identity cells, the account first (reused from row to row). */
  cells: string[];
  digest: FocusIdentity;
  /** Per identity cell: its CLASS_COLUMNS index when it is the cell a charge class reads, else -1. */
  fromClass: Int8Array;
  seen: OccurrenceCounter;
  /** The file's slash-date order (focus-dates.ts). */
  dates: FileDates;
  /** Rows whose dates wait for that order, in file order. */
  waiting: Array<{ row: FocusCells; line: number }>;
}

/**
 * The items of a row into `out`: its own, after those of the rows that waited for the
 * date order its dates decided. A row that must wait is kept; past MAX_WAITING kept
 * rows, or at the end of the file (`refuseWaiting`), they are refused with their dates'
 * two readings.
 */
function takeRow(row: FocusCells, reader: RowReader, line: number, ctx: ImportContext, out: ImportItem[]): void {
  const item = chargeItem(row, reader, line, ctx);
  const waiting = reader.waiting;
  if (item !== undefined && waiting.length === 0) {
    out.push(item);
    return;
  }
  if (item === undefined) {
    // The CSV reader gives each row its own cells array; the FocusCells holder is reused: keep a copy of it.
    waiting.push({ row: { cells: row.cells, width: row.width }, line });
    if (waiting.length >= MAX_WAITING) refuseWaiting(reader, out);
    return;
  }
  if (reader.dates.order !== undefined) {
    for (const w of waiting) out.push(chargeItem(w.row, reader, w.line, ctx)!);
    waiting.length = 0;
  }
  out.push(item);
}

/** The kept rows, refused: no date of the file told which of their dates' two readings is right. */
function refuseWaiting(reader: RowReader, out: ImportItem[]): void {
  const L = reader.layout;
  for (const { row, line } of reader.waiting) {
    const cells = [L.ChargePeriodStart, L.ChargePeriodEnd, L.BillingPeriodStart, L.BillingPeriodEnd].map((i) => (i >= 0 && i < row.width ? trimmed(row.cells[i]!) : '')) as unknown as DateCells;
    out.push({ kind: 'issue', line, ...reader.dates.undecided(cells) });
  }
  reader.waiting.length = 0;
}

function rowReader(names: readonly string[]): RowReader {
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const identity = names
    .filter((k) => !MONEY_COLUMN.test(k))
    .sort()
    .map((k) => indexOf.get(k)!);
  const layout = focusLayout(names);
  // The account (slot 0) is none; a column the layout resolves elsewhere (a second
  // spelling of its name) is none either: its cell is not the class's.
  const fromClass = new Int8Array(identity.length + 1).fill(-1);
  identity.forEach((i, k) => {
    fromClass[k + 1] = CLASS_COLUMNS.findIndex((column) => layout[column] === i);
  });
  return {
    layout,
    identity,
    fromClass,
    cells: new Array<string>(identity.length + 1).fill(''),
    digest: new FocusIdentity(identity.length + 1),
    seen: new OccurrenceCounter(),
    dates: fileDates(),
    waiting: [],
  };
}

/** The rows as header-keyed records: for a header that repeats a column name. */
async function* readRecords(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem> {
  let keys: string[] | undefined;
  let reader: RowReader | undefined;
  let lastLine = 1;
  for await (const item of csvRecordsOrError(input)) {
    if ('error' in item) {
      yield unreadable(item, lastLine);
      return;
    }
    const { line, record } = item;
    lastLine = line;
    if (!keys) {
      // The first record's keys are the columns; a later record's cells are read by them.
      keys = Object.keys(record);
      reader = rowReader(keys);
    }
    if (blank(record)) continue;
    const items: ImportItem[] = [];
    takeRow({ cells: unguardFormulaCells(keys.map((k) => record[k] ?? '')), width: keys.length }, reader!, line, ctx, items);
    yield* items;
  }
  if (reader !== undefined) {
    const items: ImportItem[] = [];
    refuseWaiting(reader, items);
    yield* items;
  }
}

export const focusImporter: Importer = {
  id: 'focus',
  description: 'FOCUS 1.0–1.2 cost and usage export (CSV): AWS, Azure, Google Cloud, Oracle or any FOCUS-conformant provider',
  obtain:
    'AWS Data Exports ("FOCUS 1.2 with AWS columns"), Azure Cost Management → Exports ("FOCUS cost"), Google Cloud Billing FOCUS view, or any provider\'s FOCUS CSV (gzip is fine)',
  provenance: 'billed',
  replacesPeriod: true,
  accountOption: { refused: 'every FOCUS row names its billing account (BillingAccountId, SubAccountId), which no other organisation\'s export shares' },
  // Keys of the sha256 scheme begin with their day's digits; the newer ones with "v".
  legacyKeysBelow: ':',
  detect({ head }) {
    const columns = new Set(headerColumns(head));
    for (const name of REQUIRED) if (!columns.has(name.toLowerCase())) return { ok: false, reason: `no "${name}" column` };
    const markers = FOCUS_MARKERS.filter((m) => columns.has(m.toLowerCase())).length;
    if (markers < 3) return { ok: false, reason: 'too few FOCUS columns (BillingAccountId, BillingPeriodStart, ProviderName…)' };
    // llmfin's own FOCUS export (for BI tools) is read by the llmfin source, which restores
    // the ledger rows it was written from; read here, every row would become a bill of an
    // unknown meter, a metered row counted again beside the original.
    if (isFocusExportHeader([...columns])) return { ok: false, reason: "llmfin's own FOCUS export (x_llmfin_* columns): read as `--source llmfin`, which restores its ledger rows" };
    return { ok: true };
  },
  refuseForced({ head }) {
    if (!isFocusExportHeader(headerColumns(head))) return undefined;
    return {
      message: "llmfin's own FOCUS export (x_llmfin_* columns), which --source focus would read as bills of unknown meters, its metered rows counted again beside the originals",
      hint: 'import it with --source llmfin (or without --source), which restores the ledger rows it was written from',
    };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    for await (const items of readBatches(input, ctx)) yield* items;
  },
  readBatches,
};

/** The rows as single-item blocks: for a header that repeats a column name (rare). */
async function* recordBatches(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem[]> {
  for await (const item of readRecords(input, ctx)) yield [item];
}

/** The items of the file a block of it at a time (`Importer.readBatches`). */
async function* readBatches(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem[]> {
  const firstColumns = new Set(headerColumns(await firstLine(input)));
  // ChargePeriodEnd too: FOCUS requires it, and every row without it would be refused (readCharge).
  const absent = [...REQUIRED, 'ChargePeriodEnd'].find((name) => !firstColumns.has(name.toLowerCase()));
  if (absent) {
    yield [{ kind: 'issue', line: 1, column: absent, message: `expected a FOCUS header with a "${absent}" column, got none`, wholeFile: true, hint: HEADER_HINT }];
    return;
  }
  // A quantity too: PricingQuantity is required by FOCUS (every official sample has it;
  // ConsumedQuantity is conditional, and the FOCUS 1.0 sample lacks it). Without either,
  // every token meter's money would be kept and its tokens lost without a word.
  if (!firstColumns.has('pricingquantity') && !firstColumns.has('consumedquantity')) {
    yield [{ kind: 'issue', line: 1, column: 'PricingQuantity', message: 'expected a FOCUS header with a "PricingQuantity" column (or "ConsumedQuantity"), got none', wholeFile: true, hint: HEADER_HINT }];
    return;
  }
  // Rows come as cells; the header's names are resolved to cell indexes once. A cell
  // is read as the header-keyed record of SourceInput.csv() would give it, without
  // building that record for every row.
  let header: string[] | undefined;
  let reader: RowReader | undefined;
  let lastLine = 1;
  const row: FocusCells = { cells: [], width: 0 };
  for await (const batch of csvRowBatchesOrError(input)) {
    if ('error' in batch) {
      yield [unreadable(batch, lastLine)];
      return;
    }
    const items: ImportItem[] = [];
    for (const item of batch) {
      if (header === undefined) {
        header = item.cells.map((h) => h.trim());
        // A repeated column name: the record keeps its last cell; read such files as records.
        if (new Set(header).size !== header.length) {
          yield* recordBatches(input, ctx);
          return;
        }
        continue;
      }
      const line = item.line;
      // `llmfin export --format focus` writes a text a spreadsheet would run as a formula with a ' in front.
      row.cells = unguardFormulaCells(item.cells);
      row.width = Math.min(item.cells.length, header.length);
      lastLine = line;
      // A line with nothing but separators (a blank row some exporters leave at the end).
      if (blankCells(row.cells, row.width)) continue;
      // A file cut short ends in a short row, its last cell cut too: an amount in it
      // would read as part of itself, so the row is refused as the other bills' are.
      if (item.cells.length < header.length) {
        items.push({ kind: 'issue', line, message: `expected ${header.length} columns, got ${item.cells.length} (a truncated or mis-quoted row)` });
        continue;
      }
      reader ??= rowReader(header);
      takeRow(row, reader, line, ctx, items);
    }
    if (items.length > 0) yield items;
  }
  if (reader !== undefined && reader.waiting.length > 0) {
    const items: ImportItem[] = [];
    refuseWaiting(reader, items);
    yield items;
  }
}
