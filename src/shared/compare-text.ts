/**
 * Orders strings by UTF-16 code unit, the same on every machine. `localeCompare` follows
 * the process's locale (LANG), so a report's row order could differ between a laptop and
 * CI, and it loads ICU's collation tables (a few MB of memory a long-running `llmfin top`
 * would carry for nothing).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
