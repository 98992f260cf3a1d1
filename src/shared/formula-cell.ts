/**
 * Spreadsheet formula injection in CSV. Excel, LibreOffice and Google Sheets run a cell
 * that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula when the
 * file is opened, and a ledger's texts come from anyone: a client of the proxy picks its
 * team header and its model id (`=HYPERLINK("https://…","invoice")`). Such a cell is written
 * with a `'` in front (OWASP's advice), which spreadsheets show as text and llmfin's
 * importers take off again. A cell that already begins with quotes before such a character
 * gets one more, so that writing and reading give back the text exactly. A number (a
 * credit's -12.5) is no formula and is written as it is, so a spreadsheet can sum it.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const GUARDED = /^'+[=+\-@\t\r]/;
const QUOTE = 39; /* ' */

/** The text as a CSV cell that no spreadsheet runs as a formula. */
export function guardFormulaCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The text `guardFormulaCell` was given. */
export function unguardFormulaCell(text: string): string {
  return text.charCodeAt(0) === QUOTE && GUARDED.test(text) ? text.slice(1) : text;
}

/** A row's cells with every guard taken off; the same array when no cell has one (the usual row). */
export function unguardFormulaCells(cells: string[]): string[] {
  let out: string[] | undefined;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.charCodeAt(0) !== QUOTE) continue;
    const plain = unguardFormulaCell(cell);
    if (plain === cell) continue;
    out ??= [...cells];
    out[i] = plain;
  }
  return out ?? cells;
}
