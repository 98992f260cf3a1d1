/** Importer for llmfin's own JSONL format (see llmfin-row-schema.ts). */
import { createHash } from 'node:crypto';
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { MAX_LINE_CHARS, type SourceInput } from '../source-input.js';
import { itemBlocks } from '../item-blocks.js';
import { buildEntry } from '../entry-builder.js';
import { LlmfinRow, requestsOf } from './llmfin-row-schema.js';
import { dimsOf, ledgerEntry } from './ledger-entry.js';
import { isFocusExportHeader, readFocusExport } from './focus-export-rows.js';
import { llmfinIssue } from './llmfin-issue.js';
import { csvRowLayout, fastCsvRow, type CsvRowLayout } from './llmfin-csv-row.js';
import { unguardFormulaCells } from '../../shared/formula-cell.js';
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import { dec } from '../../shared/money.js';
import { LEDGER_CONVENTION } from '../../pricing/token-usage.js';
import { jsonLineColumn } from '../json-document.js';
import { HEADER_HINT } from '../header-hint.js';
import { impliedMonthEnd } from '../../ledger/granularity-end.js';

/** llmfin rows are in the ledger's convention whatever the provider. */

export const llmfinImporter: Importer = {
  id: 'llmfin',
  description: "llmfin's own JSONL or CSV: one usage row per line (what `llmfin export` writes); its FOCUS export read back as the ledger rows it came from",
  obtain: 'written by `llmfin export` (jsonl, csv, or focus with its x_llmfin_* columns), or by your own pipeline (fields in src/importers/llmfin/llmfin-row-schema.ts)',
  provenance: 'mixed',
  replacesPeriod: false,
  accountOption: { refused: 'its rows carry their own account column and never replace a period' },
  detect({ head }) {
    const first = head.split('\n', 1)[0]?.trim() ?? '';
    if (!first.startsWith('{')) {
      const header = csvHeaderCells(first);
      if (['ts', 'provider', 'model', 'input_tokens'].every((c) => header.includes(c))) return { ok: true };
      // `llmfin export --format focus`: its x_llmfin_* columns give back the ledger rows.
      if (isFocusExportHeader(header)) return { ok: true };
      return { ok: false, reason: 'first line is not a JSON object, a CSV header with ts, provider, model, input_tokens, nor llmfin\'s FOCUS export (x_llmfin_source, x_llmfin_dedupe_key)' };
    }
    try {
      const row = JSON.parse(first) as Record<string, unknown>;
      // A ledger row written by `llmfin export` (it has cost_status) may have no model: a tax or credit line.
      const model = typeof row.model === 'string' || (row.model === null && typeof row.cost_status === 'string');
      if (typeof row.ts === 'string' && typeof row.provider === 'string' && model && !('resourceSpans' in row)) return { ok: true };
      return { ok: false, reason: 'first row has no "ts", "provider" and "model" fields' };
    } catch {
      return { ok: false, reason: 'first line is not valid JSON' };
    }
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    for await (const items of readBatches(input, ctx)) yield* items;
  },
  readBatches,
};

