/**
 * The fast reading of an llmfin CSV row: straight from the cells to the `LlmfinRow`
 * that the zod schema would give, for the rows a hand-written check can tell are valid
 * (zod's parse was the largest single cost of a million-row import). A row it cannot
 * vouch for — an unknown column, a bad value, a ledger row with `cost_status` — gets
 * `undefined`, and the importer validates it with zod as before, so every error message
 * stays the schema's. The check only ever accepts a subset of what the schema accepts
 * (test/importers/llmfin-csv-row.test.ts compares the two on many random rows).
 */
import { CHARGE_CATEGORIES, GRANULARITIES, PROVENANCES } from '../../ledger/ledger-schema.js';
import { SERVICE_TIERS } from '../../pricing/catalogue-schema.js';
import type { LlmfinRow } from './llmfin-row-schema.js';

type Kind = 'text' | 'count' | 'ts' | 'money' | 'tags' | 'granularity' | 'provenance' | 'service_tier' | 'charge_category' | 'currency';

/** How each column a plain (non-ledger) row may carry is checked; anything else goes to zod. */
const KINDS: Record<string, Kind> = {
  id: 'text', provider: 'text', model: 'text', model_requested: 'text', account: 'text', region: 'text', source: 'text', currency: 'currency',
  team: 'text', feature: 'text', customer: 'text', agent: 'text', project: 'text', environment: 'text', api_key: 'text', workspace: 'text',
  user: 'text', trace_id: 'text', request_id: 'text', description: 'text', matched_model: 'text', offering: 'text', price_ref: 'text',
  catalogue_version: 'text', raw_usage: 'text', prompt_hash: 'text',
  requests: 'count', input_tokens: 'count', cache_read_tokens: 'count', cache_write_5m_tokens: 'count', cache_write_1h_tokens: 'count',
  output_tokens: 'count', reasoning_tokens: 'count', uncached_input_tokens: 'count', input_audio_tokens: 'count', input_image_tokens: 'count',
  output_audio_tokens: 'count', output_image_tokens: 'count', web_search_requests: 'count',
  status_code: 'count', latency_ms: 'count', ttfb_ms: 'count',
  ts: 'ts', ts_end: 'ts',
  cost_usd: 'money', reported_cost_usd: 'money', estimated_cost_usd: 'money',
  tags: 'tags', granularity: 'granularity', provenance: 'provenance', service_tier: 'service_tier', charge_category: 'charge_category',
};

const ENUMS: Record<'granularity' | 'provenance' | 'service_tier' | 'charge_category' | 'currency', ReadonlySet<string>> = {
  granularity: new Set(GRANULARITIES),
  provenance: new Set(PROVENANCES),
  service_tier: new Set(SERVICE_TIERS),
  charge_category: new Set(CHARGE_CATEGORIES),
  // As `llmfin export` writes it; "usd" and the rest go to zod (which upper-cases or refuses).
  currency: new Set(['USD']),
};

/** The header resolved once: each column's name and check; undefined when the fast path cannot apply. */
export interface CsvRowLayout {
  names: string[];
  kinds: Kind[];
}

/**
 * The layout of a header, or undefined when the fast path cannot read it: an unknown
 * column (strict schema), a repeated one (the record keeps the last), a `cost_status` column.
 */
export function csvRowLayout(header: readonly string[]): CsvRowLayout | undefined {
  const kinds: Kind[] = [];
  for (const name of header) {
    const kind = Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
    if (kind === undefined) return undefined;
    kinds.push(kind);
  }
  if (new Set(header).size !== header.length) return undefined;
  return { names: [...header], kinds };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number the ASCII digits of `text` from `from` to `to` spell, or -1 when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A UTC instant the schema's `z.iso.datetime({ offset: true })` accepts (a subset of them:
 * `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`). Read by character codes: a regular expression's match
 * array and six Number() calls cost more than the rest of a row's checks.
 */
export function isValidUtcInstant(text: string): boolean {
  const n = text.length;
  if (n < 20 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  // Fraction: none, or a dot and 1 to 9 digits.
  if (n > 20 && (n === 21 || text.charCodeAt(19) !== 46 /* . */ || digits(text, 20, n - 1) < 0)) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS[month - 1]!)) return false;
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

const MONEY = /^-?\d+(\.\d+)?$/;

/** A flat JSON object of strings, as `z.record(z.string(), z.string())` accepts; else undefined. */
function stringRecord(text: string): Record<string, string> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) if (typeof record[key] !== 'string' || key === '__proto__') return undefined;
  return record as Record<string, string>;
}

/** The parsed row, or undefined when zod must decide (see the module comment). */
export function fastCsvRow(layout: CsvRowLayout, cells: readonly string[]): LlmfinRow | undefined {
  const row: Record<string, unknown> = {
    granularity: 'request', provenance: 'metered',
    input_tokens: 0, cache_read_tokens: 0, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0, output_tokens: 0, reasoning_tokens: 0,
    web_search_requests: 0,
  };
  const n = Math.min(cells.length, layout.names.length);
  let hasTs = false;
  let hasProvider = false;
  let hasModel = false;
  for (let i = 0; i < n; i++) {
    const value = cells[i]!;
    if (value === '') continue;
    const name = layout.names[i]!;
    switch (layout.kinds[i]!) {
      case 'text':
        row[name] = value;
        break;
      case 'count': {
        // 1 to 15 digits (a safe integer), read by character codes rather than a regular expression.
        const count = value.length > 15 ? -1 : digits(value, 0, value.length);
        if (count < 0) return undefined;
        row[name] = count;
        break;
      }
      case 'ts':
        if (!isValidUtcInstant(value)) return undefined;
        row[name] = value;
        break;
      case 'money':
        if (!MONEY.test(value)) return undefined;
        row[name] = value;
        break;
      case 'tags': {
        const tags = stringRecord(value);
        if (tags === undefined) return undefined;
        row[name] = tags;
        break;
      }
      default:
        if (!ENUMS[layout.kinds[i] as keyof typeof ENUMS].has(value)) return undefined;
        row[name] = value;
    }
    if (name === 'ts') hasTs = true;
    else if (name === 'provider') hasProvider = true;
    else if (name === 'model') hasModel = true;
  }
  // A billed row without its amount is refused, which zod reports.
  if (row.provenance === 'billed' && row.cost_usd === undefined) return undefined;
  return hasTs && hasProvider && hasModel ? (row as LlmfinRow) : undefined;
}
