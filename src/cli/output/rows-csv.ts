/**
 * `--format csv` for a result whose JSON document has `rows`: the rows' own keys and raw
 * values, so a spreadsheet or a script gets numbers it can sum ("779548", "0.410713")
 * instead of the table's display text ("779,548", "41.1%", "$2,196.02"), and no totals
 * row to count twice. Columns are the JSON's snake_case keys, the names scripts already
 * read from `--format json`.
 */
import { csvCell } from '../../export/csv-line.js';
import { dec } from '../../shared/money.js';

/** The document's `rows` when it is a list of objects; otherwise undefined. */
export function jsonRows(json: unknown): Array<Record<string, unknown>> | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const rows = (json as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) return undefined;
  return rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r)) ? (rows as Array<Record<string, unknown>>) : undefined;
}

/**
 * A document without `rows` that is one record (no member is a list of objects: `pricing
 * cost`, `route explain`) is one CSV line of its own; a document made of several lists
 * (`report --metrics units`) has no single shape and is left to the command's table.
 */
export function jsonRecord(json: unknown): Record<string, unknown> | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  return Object.values(record).some(holdsObjects) ? undefined : record;
}

function holdsObjects(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((e) => e !== null && typeof e === 'object');
  return v !== null && typeof v === 'object' && Object.values(v).some(holdsObjects);
}

/**
 * One CSV line per row. A nested object becomes one column per member (`success.small`),
 * a list becomes its JSON text in one cell, null and absent values an empty cell. The
 * header is every key in the order first seen, so rows that differ in shape still line up.
 * No rows, no keys to name: nothing is printed (the command says why on stderr).
 */
export function renderRowsCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return '';
  const flat = rows.map((r) => flatten(r));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const key of row.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  // A member null in one row and an object in another (a forecast row's backtest) is the
  // object's columns: its own name would be a column empty in every row. A key that holds
  // a value somewhere (a tag key with a dot beside a shorter one) keeps its column.
  const columns = keys.filter((k) => !keys.some((o) => o.startsWith(`${k}.`)) || flat.some((row) => (row.get(k) ?? '') !== ''));
  const lines = [columns.map((k) => csvCell(k)).join(',')];
  for (const row of flat) lines.push(columns.map((k) => csvCell(row.get(k) ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}

function flatten(value: Record<string, unknown>, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, name, into);
    else into.set(name, cellText(v));
  }
  return into;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return plainNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/**
 * A number as positional decimal text: `String(1e-7)` is "1e-7", which spreadsheets read
 * as text or not at all. Every digit JavaScript would print is kept (the ledger's decimal
 * type writes the same digits without an exponent).
 */
export function plainNumber(n: number): string {
  const text = String(n);
  return /e/i.test(text) && Number.isFinite(n) ? dec(n).toFixed() : text;
}
