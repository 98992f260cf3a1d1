/**
 * The OpenAI dashboard's CSV exports (platform.openai.com/usage → Export) are the Usage and
 * Costs APIs flattened, one file per kind: a cost file has `amount_value`, a usage file
 * `num_model_requests`, and an export of a period with no data may be just the four time
 * columns. Columns are matched by name, whatever their case and order.
 */
import { basename } from 'node:path';
import { columnFinder, type HeaderProblem } from '../aws-cur/checked-csv.js';

export const TIME_COLUMNS = ['start_time', 'end_time', 'start_time_iso', 'end_time_iso'] as const;

/** Usage API count fields, by kind (completions, embeddings, images, audio…). */
export const USAGE_COUNTS = [
  'num_model_requests', 'input_tokens', 'output_tokens', 'input_cached_tokens', 'input_cache_write_tokens', 'input_uncached_tokens',
  'input_text_tokens', 'output_text_tokens', 'input_cached_text_tokens', 'input_audio_tokens', 'input_cached_audio_tokens',
  'output_audio_tokens', 'input_image_tokens', 'input_cached_image_tokens', 'output_image_tokens',
  'images', 'characters', 'seconds', 'num_sessions', 'num_requests', 'usage_bytes',
] as const;
/** Usage API group keys and labels, kept as text. */
export const USAGE_TEXTS = ['project_id', 'user_id', 'api_key_id', 'model', 'service_tier', 'size', 'source', 'vector_store_id', 'context_level'] as const;
/** Costs API fields, kept as text (the amount stays decimal text). */
export const COST_TEXTS = ['amount_value', 'amount_currency', 'line_item', 'project_id', 'api_key_id', 'organization_id', 'organization_name', 'quantity', 'quantity_unit'] as const;
/** Columns that an empty bucket may still fill: they say whose export it is, not what was used. */
export const CONTEXT_COLUMNS = ['organization_id', 'organization_name'] as const;

export type OpenAiCsvShape = { kind: 'costs' } | { kind: 'usage' } | { kind: 'empty' };

/** What a header is: a cost export, a usage export, a data-less export, or why it is none of them. */
export function openaiCsvShape(header: readonly string[]): OpenAiCsvShape | HeaderProblem {
  const find = columnFinder(header);
  if (find(['start_time']) === undefined && find(['start_time_iso']) === undefined) {
    return { column: 'start_time', message: 'expected a "start_time" column, got none: not an OpenAI dashboard export' };
  }
  if (find(['amount_value']) !== undefined) return { kind: 'costs' };
  if (find(['num_model_requests']) !== undefined) return { kind: 'usage' };
  const onlyTime = header.filter((h) => h !== '').every((h) => (TIME_COLUMNS as readonly string[]).includes(h.toLowerCase()));
  if (onlyTime && find(['end_time', 'end_time_iso']) !== undefined) return { kind: 'empty' };
  return { column: 'amount_value', message: 'expected an "amount_value" (cost export) or "num_model_requests" (usage export) column, got neither' };
}

/**
 * The counts a usage kind's export always has (the API's required fields, and the cached
 * count every completions export has had since the Usage API began). One renamed or lost
 * in a spreadsheet would read as 0 on every row and price the file low without a word.
 */
const REQUIRED_COUNTS: Record<string, readonly string[]> = {
  completions: ['input_tokens', 'output_tokens', 'input_cached_tokens'],
  embeddings: ['input_tokens'],
  moderations: ['input_tokens'],
};

/** The first count column a usage kind's export must have and this header lacks, as a header problem. */
export function missingCount(kind: string, header: readonly string[]): HeaderProblem | undefined {
  const find = columnFinder(header);
  const missing = (REQUIRED_COUNTS[kind] ?? []).find((c) => find([c]) === undefined);
  if (missing === undefined) return undefined;
  return { column: missing, message: `expected a "${missing}" column in a ${kind} usage export, got none (a renamed column would price every row without it)` };
}

export function isShape(v: OpenAiCsvShape | HeaderProblem): v is OpenAiCsvShape {
  return 'kind' in v;
}

/**
 * The usage kind: the dashboard names each file after it (`completions_usage_2025-10-27_…`,
 * `embeddings_usage_…`); without such a name, the columns tell images and audio apart and
 * token columns mean completions.
 */
export function usageKind(fileName: string, header: readonly string[]): string | undefined {
  const named = /^([a-z_]+?)_usage(?:[_.\s-]|$)/i.exec(basename(fileName));
  if (named) return named[1]!.toLowerCase();
  const find = columnFinder(header);
  if (find(['input_tokens', 'output_tokens']) !== undefined) return 'completions';
  if (find(['images']) !== undefined) return 'images';
  if (find(['characters']) !== undefined) return 'audio_speeches';
  if (find(['seconds']) !== undefined) return 'audio_transcriptions';
  return undefined;
}