/** The items of the file a block at a time (`Importer.readBatches`): CSV by its blocks of rows, the other forms in blocks of items. */
async function* readBatches(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem[]> {
  const first = await firstLine(input);
  if (!first.startsWith('{')) {
    const header = csvHeaderCells(first);
    if (isFocusExportHeader(header)) {
      yield* itemBlocks(readFocusExport(input, ctx));
      return;
    }
    // Checked before the CSV reader parses any record: another kind of text (an invoice's
    // YAML forced with --source llmfin) would otherwise fail as "not valid CSV" somewhere
    // below, where the import can no longer tell it is the wrong source.
    if (!CSV_REQUIRED.every((c) => header.includes(c))) {
      yield [{ kind: 'issue', line: 1, message: `expected a JSON object per line, or a CSV header with ${CSV_REQUIRED.join(', ')}, got ${looksLike(first)}`, wholeFile: true }];
      return;
    }
    yield* readCsv(input, ctx);
    return;
  }
  yield* readJsonl(input, ctx);
}

/** The JSONL form: a row object per line, a block of lines at a time. */
async function* readJsonl(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem[]> {
  for await (const lines of input.lineBatches({ maxLineChars: MAX_LINE_CHARS })) {
    const items: ImportItem[] = [];
    for (const { line, text } of lines) {
      const trimmed = text.trim();
      if (trimmed === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(trimmed);
      } catch {
        items.push({ kind: 'issue', line, message: `not valid JSON${jsonLineColumn(trimmed)}` });
        continue;
      }
      items.push(checkedRow(json, line, trimmed, ctx));
    }
    if (items.length > 0) yield items;
  }
}

/** A row zod checks (JSONL, and CSV rows the fast check did not vouch for): its entry, or its first issue. */
function checkedRow(value: unknown, line: number, identityText: string, ctx: ImportContext): ImportItem {
  const parsed = LlmfinRow.safeParse(value);
  if (!parsed.success) {
    const { column, message } = llmfinIssue(parsed.error.issues[0]!, value);
    return { kind: 'issue', line, column, message };
  }
  return { kind: 'entry', line, entry: toEntry(parsed.data, identityText, ctx) };
}

/** The columns a CSV row must have: the header must name them all. */
const CSV_REQUIRED = ['ts', 'provider', 'model'];

const UNKNOWN_COLUMN_HINT = 'nothing was imported from this file: every row has that column, so --skip-invalid cannot help; rename it to a field of the format or drop it (a label of your own goes in "tags"), then import the file again';

/** The columns an llmfin CSV may have: the row schema's fields, in its order. */
const LLMFIN_COLUMNS = Object.keys(LlmfinRow.shape);

/**
 * The header's first column that is no field of the format, if any. A column with no name
 * (a trailing comma a spreadsheet leaves) is left to the rows: empty, its cells are nothing.
 */
function unknownColumn(header: readonly string[]): string | undefined {
  return header.find((name) => name !== '' && !Object.hasOwn(LlmfinRow.shape, name));
}

/** What a first line that is no llmfin header looks like, for the message. */
function looksLike(line: string): string {
  const shown = JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line);
  // `key: value` or a `---` document start: YAML, such as an invoice typed by hand.
  return /^(---|[A-Za-z_][\w.-]*:(\s|$))/.test(line) ? `${shown}, a YAML document` : shown;
}

/** A CSV header line's names (the header of an export quotes none; quotes are taken off anyway). */
function csvHeaderCells(line: string): string[] {
  return line.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
}

async function firstLine(input: SourceInput): Promise<string> {
  for await (const { text } of input.lines({ maxLineChars: MAX_LINE_CHARS })) if (text.trim() !== '') return text.trim();
  return '';
}

const INTEGER_COLUMNS = new Set([
  'requests', 'input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens',
  // The ledger's other token columns, written by `llmfin export --format csv`.
  'uncached_input_tokens', 'input_audio_tokens', 'input_image_tokens', 'output_audio_tokens', 'output_image_tokens', 'web_search_requests',
  // The proxy's columns.
  'status_code', 'latency_ms', 'ttfb_ms',
]);

/** The record `SourceInput.csv()` gives for a row: header-keyed, short rows keep only their cells. */
function recordOf(header: readonly string[], cells: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  const n = Math.min(cells.length, header.length);
  for (let i = 0; i < n; i++) record[header[i]!] = cells[i]!;
  return record;
}

/**
 * The CSV form: the same columns as the JSONL keys; empty cells are absent, `tags` is JSON.
 * Rows the fast check vouches for skip zod (llmfin-csv-row.ts); the rest are parsed as ever.
 * A block of items per block of the file's rows.
 */
async function* readCsv(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem[]> {
  let checked = false;
  let header: string[] | undefined;
  let layout: CsvRowLayout | undefined;
  for await (const batch of input.csvRowBatches()) {
    const items: ImportItem[] = [];
    for (const { line, cells: written } of batch) {
      // `llmfin export` writes a text a spreadsheet would run as a formula with a ' in front.
      const cells = unguardFormulaCells(written);
      if (header === undefined) {
        header = cells.map((h) => h.trim());
        // A column the format lacks is the header's, not each row's: rejected row by row,
        // --skip-invalid would reject the whole file and record a batch of nothing.
        const unknown = unknownColumn(header);
        if (unknown !== undefined) {
          yield [{ kind: 'issue', line: 1, column: unknown, message: `unknown column "${unknown}": expected the columns of llmfin's format (${LLMFIN_COLUMNS.join(', ')}; custom tags go in "tags", as a JSON object)`, wholeFile: true, hint: UNKNOWN_COLUMN_HINT }];
          return;
        }
        layout = csvRowLayout(header);
        continue;
      }
      if (!checked) {
        const first = recordOf(header, cells);
        const missing = CSV_REQUIRED.filter((c) => !(c in first));
        if (missing.length > 0) {
          items.push({ kind: 'issue', line: 1, message: `expected a JSON object per line, or a CSV header with ${missing.join(', ')}`, wholeFile: true, hint: HEADER_HINT });
          yield items;
          return;
        }
        checked = true;
      }
      const fast = layout === undefined ? undefined : fastCsvRow(layout, cells);
      if (fast !== undefined) {
        // Without an id the row's identity is its record's text, as on the zod path.
        items.push({ kind: 'entry', line, entry: toEntry(fast, fast.id === undefined ? JSON.stringify(recordOf(header, cells)) : '', ctx) });
        continue;
      }
      const record = recordOf(header, cells);
      const row: Record<string, unknown> = {};
      let bad: ImportItem | undefined;
      for (const [key, value] of Object.entries(record)) {
        if (value === '') continue;
        if (INTEGER_COLUMNS.has(key)) {
          row[key] = /^\d+$/.test(value) ? Number(value) : value;
        } else if (key === 'tags') {
          try {
            row[key] = JSON.parse(value) as unknown;
          } catch {
            bad = { kind: 'issue', line, column: 'tags', message: `expected a JSON object, got ${JSON.stringify(value.slice(0, 40))}` };
          }
        } else row[key] = value;
      }
      items.push(bad ?? checkedRow(row, line, JSON.stringify(record), ctx));
    }
    if (items.length > 0) yield items;
  }
  // A header alone is what `llmfin export --format csv` writes when no row matched: nothing
  // to import (a header without the columns was refused before any record was read).
}

/** `new Date(ts).toISOString()` of a validated instant, without the Date for the usual forms. */
function canonicalTs(ts: string): string {
  // "…:SS.mmmZ" is already canonical; "…:SSZ" only lacks the milliseconds.
  if (ts.length === 24 && ts.charCodeAt(19) === 46 /* . */ && ts.charCodeAt(23) === 90 /* Z */ && ts.charCodeAt(10) === 84 /* T */) return ts;
  if (ts.length === 20 && ts.charCodeAt(19) === 90 && ts.charCodeAt(10) === 84 && ts.charCodeAt(4) === 45) return `${ts.slice(0, 19)}.000Z`;
  return new Date(ts).toISOString();
}

function toEntry(row: LlmfinRow, text: string, ctx: ImportContext): NewUsageEntry {
  if (row.cost_status !== undefined) return ledgerEntry(row, text, ctx);
  const reported = row.cost_usd === undefined || row.cost_usd === null ? undefined : dec(row.cost_usd).toFixed();
  const entry = buildEntry(
    {
      source: row.source ?? 'llmfin',
      provenance: row.provenance,
      dedupeKey: row.id ?? createHash('sha256').update(text).digest('hex').slice(0, 32),
      provider: row.provider,
      ts: canonicalTs(row.ts),
      tsEnd: row.ts_end ? canonicalTs(row.ts_end) : impliedMonthEnd(row.ts, row.granularity),
      granularity: row.granularity,
      model: row.model,
      modelRequested: row.model_requested,
      account: row.account,
      convention: LEDGER_CONVENTION,
      serviceTier: row.service_tier ?? undefined,
      region: row.region ?? undefined,
      requests: requestsOf(row),
      usage: {
        input: row.input_tokens,
        output: row.output_tokens,
        cacheRead: row.cache_read_tokens,
        cacheWrite5m: row.cache_write_5m_tokens,
        cacheWrite1h: row.cache_write_1h_tokens,
        reasoning: row.reasoning_tokens,
        // Parts of the input and output counts, priced at the model's audio and image rates:
        // left out, a realtime call's audio would be priced as text, at an eighth of its cost.
        inputAudio: row.input_audio_tokens,
        inputImage: row.input_image_tokens,
        outputAudio: row.output_audio_tokens,
        outputImage: row.output_image_tokens,
        webSearches: row.web_search_requests,
      },
      // A billed row's money is the provider's number; our price stays beside it for reconciliation.
      billedUsd: row.provenance === 'billed' ? reported : undefined,
      chargeCategory: row.charge_category,
      description: row.description,
      dims: dimsOf(row),
      tags: row.tags ?? undefined,
      // No raw_usage: it keeps what a source said that its columns do not, and every field of
      // an llmfin row has its column. Restating the token counts as JSON was a third of each
      // stored row; without it a 1M-row import wrote 36% less table and spent 11% less CPU.
    },
    ctx,
  );
  // A non-billed row may still carry a cost its source computed: keep it beside ours.
  if (row.provenance !== 'billed' && reported !== undefined) entry.reported_cost_usd = reported;
  // Set only when present, not spread into a copy: a copy of every entry, a million a file,
  // made the import 3.4x slower (its new shape slowed every read of it after).
  if (row.status_code != null) entry.status_code = row.status_code;
  if (row.latency_ms != null) entry.latency_ms = row.latency_ms;
  if (row.ttfb_ms != null) entry.ttfb_ms = row.ttfb_ms;
  if (row.prompt_hash != null) entry.prompt_hash = row.prompt_hash;
  return entry;
}
