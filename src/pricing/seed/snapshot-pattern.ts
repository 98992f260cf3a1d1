/**
 * Dated-snapshot patterns. A family id such as `claude-sonnet-4-5` also answers to its
 * dated snapshots (`claude-sonnet-4-5-20250929`), but never to a longer id that merely
 * starts the same way (`claude-sonnet-4-5-turbo`, or `command-a-plus` under
 * `command-a`, genai-prices issue #471). So a family prefix becomes an anchored regex
 * that accepts only a date-shaped suffix, in the shapes each provider actually uses.
 */

/** Date suffix shapes by provider: YYYYMMDD and YYYY-MM-DD everywhere, plus local habits. */
function suffixAlternatives(provider: string): string[] {
  const common = ['\\d{8}', '\\d{4}-\\d{2}-\\d{2}'];
  switch (provider) {
    case 'google':
    case 'vertex':
      return [...common, '\\d{3}', 'preview-\\d{2}-\\d{4}']; // gemini-1.5-pro-002, gemini-2.5-flash-preview-09-2025
    case 'mistral':
    case 'xai':
      return [...common, '\\d{4}']; // mistral-large-2411 (YYMM), grok-4-0709 (MMDD)
    default:
      return common;
  }
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `^<prefix>-(?:<date shapes>)$`, the regex written into `match.regex`. */
export function snapshotRegex(provider: string, prefix: string): string {
  return `^${escapeRegex(prefix.toLowerCase())}-(?:${suffixAlternatives(provider).join('|')})$`;
}

/** True when `id` is `prefix` followed by one dated-snapshot suffix. */
export function isSnapshotOf(provider: string, prefix: string, id: string): boolean {
  return new RegExp(snapshotRegex(provider, prefix), 'i').test(id);
}

/**
 * Excludes ids that belong to other models from a regex: `^a-\d{8}$` becomes
 * `^(?!(?:a-20240101)$)a-\d{8}$`. The resolver tries exact ids first anyway; this keeps
 * the catalogue free of double claims so that validation can insist on it.
 */
export function excludeFromRegex(regex: string, ids: string[]): string {
  if (ids.length === 0 || !regex.startsWith('^')) return regex;
  const alternatives = [...new Set(ids.map((id) => escapeRegex(id.toLowerCase())))].sort();
  return `^(?!(?:${alternatives.join('|')})$)${regex.slice(1)}`;
}
