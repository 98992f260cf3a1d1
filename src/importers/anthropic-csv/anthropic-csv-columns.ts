/**
 * The Anthropic Console's CSV downloads (platform.claude.com → Usage / Cost → Export):
 * a usage file (tokens per day or hour, model API id, key and workspace names) and a cost
 * file (dollars per day, model display name, token type). Columns are matched by name,
 * whatever their case and order; see research/exports.md §2.3.
 */
import { columnFinder, type HeaderProblem } from '../aws-cur/checked-csv.js';

export type AnthropicCsvKind = 'usage' | 'cost';

/** Which Console export a header is, or why it is neither. */
export function anthropicCsvKind(header: readonly string[]): AnthropicCsvKind | HeaderProblem {
  const find = columnFinder(header);
  if (find(['usage_date_utc']) === undefined) {
    return { column: 'usage_date_utc', message: 'expected a "usage_date_utc" column, got none: not an Anthropic Console export' };
  }
  if (find(['cost_usd']) !== undefined && find(['token_type', 'cost_type']) !== undefined) return 'cost';
  if (find(['usage_input_tokens_no_cache']) !== undefined && find(['usage_output_tokens']) !== undefined) return 'usage';
  return {
    column: 'usage_input_tokens_no_cache',
    message: 'expected "usage_input_tokens_no_cache" and "usage_output_tokens" (usage export) or "cost_usd" and "token_type" (cost export), got neither',
  };
}

/**
 * The cache columns every usage download has beside its uncached input and output. One
 * renamed or dropped in a spreadsheet would read as 0 on every row: its tokens priced at
 * nothing, without a word.
 */
const USAGE_CACHE_COUNTS = ['usage_input_tokens_cache_read', 'usage_input_tokens_cache_write_5m', 'usage_input_tokens_cache_write_1h'] as const;

/** The first cache column a usage download's header lacks, as a header problem. */
export function missingCacheCount(header: readonly string[]): HeaderProblem | undefined {
  const find = columnFinder(header);
  const missing = USAGE_CACHE_COUNTS.find((c) => find([c]) === undefined);
  if (missing === undefined) return undefined;
  return { column: missing, message: `expected a "${missing}" column in a usage export, got none (a renamed column would price every row without it)` };
}

/** The cells of one record by lowercase column name, trimmed; `column` is the file's spelling, for issues. */
export interface CsvCells {
  text(name: string): string;
  column(name: string): string;
}

export function csvCells(record: Record<string, string>): CsvCells {
  const byLower = new Map<string, { column: string; text: string }>();
  for (const [column, text] of Object.entries(record)) {
    const key = column.trim().toLowerCase();
    if (!byLower.has(key)) byLower.set(key, { column, text: (text ?? '').trim() });
  }
  return { text: (name) => byLower.get(name)?.text ?? '', column: (name) => byLower.get(name)?.column ?? name };
}
