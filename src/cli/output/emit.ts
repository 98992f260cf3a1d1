/**
 * Writes a command's result in the format asked for. `--format json` prints exactly
 * one JSON document on stdout and nothing else (PRODUCT.md).
 */
import type { CliContext } from '../cli-context.js';
import { jsonRecord, jsonRows, renderRowsCsv } from './rows-csv.js';
import { renderCsv, renderMarkdown, renderText, type Table } from './table.js';

export interface Emittable {
  /** The JSON document (snake_case keys, money as USD numbers). */
  json: unknown;
  /**
   * Tabular form for table and markdown, and for csv when the JSON has no `rows` (csv
   * otherwise prints the rows' raw values: see rows-csv.ts); a string is printed as is.
   */
  table: Table | string;
  /** Lines printed above the table in text mode only. */
  title?: string | undefined;
}

export function emit(ctx: CliContext, result: Emittable): void {
  const { format } = ctx.globals;
  const out = ctx.io.stdout;
  if (format === 'json') {
    out.write(`${JSON.stringify(result.json, null, 2)}\n`);
    return;
  }
  if (format === 'csv') {
    const rows = jsonRows(result.json);
    const record = rows ? undefined : jsonRecord(result.json);
    if (rows ?? record) {
      out.write(renderRowsCsv(rows ?? [record ?? {}]));
      return;
    }
  }
  if (typeof result.table === 'string') {
    // Nothing to show (the command says why on stderr) is no output, not an empty line.
    if (result.table !== '') out.write(result.table.endsWith('\n') ? result.table : `${result.table}\n`);
    return;
  }
  if (format === 'csv') out.write(renderCsv(result.table));
  else if (format === 'markdown') {
    if (result.title) out.write(`### ${result.title}\n\n`);
    out.write(renderMarkdown(result.table));
  } else {
    if (result.title) out.write(`${ctx.chalk.bold(result.title)}\n`);
    out.write(renderText(result.table, ctx.chalk));
  }
}
