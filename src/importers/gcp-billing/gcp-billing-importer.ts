/**
 * Google Cloud Billing export importer: rows of the BigQuery billing export
 * (`gcp_billing_export_v1_*`) saved as newline-delimited JSON (`bq extract`), a JSON array
 * (`bq query --format=json`), or a flattened CSV of a query. Every row is billed money
 * (cost before credits, each credit its own row) so that a project's month matches the
 * invoice; Vertex AI and Gemini API token SKUs also carry model, tokens and llmfin's
 * estimate (gcp-row.ts). An export is the whole truth for its projects and hours, and a
 * later one (late rows, corrections) replaces it (replacesPeriod).
 *
 * Unlike a CUR, a file states no billing period: it is a query over the export table, of a
 * day, a week or an invoice month, and stating its rows' invoice month would have each
 * day's file of a month replace the days before it. A month-long row (tax, a credit, a
 * commitment) of an earlier version that a re-export of the month no longer has is replaced
 * all the same, as the only thing that version said of the hours past the file's rows
 * (record-import-stream.ts, sweepStraddlingRows).
 */
import type { Importer, ImportItem } from '../importer.js';
import type { SourceInput } from '../source-input.js';
import { MAX_LINE_CHARS, readSample } from '../source-input.js';
import { modelResolver, uniqueKeys } from '../aws-cur/billing-values.js';
import { checkedCsv, headerOf } from '../aws-cur/checked-csv.js';
import { JsonNumber, JsonSyntaxError, lineAt, parseExactJson, type JsonValue } from './exact-json.js';
import { GCP_FIELDS, gcpCsvColumns, gcpHeaderProblem, gcpUsageProblem, jsonRowProblem, rowFromCsv, rowFromJson, type RowResult } from './gcp-rows.js';
import { gcpRowToEntries, type GcpRowContext } from './gcp-row.js';
import { unreadableDocument } from '../json-document.js';

type JsonObject = { [key: string]: JsonValue };
const isObject = (v: JsonValue): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
const firstChar = (head: string) => head.trimStart()[0];

export const gcpBillingImporter: Importer = {
  id: 'gcp-billing',
  description: 'Google Cloud Billing export (BigQuery rows as JSONL, JSON or flattened CSV): Vertex AI and Gemini API token SKUs with model and tokens, credits as their own rows, every other row kept as billed',
  obtain: 'Cloud Billing → Billing export → BigQuery (standard usage cost); then `bq extract --destination_format NEWLINE_DELIMITED_JSON` the table, or save a query over it as JSON/CSV',
  provenance: 'billed',
  replacesPeriod: true,
  accountOption: { refused: 'every row names its Google Cloud project or billing account, which no other organisation\'s export shares' },
  detect({ head }) {
    const c = firstChar(head);
    if (c === '{') {
      try {
        const first = parseExactJson(head.split('\n', 1)[0]!);
        const problem = isObject(first) ? jsonRowProblem(first) : 'expected a JSON object';
        return problem ? { ok: false, reason: 'first row has no "sku.description", "usage_start_time" and "cost" fields' } : { ok: true };
      } catch {
        return { ok: false, reason: 'first line is not a complete JSON object (one billing row per line)' };
      }
    }
    if (c === '[') {
      // A JSON array may be larger than the sample: look for the export's keys instead of parsing it.
      const keys = /"sku"\s*:\s*\{/.test(head) && /"usage_start_time"\s*:/.test(head) && /"cost"\s*:/.test(head);
      return keys ? { ok: true } : { ok: false, reason: 'JSON array without "sku", "usage_start_time" and "cost" fields' };
    }
    const problem = gcpHeaderProblem(headerOf(head));
    return problem ? { ok: false, reason: `no "${problem.column}" column` } : { ok: true };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    const uniqueKey = uniqueKeys();
    const resolve = modelResolver(ctx.pricer);
    const c = firstChar(readSample(input.path, input.fileName).head);
    const rows = c === '{' ? jsonLines(input) : c === '[' ? jsonArray(input) : csvRows(input);
    for await (const item of rows) {
      if ('message' in item) {
        yield { kind: 'issue', ...item };
        continue;
      }
      if ('column' in item.result) {
        yield { kind: 'issue', line: item.line, column: item.result.column, message: item.result.message };
        continue;
      }
      const context: GcpRowContext = { ctx, uniqueKey, resolve, column: item.column };
      const entries = gcpRowToEntries(item.result.row, context);
      if ('message' in entries) yield { kind: 'issue', line: item.line, column: entries.column, message: entries.message };
      else for (const entry of entries) yield { kind: 'entry', line: item.line, entry };
    }
  },
};

type Read =
  | { line: number; result: RowResult; column: GcpRowContext['column'] }
  | { line: number; column?: string | undefined; message: string; wholeFile?: true; hint?: string };

const jsonColumn: GcpRowContext['column'] = (f) => GCP_FIELDS[f];

function fromJson(value: JsonValue, line: number, where: string): Read {
  if (!isObject(value)) return { line, message: `expected a JSON object for ${where}, got ${Array.isArray(value) ? 'an array' : 'a scalar'}` };
  return { line, result: rowFromJson(value), column: jsonColumn };
}

async function* jsonLines(input: SourceInput): AsyncGenerator<Read> {
  let last = 0;
  try {
    for await (const { line, text } of input.lines({ maxLineChars: MAX_LINE_CHARS })) {
      last = line;
      if (text.trim() === '') continue;
      let value: JsonValue;
      try {
        value = parseExactJson(text);
      } catch (error) {
        yield { line, message: `expected one JSON object per line, got invalid JSON (${(error as Error).message})` };
        continue;
      }
      yield fromJson(value, line, 'the row');
    }
  } catch (error) {
    yield { line: last + 1, message: `expected a readable file, got ${(error as Error).message}` };
  }
}

/** `bq query --format=json` writes one array: it is read whole (API-sized results, not a month of CUR-sized data). */
async function* jsonArray(input: SourceInput): AsyncGenerator<Read> {
  let text: string;
  try {
    text = await input.text();
  } catch (error) {
    yield { line: 1, message: `expected a readable file, got ${(error as Error).message}`, wholeFile: true };
    return;
  }
  let doc: JsonValue;
  const offsets: number[] = [];
  try {
    doc = parseExactJson(text, offsets);
  } catch (error) {
    const line = error instanceof JsonSyntaxError ? lineAt(text, error.offset) : 1;
    // Refused whole, --skip-invalid or not: a document that does not parse has no row to keep.
    throw unreadableDocument(input.fileName, line, `expected a JSON array of billing rows, got invalid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(doc)) {
    yield { line: 1, message: 'expected a JSON array of billing rows', wholeFile: true };
    return;
  }
  // Each element's line is where it starts in the document.
  let line = 1;
  let from = 0;
  for (const [i, value] of doc.entries()) {
    line = lineAt(text, offsets[i] ?? from, from, line);
    from = offsets[i] ?? from;
    yield fromJson(value, line, `element ${i}`);
  }
}

async function* csvRows(input: SourceInput): AsyncGenerator<Read> {
  let cols: ReturnType<typeof gcpCsvColumns> | undefined;
  const check = (header: string[]) => {
    cols = gcpCsvColumns(header);
    return gcpHeaderProblem(header) ?? gcpUsageProblem(header);
  };
  for await (const item of checkedCsv(input, check)) {
    if (item.kind === 'issue') yield item;
    else yield { line: item.line, result: rowFromCsv(item.record, cols!), column: (f) => cols!(f) ?? GCP_FIELDS[f] };
  }
}
