/**
 * Usage and cost APIs answer in pages, and users save them as one page, several pages back to
 * back (one per line), or a JSON array of pages. This reads any of those into the buckets a
 * source's `collect` finds in each document, with the line each came from, so that an error
 * names the page that caused it.
 */
export type JsonPages<B> = { ok: true; buckets: Array<{ line: number; bucket: B }> } | { ok: false; line: number; message: string };

/** Adds the buckets of one parsed document to `out`, or returns what was wrong with it. */
export type CollectBuckets<B> = (value: unknown, line: number, out: Array<{ line: number; bucket: B }>) => string | undefined;

export function readJsonPages<B>(text: string, collect: CollectBuckets<B>, what: string): JsonPages<B> {
  const out: Array<{ line: number; bucket: B }> = [];
  try {
    const error = collect(JSON.parse(text), 1, out);
    return error ? { ok: false, line: 1, message: error } : { ok: true, buckets: out };
  } catch {
    // Not one document: pages back to back, one per line.
  }
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, line: i + 1, message: `not valid JSON (expected one ${what} per line, or one JSON document)` };
    }
    const error = collect(value, i + 1, out);
    if (error) return { ok: false, line: i + 1, message: error };
  }
  return { ok: true, buckets: out };
}

/** Bucket width in seconds → ledger granularity (the APIs' 1m, 1h and 1d buckets). */
export function granularityOfSeconds(seconds: number): 'hour' | 'day' | 'month' {
  if (seconds <= 3600) return 'hour';
  if (seconds <= 86_400) return 'day';
  return 'month';
}
