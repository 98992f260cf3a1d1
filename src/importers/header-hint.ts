/**
 * What helps with a header that lacks a column its rows need: not --skip-invalid (every
 * row would lack it) and not a file cut short (the hint of `unreadableDocument`), but the
 * column back under its name, as the export wrote it.
 */
export const HEADER_HINT =
  'nothing was imported from this file: every row needs that column, so --skip-invalid cannot help; if a spreadsheet renamed or dropped it, export the file again and import it as the provider wrote it';
