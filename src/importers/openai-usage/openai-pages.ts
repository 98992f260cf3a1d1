/**
 * OpenAI's Usage and Costs APIs answer in pages (`{object: "page", data: [bucket…]}`).
 * Users save one page, several pages back to back (one per line), or a JSON array of
 * pages or of buckets; this reads all of them into buckets with the line each came from.
 */
import { granularityOfSeconds, readJsonPages, type JsonPages } from '../json-pages.js';

export interface OpenAiBucket {
  start_time: number;
  end_time: number;
  results: Array<Record<string, unknown>>;
}

export type PagesResult = JsonPages<OpenAiBucket>;

function bucketsOf(value: unknown, line: number, out: Array<{ line: number; bucket: OpenAiBucket }>): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const error = bucketsOf(v, line, out);
      if (error) return error;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return `expected a page or bucket object, got ${JSON.stringify(value)?.slice(0, 40)}`;
  const o = value as Record<string, unknown>;
  if (o.object === 'page' && Array.isArray(o.data)) return bucketsOf(o.data, line, out);
  if (o.object === 'bucket' || ('start_time' in o && Array.isArray(o.results))) {
    if (typeof o.start_time !== 'number' || typeof o.end_time !== 'number') return 'bucket: expected numeric start_time and end_time (Unix seconds)';
    out.push({ line, bucket: o as unknown as OpenAiBucket });
    return undefined;
  }
  return `expected "object": "page" or "bucket", got ${JSON.stringify(o.object ?? null)}`;
}

export function readPages(text: string): PagesResult {
  return readJsonPages(text, bucketsOf, 'API page');
}

/** A bucket's start and end (Unix seconds in the pages). */
export function bucketTimes(bucket: OpenAiBucket): [Date, Date] {
  return [new Date(bucket.start_time * 1000), new Date(bucket.end_time * 1000)];
}

/** Bucket width → ledger granularity (the API's 1m, 1h and 1d buckets). */
export const granularityOf = granularityOfSeconds;

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function int(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}
