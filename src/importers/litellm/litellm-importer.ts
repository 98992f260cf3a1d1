/**
 * Importer for LiteLLM proxy spend logs (the LiteLLM_SpendLogs table, one row per
 * request): a CSV export of the table, JSONL (one row per line), or a saved
 * `GET /spend/logs` response (a JSON array, or `{"data": [...]}` from /spend/logs/v2).
 * See litellm-row.ts for what each row becomes.
 */
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { csvRecordsOrError, MAX_LINE_CHARS, type SourceInput } from '../source-input.js';
import { arrayObjectLines, parseJsonDocument, unreadableDocument } from '../json-document.js';
import { readSpendLog } from './litellm-row.js';
import { HEADER_HINT } from '../header-hint.js';

/** Columns (and JSON keys) that make a spend-log row. */
const MARKERS = ['request_id', 'spend', 'starttime'];

function item(line: number, row: unknown, ctx: ImportContext): ImportItem {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    return { kind: 'issue', line, message: `expected a spend-log row (a JSON object), got ${Array.isArray(row) ? 'an array' : JSON.stringify(row)}` };
  }
  const result = readSpendLog(row as Record<string, unknown>, ctx);
  return result.ok ? { kind: 'entry', line, entry: result.entry } : { kind: 'issue', line, column: result.column, message: result.message };
}

async function firstLine(input: SourceInput): Promise<{ line: number; text: string } | undefined> {
  try {
    for await (const l of input.lines()) if (l.text.trim() !== '') return { line: l.line, text: l.text.trim() };
  } catch {
    // Unreadable (corrupt gzip): reported by the reader that follows.
  }
  return undefined;
}


export const litellmImporter: Importer = {
  id: 'litellm',
  description: 'LiteLLM proxy spend logs (LiteLLM_SpendLogs: one row per request) as CSV, JSONL or a /spend/logs JSON response',
  obtain: 'LiteLLM proxy: `GET /spend/logs?start_date=…&end_date=…` saved as JSON, or the LiteLLM_SpendLogs table exported from its database (psql \\copy … CSV HEADER)',
  provenance: 'metered',
  replacesPeriod: false,
  accountOption: { refused: 'its rows are keyed by request ids that no other proxy\'s logs have, and never replace a period' },
  sameTrafficAs: 'litellm-activity',
  detect({ head }) {
    const start = head.trimStart();
    if (start.startsWith('{') || start.startsWith('[')) {
      if (/"results"\s*:/.test(head) && /"breakdown"\s*:/.test(head)) {
        return { ok: false, reason: 'a LiteLLM daily-activity report (/user/daily/activity), not per-request spend logs' };
      }
      const keys = MARKERS.filter((k) => new RegExp(`"${k}"\\s*:`, 'i').test(head));
      return keys.length === MARKERS.length ? { ok: true } : { ok: false, reason: 'no "request_id", "spend" and "startTime" keys' };
    }
    const header = new Set((start.split(/\r?\n/, 1)[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase()));
    return MARKERS.every((m) => header.has(m)) ? { ok: true } : { ok: false, reason: 'no "request_id", "spend" and "startTime" columns' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    const first = await firstLine(input);
    if (!first) {
      yield { kind: 'issue', line: 1, message: 'expected spend-log rows, got an empty file', wholeFile: true };
      return;
    }
    let jsonl = false;
    if (first.text.startsWith('{')) {
      try {
        const row = JSON.parse(first.text) as Record<string, unknown>;
        jsonl = row !== null && typeof row === 'object' && 'request_id' in row;
      } catch {
        // A pretty-printed document: read as a whole below.
      }
    }
    if (jsonl) {
      for await (const { line, text } of input.lines({ maxLineChars: MAX_LINE_CHARS })) {
        if (text.trim() === '') continue;
        let row: unknown;
        try {
          row = JSON.parse(text);
        } catch {
          yield { kind: 'issue', line, message: 'expected a JSON object on this line, got invalid JSON' };
          continue;
        }
        yield item(line, row, ctx);
      }
      return;
    }
    if (first.text.startsWith('{') || first.text.startsWith('[')) {
      const text = await input.text();
      const doc = parseJsonDocument(text);
      if (!doc.ok) throw unreadableDocument(input.fileName, doc.line, doc.message);
      const wrapped = !Array.isArray(doc.value) && doc.value !== null && typeof doc.value === 'object';
      const rows = Array.isArray(doc.value) ? doc.value : wrapped ? (doc.value as { data?: unknown }).data : undefined;
      if (!Array.isArray(rows)) {
        yield { kind: 'issue', line: first.line, message: 'expected an array of spend-log rows (or {"data": [...]}), got another JSON value' };
        return;
      }
      const lines = arrayObjectLines(text, wrapped ? 'data' : undefined);
      const lineOf = (i: number) => (lines.length === rows.length ? lines[i]! : first.line);
      for (const [i, row] of rows.entries()) yield item(lineOf(i), row, ctx);
      return;
    }
    const header = new Set(first.text.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase()));
    const missing = MARKERS.find((m) => !header.has(m));
    if (missing) {
      yield { kind: 'issue', line: first.line, column: missing, message: `expected a spend-log CSV header with a "${missing}" column, got none`, wholeFile: true, hint: HEADER_HINT };
      return;
    }
    let last = first.line;
    for await (const rec of csvRecordsOrError(input)) {
      if ('error' in rec) {
        yield { kind: 'issue', line: rec.line ?? last + 1, message: `expected CSV, got unreadable data (${rec.error})` };
        return;
      }
      last = rec.line;
      if (Object.values(rec.record).every((v) => v.trim() === '')) continue;
      // Column names as in the table (startTime); match them whatever the export's case.
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rec.record)) row[k === 'starttime' || k === 'StartTime' ? 'startTime' : k] = v;
      yield item(rec.line, row, ctx);
    }
  },
};
