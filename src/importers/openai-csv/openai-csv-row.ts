/**
 * One row of an OpenAI dashboard CSV as the API result it flattens, so that the JSON
 * importers' row mappers (`usageItem`, `costItem`) price and key it the same way: counts
 * as numbers, `batch` as a boolean, `amount` as `{value, currency}` with the value kept as
 * the decimal text the file wrote ("0.0600000000" is $0.06 exactly, never a float).
 */
import { parseUtc, shown } from '../aws-cur/billing-values.js';
import { booleanCell, wholeNumber } from './csv-cells.js';
import { CONTEXT_COLUMNS, COST_TEXTS, USAGE_COUNTS, USAGE_TEXTS } from './openai-csv-columns.js';

export interface RowProblem {
  column: string;
  message: string;
}

export interface Bucket {
  start_time: number;
  end_time: number;
}

/** The cells of one record by lowercase column name, trimmed. */
export type Cells = (name: string) => { column: string; text: string } | undefined;

export function cellsOf(record: Record<string, string>): Cells {
  const byLower = new Map<string, { column: string; text: string }>();
  for (const [column, text] of Object.entries(record)) {
    const key = column.trim().toLowerCase();
    if (!byLower.has(key)) byLower.set(key, { column, text: (text ?? '').trim() });
  }
  return (name) => byLower.get(name);
}

/** The columns that hold what a bucket used or cost: the ones an empty bucket leaves blank. */
const VALUE_COLUMNS = new Set<string>([...USAGE_COUNTS, ...USAGE_TEXTS, ...COST_TEXTS, 'batch'].filter((c) => !(CONTEXT_COLUMNS as readonly string[]).includes(c)));

/**
 * An empty bucket: the export writes a row for it with every value cell blank. Only the
 * export's own value columns are looked at: a column the export does not have (one a
 * spreadsheet user added, a note filled on every row) says nothing of the bucket, and
 * would otherwise turn an empty bucket into a row with no usage or no amount.
 */
export function isEmptyBucket(record: Record<string, string>): boolean {
  return Object.entries(record).every(([column, text]) => !VALUE_COLUMNS.has(column.trim().toLowerCase()) || (text ?? '').trim() === '');
}

function instant(cells: Cells, seconds: string, iso: string): number | RowProblem | undefined {
  const s = cells(seconds);
  if (s && s.text !== '') {
    const n = wholeNumber(s.text);
    if (!n.ok || n.value === undefined) return { column: s.column, message: `expected Unix seconds, got ${shown(s.text)}` };
    return n.value;
  }
  const i = cells(iso);
  if (i && i.text !== '') {
    const d = parseUtc(i.text);
    if (!d) return { column: i.column, message: `expected an ISO 8601 time such as 2025-10-05T00:00:00+00:00, got ${shown(i.text)}` };
    return d.getTime() / 1000;
  }
  return undefined;
}

/** The bucket a row covers, from the Unix seconds or, when those are blank, the ISO times. */
export function bucketOf(cells: Cells): Bucket | RowProblem {
  const start = instant(cells, 'start_time', 'start_time_iso');
  const end = instant(cells, 'end_time', 'end_time_iso');
  if (typeof start === 'object') return start;
  if (typeof end === 'object') return end;
  if (start === undefined) return { column: cells('start_time')?.column ?? 'start_time', message: 'expected the bucket start (Unix seconds), got nothing' };
  if (end === undefined) return { column: cells('end_time')?.column ?? 'end_time', message: 'expected the bucket end (Unix seconds), got nothing' };
  if (end <= start) return { column: cells('end_time')?.column ?? 'end_time', message: `expected an end after the start (${start}), got ${end}` };
  return { start_time: start, end_time: end };
}

/** A Usage API result (`organization.usage.<kind>.result`) from a usage export row. */
export function usageRecord(cells: Cells, kind: string): { ok: true; record: Record<string, unknown> } | ({ ok: false } & RowProblem) {
  const r: Record<string, unknown> = { object: `organization.usage.${kind}.result` };
  for (const name of USAGE_COUNTS) {
    const cell = cells(name);
    if (!cell) continue;
    const n = wholeNumber(cell.text);
    if (!n.ok) return { ok: false, column: cell.column, message: n.message };
    if (n.value !== undefined) r[name] = n.value;
  }
  for (const name of USAGE_TEXTS) {
    const cell = cells(name);
    if (cell && cell.text !== '') r[name] = cell.text;
  }
  const batch = cells('batch');
  if (batch) {
    const b = booleanCell(batch.text);
    if (!b.ok) return { ok: false, column: batch.column, message: b.message };
    if (b.value !== undefined) r.batch = b.value;
  }
  return { ok: true, record: r };
}

/** A Costs API result (`organization.costs.result`) from a cost export row. */
export function costRecord(cells: Cells): Record<string, unknown> {
  const r: Record<string, unknown> = { object: 'organization.costs.result' };
  for (const name of COST_TEXTS) {
    const cell = cells(name);
    if (cell && cell.text !== '') r[name] = cell.text;
  }
  const value = cells('amount_value')?.text ?? '';
  const currency = cells('amount_currency')?.text ?? '';
  r.amount = { value: value === '' ? null : value, ...(currency === '' ? {} : { currency }) };
  delete r.amount_value;
  delete r.amount_currency;
  return r;
}
