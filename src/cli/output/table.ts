/**
 * One tabular shape rendered four ways: aligned text for people, CSV for
 * spreadsheets, Markdown for pull requests; JSON is emitted from the command's own
 * document, not from the table, so its numbers stay numbers.
 */
import { stripVTControlCharacters } from 'node:util';
import type { ChalkInstance } from 'chalk';
import { csvCell } from '../../export/csv-line.js';

export interface Column {
  key: string;
  header: string;
  align?: 'left' | 'right';
}

export type Cell = string | number | null | undefined;

export interface Table {
  columns: Column[];
  rows: Array<Record<string, Cell>>;
  /** A totals row, set apart by a rule. */
  footer?: Record<string, Cell> | undefined;
}

const cellText = (c: Cell): string => (c === null || c === undefined ? '' : String(c));

/**
 * A cell kept on its line: a ledger value may hold a line break or a tab (a customer name
 * typed into a header or a CSV cell), which printed raw would end the row halfway (and a
 * Markdown table with it). They are written as `\n`, `\r` and `\t`, as JSON writes them;
 * CSV quotes the value instead and keeps it whole.
 */
const LINE_BREAKS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const oneLine = (text: string): string => text.replace(/[\n\r\t]/g, (ch) => LINE_BREAKS[ch] ?? ch);
const shownText = (c: Cell): string => oneLine(cellText(c));

/** What the terminal shows of a cell: a coloured one (a budget's bar and state) is as wide as its text. */
const shownWidth = (text: string): number => stripVTControlCharacters(text).length;

export function renderText(table: Table, chalk: ChalkInstance): string {
  const all = table.footer ? [...table.rows, table.footer] : table.rows;
  const widths = table.columns.map((col) => Math.max(col.header.length, ...all.map((r) => shownWidth(shownText(r[col.key])))));
  const line = (r: Record<string, Cell>) =>
    table.columns
      .map((col, i) => {
        const text = shownText(r[col.key]);
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - shownWidth(text)));
        return col.align === 'right' ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  const header = table.columns
    .map((col, i) => (col.align === 'right' ? col.header.padStart(widths[i] ?? 0) : col.header.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
  const out = [chalk.bold(header), ...table.rows.map(line)];
  if (table.footer) {
    out.push(chalk.dim('─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1))));
    out.push(chalk.bold(line(table.footer)));
  }
  return `${out.join('\n')}\n`;
}

/** A cell as a CSV field, quoted and formula-guarded as `llmfin export` writes one (csv-line.ts). */
function csvOf(c: Cell): string {
  return csvCell(cellText(c));
}

export function renderCsv(table: Table): string {
  const rows = table.footer ? [...table.rows, table.footer] : table.rows;
  return `${[table.columns.map((c) => csvOf(c.header)).join(','), ...rows.map((r) => table.columns.map((c) => csvOf(r[c.key])).join(','))].join('\n')}\n`;
}

export function renderMarkdown(table: Table): string {
  const esc = (c: Cell) => shownText(c).replace(/\|/g, '\\|');
  const head = `| ${table.columns.map((c) => esc(c.header)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`;
  const rows = table.rows.map((r) => `| ${table.columns.map((c) => esc(r[c.key])).join(' | ')} |`);
  if (table.footer) rows.push(`| ${table.columns.map((c) => `**${esc(table.footer?.[c.key])}**`.replace('****', '')).join(' | ')} |`);
  return `${[head, rule, ...rows].join('\n')}\n`;
}
