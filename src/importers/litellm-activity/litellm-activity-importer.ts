/**
 * Importer for LiteLLM's daily activity reports: what the proxy's Usage page shows, saved
 * from `GET /user/daily/activity` (or `/team/…`, `/tag/…`) — spend, tokens and requests
 * per day, model and API key. Easier to get than the spend logs (no database access), and
 * coarser: a row per day, model and key (litellm-activity-day.ts). A report re-saved
 * later (today's figures grow) replaces the days it covers for the same entity.
 */
import type { Importer, ImportItem } from '../importer.js';
import { readJsonPages, type CollectBuckets } from '../json-pages.js';
import { unreadableDocument } from '../json-document.js';
import { readActivityDay } from './litellm-activity-day.js';

interface Report {
  results: unknown[];
  /** The users, teams or tags the report is about: the rows' account, which scopes replacement. */
  account: string | null;
  /** The page's `metadata.page` and `total_pages` when it says more pages follow (`has_more`). */
  more?: { page: unknown; totalPages: unknown };
}

const collect: CollectBuckets<Report> = (value, line, out) => {
  const docs = Array.isArray(value) ? value : [value];
  for (const doc of docs) {
    const results = doc !== null && typeof doc === 'object' ? (doc as { results?: unknown }).results : undefined;
    if (!Array.isArray(results)) return 'expected a daily-activity report (an object with "results": [days…])';
    const entities = new Set<string>();
    for (const day of results) {
      const e = (day as { breakdown?: { entities?: unknown } } | null)?.breakdown?.entities;
      if (e !== null && typeof e === 'object') for (const k of Object.keys(e)) entities.add(k);
    }
    const metadata = (doc as { metadata?: { has_more?: unknown; page?: unknown; total_pages?: unknown } }).metadata;
    const more = metadata?.has_more === true ? { more: { page: metadata.page, totalPages: metadata.total_pages } } : {};
    out.push({ line, bucket: { results, account: entities.size > 0 ? [...entities].sort().join(',') : null, ...more } });
  }
  return undefined;
};

export const litellmActivityImporter: Importer = {
  id: 'litellm-activity',
  description: 'LiteLLM daily activity reports (GET /user/daily/activity, the proxy Usage page): spend and tokens per day, model and API key',
  obtain: 'LiteLLM proxy: `GET /user/daily/activity?start_date=…&end_date=…` (or /team/daily/activity) with an admin key, saved as JSON; each page of a long report is one more document',
  provenance: 'metered',
  replacesPeriod: true,
  accountOption: 'prefix',
  sameTrafficAs: 'litellm',
  detect({ head }) {
    if (/"results"\s*:/.test(head) && /"breakdown"\s*:/.test(head) && /"metrics"\s*:/.test(head)) return { ok: true };
    return { ok: false, reason: 'no "results" with "metrics" and "breakdown" (a LiteLLM daily-activity report)' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    const pages = readJsonPages(await input.text(), collect, 'report page');
    if (!pages.ok) throw unreadableDocument(input.fileName, pages.line, pages.message);
    for (const { bucket, resultLines } of pages.buckets) {
      for (const [i, day] of bucket.results.entries()) {
        const line = resultLines[i] ?? 1;
        const r = readActivityDay(day, bucket.account, ctx);
        if (!r.ok) {
          yield { kind: 'issue', line, column: r.column, message: r.message };
          continue;
        }
        for (const entry of r.entries) yield { kind: 'entry', line, entry };
      }
    }
    // LiteLLM pages the report by its daily records, so a day may go on in the next page,
    // and this file's import replaces the days it covers with what it holds.
    const last = pages.buckets.at(-1);
    if (last?.bucket.more !== undefined) {
      const { page, totalPages } = last.bucket.more;
      const of = typeof page === 'number' && typeof totalPages === 'number' ? `, page ${page} of ${totalPages}` : '';
      yield { kind: 'note', note: `the report is incomplete: its last page (line ${last.line}${of}) has "has_more": true, and no page after it is in the file; request the next pages (page=2, 3, … of the same URL) until has_more is false, and import them together with this one in one file` };
    }
  },
};
