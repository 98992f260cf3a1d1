/**
 * Anthropic's Admin usage and cost reports answer in pages
 * (`{data: [{starting_at, ending_at, results}], has_more, next_page}`); users save one
 * page, several back to back (one per line), or a JSON array of pages.
 */
import { granularityOfSeconds, readJsonPages, type JsonPages } from '../json-pages.js';
import { parseUtc } from '../aws-cur/billing-values.js';

export interface AnthropicBucket {
  starting_at: string;
  ending_at: string;
  results: Array<Record<string, unknown>>;
}

export type AnthropicPages = JsonPages<AnthropicBucket>;

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
    if (parseUtc(o.starting_at) === undefined || typeof o.ending_at !== 'string' || parseUtc(o.ending_at) === undefined) {
      return `bucket: expected RFC 3339 starting_at and ending_at, got ${JSON.stringify(o.starting_at)}`;
    }
    out.push({ line, bucket: o as unknown as AnthropicBucket });
    return undefined;
  }
  return 'expected a report page ({"data": [...]}) or a bucket with starting_at and results';
}

export function readAnthropicPages(text: string): AnthropicPages {
  return readJsonPages(text, collect, 'report page');
}

export function granularityOf(startIso: string, endIso: string): 'hour' | 'day' | 'month' {
  return granularityOfSeconds((parseUtc(endIso)!.getTime() - parseUtc(startIso)!.getTime()) / 1000);
}

/** A bucket's starting_at or ending_at (checked by readAnthropicPages) as the ledger's ISO text; no zone is UTC. */
export function bucketTime(text: string): string {
  return parseUtc(text)!.toISOString();
}

/** A bucket's start and end. */
export function bucketTimes(bucket: AnthropicBucket): [Date, Date] {
  return [new Date(bucketTime(bucket.starting_at)), new Date(bucketTime(bucket.ending_at))];
}

/**
 * A result's workspace as the Console names it: the reports give `workspace_id` null for the
 * Default workspace (grouped by workspace_id, as each source's request asks), which the
 * Console CSVs call "Default"; kept null, the same spend would be "(unattributed)" from one
 * and "Default" from the other under `report --by workspace`.
 */
export function workspaceOf(v: unknown): string {
  return str(v) ?? 'Default';
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function count(v: unknown): number | undefined {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}
