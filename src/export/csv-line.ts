/**
 * One CSV record per RFC 4180: a cell holding a comma, a quote, CR or LF is quoted
 * with its quotes doubled; records end with CRLF. Null is an empty cell. A text that a
 * spreadsheet would run as a formula gets a `'` in front (formula-cell.ts), which the
 * llmfin and FOCUS importers take off again.
 */
import { guardFormulaCell } from '../shared/formula-cell.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? guardFormulaCell(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
