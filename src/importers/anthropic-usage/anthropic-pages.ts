/**
 * Anthropic's Admin usage and cost reports answer in pages
 * (`{data: [{starting_at, ending_at, results}], has_more, next_page}`); users save one
 * page, several back to back (one per line), or a JSON array of pages.
 */
export interface AnthropicBucket {
  starting_at: string;
  ending_at: string;
  results: Array<Record<string, unknown>>;
}

export type AnthropicPages = { ok: true; buckets: Array<{ line: number; bucket: AnthropicBucket }> } | { ok: false; line: number; message: string };

function collect(value: unknown, line: number, out: Array<{ line: number; bucket: AnthropicBucket }>): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const e = collect(v, line, out);
      if (e) return e;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return 'expected a report page ({"data": [...]}) or bucket';
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.data)) return collect(o.data, line, out);
  if (typeof o.starting_at === 'string' && Array.isArray(o.results)) {
    if (Number.isNaN(Date.parse(o.starting_at)) || typeof o.ending_at !== 'string' || Number.isNaN(Date.parse(o.ending_at))) {
      return `bucket: expected RFC 3339 starting_at and ending_at, got ${JSON.stringify(o.starting_at)}`;
    }
    out.push({ line, bucket: o as unknown as AnthropicBucket });
    return undefined;
  }
  return 'expected a report page ({"data": [...]}) or a bucket with starting_at and results';
}

export function readAnthropicPages(text: string): AnthropicPages {
  const out: Array<{ line: number; bucket: AnthropicBucket }> = [];
  try {
    const e = collect(JSON.parse(text), 1, out);
    return e ? { ok: false, line: 1, message: e } : { ok: true, buckets: out };
  } catch {
    // Pages back to back, one per line.
  }
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, line: i + 1, message: 'not valid JSON (expected one report page per line, or one JSON document)' };
    }
    const e = collect(value, i + 1, out);
    if (e) return { ok: false, line: i + 1, message: e };
  }
  return { ok: true, buckets: out };
}

export function granularityOf(startIso: string, endIso: string): 'hour' | 'day' | 'month' {
  const seconds = (Date.parse(endIso) - Date.parse(startIso)) / 1000;
  if (seconds <= 3600) return 'hour';
  if (seconds <= 86_400) return 'day';
  return 'month';
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function count(v: unknown): number | undefined {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}
