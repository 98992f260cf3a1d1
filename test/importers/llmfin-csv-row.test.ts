// The llmfin CSV fast path (fastCsvRow) skips zod for rows it can vouch for: it must
// never accept a row the schema refuses, and must give the schema's parsed row.
import { describe, expect, it } from 'vitest';
import { csvRowLayout, fastCsvRow, isValidUtcInstant } from '../../src/importers/llmfin/llmfin-csv-row.js';
import { LlmfinRow } from '../../src/importers/llmfin/llmfin-row-schema.js';
import { prng } from '../../src/shared/prng.js';


const INTEGER = new Set(['requests', 'input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens', 'uncached_input_tokens', 'input_audio_tokens', 'input_image_tokens', 'output_audio_tokens', 'output_image_tokens', 'web_search_requests']);

/** What the importer's zod path does with the same cells (llmfin-importer.ts readCsv). */
function slowRow(header: string[], cells: string[]): { ok: true; row: unknown } | { ok: false } {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < Math.min(header.length, cells.length); i++) {
    const [key, value] = [header[i]!, cells[i]!];
    if (value === '') continue;
    if (INTEGER.has(key)) row[key] = /^\d+$/.test(value) ? Number(value) : value;
    else if (key === 'tags') {
      try {
        row[key] = JSON.parse(value) as unknown;
      } catch {
        return { ok: false };
      }
    } else row[key] = value;
  }
  const parsed = LlmfinRow.safeParse(row);
  return parsed.success ? { ok: true, row: parsed.data } : { ok: false };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

function timestamp(rnd: () => number): string {
  const good = new Date(Date.UTC(1990 + Math.floor(rnd() * 60), 0, 1) + Math.floor(rnd() * 366 * 86_400_000)).toISOString();
  return pick(rnd, [
    good,
    good.replace('.000Z', 'Z'),
    good.replace(/\.\d+Z$/, '.5Z'),
    good.replace(/\.\d+Z$/, '.123456789Z'),
    good.replace('Z', '+02:00'),
    good.replace('T', ' '),
    `${2000 + Math.floor(rnd() * 30)}-${String(Math.floor(rnd() * 14)).padStart(2, '0')}-${String(Math.floor(rnd() * 33)).padStart(2, '0')}T${String(Math.floor(rnd() * 26)).padStart(2, '0')}:${String(Math.floor(rnd() * 62)).padStart(2, '0')}:${String(Math.floor(rnd() * 62)).padStart(2, '0')}Z`,
    '2024-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2000-02-29T12:00:00Z',
    'yesterday',
  ]);
}

function cell(rnd: () => number, column: string): string {
  if (rnd() < 0.15) return '';
  if (column === 'ts' || column === 'ts_end') return timestamp(rnd);
  if (INTEGER.has(column)) return pick(rnd, [String(Math.floor(rnd() * 100_000)), '0', '-3', '1.5', '1e3', '9'.repeat(16), ' 12', 'NaN']);
  if (column === 'cost_usd' || column === 'reported_cost_usd' || column === 'estimated_cost_usd') return pick(rnd, ['0.0123', '-1.5', '12', '.5', '1.', 'abc', '1e-3']);
  if (column === 'tags') return pick(rnd, ['{"env":"prod"}', '{}', '{"n":1}', '[]', 'null', '{"a":"b","c":"d"}', '{bad', '"x"', '{"__proto__":"x"}']);
  if (column === 'granularity') return pick(rnd, ['request', 'hour', 'day', 'month', 'week', 'Day']);
  if (column === 'provenance') return pick(rnd, ['billed', 'provider_usage', 'metered', 'estimated']);
  if (column === 'service_tier') return pick(rnd, ['standard', 'batch', 'flex', 'priority', 'fast', 'scale']);
  if (column === 'charge_category') return pick(rnd, ['usage', 'tax', 'credit', 'support', 'bogus']);
  return pick(rnd, ['x', 'gpt-4o', 'openai', ' spaced ', 'a,b', 'ünïcode']);
}

/** A value the schema takes for `column` (mostly-valid rows are where the fast path works). */
function validCell(rnd: () => number, column: string, i: number): string {
  if (column === 'ts' || column === 'ts_end') return new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  if (INTEGER.has(column)) return String(Math.floor(rnd() * 100_000));
  if (column === 'cost_usd' || column === 'reported_cost_usd' || column === 'estimated_cost_usd') return '0.0123';
  if (column === 'tags') return '{"env":"prod"}';
  if (column === 'granularity') return 'day';
  if (column === 'provenance') return 'billed';
  if (column === 'service_tier') return 'batch';
  if (column === 'charge_category') return 'usage';
  return 'm';
}

const COLUMNS = [
  'id', 'ts', 'ts_end', 'granularity', 'provenance', 'provider', 'model', 'model_requested', 'account', 'requests', 'input_tokens', 'cache_read_tokens',
  'cache_write_5m_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens', 'service_tier', 'region', 'cost_usd', 'team', 'feature', 'customer',
  'agent', 'project', 'environment', 'api_key', 'workspace', 'user', 'trace_id', 'request_id', 'tags', 'source', 'charge_category', 'currency', 'description',
  'uncached_input_tokens', 'input_audio_tokens', 'output_image_tokens', 'web_search_requests', 'reported_cost_usd', 'raw_usage',
];

describe('fastCsvRow', () => {
  it('accepts only rows the schema accepts, and parses them as the schema does', () => {
    const rnd = prng(42);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      // A header of a random subset of the columns, in a random order.
      const header = COLUMNS.filter((c) => ['ts', 'provider', 'model'].includes(c) || rnd() < 0.5).sort(() => rnd() - 0.5);
      const layout = csvRowLayout(header)!;
      const mostlyValid = rnd() < 0.5;
      const cells = header.map((c) => (mostlyValid && rnd() < 0.97 ? validCell(rnd, c, i) : cell(rnd, c)));
      if (rnd() < 0.1) cells.length = Math.floor(rnd() * cells.length);
      const got = fastCsvRow(layout, cells);
      if (got === undefined) continue;
      fast++;
      const slow = slowRow(header, cells);
      expect({ cells, ok: slow.ok }).toEqual({ cells, ok: true });
      if (slow.ok) expect(got).toEqual(slow.row);
    }
    // The fast path must actually serve a good share of these rows.
    expect(fast).toBeGreaterThan(1000);
  });

  it('leaves headers it cannot vouch for to zod', () => {
    expect(csvRowLayout(['ts', 'provider', 'model', 'colour'])).toBeUndefined();
    expect(csvRowLayout(['ts', 'provider', 'model', 'model'])).toBeUndefined();
    expect(csvRowLayout(['ts', 'provider', 'model', 'cost_status'])).toBeUndefined();
    expect(csvRowLayout(['ts', 'provider', 'model', '__proto__'])).toBeUndefined();
  });

  it('takes as UTC instants only text the schema takes', () => {
    const rnd = prng(3);
    const schema = LlmfinRow.shape.ts;
    for (let i = 0; i < 20_000; i++) {
      const text = timestamp(rnd);
      if (isValidUtcInstant(text)) expect([text, schema.safeParse(text).success]).toEqual([text, true]);
    }
    expect(isValidUtcInstant('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(isValidUtcInstant('2023-02-29T00:00:00Z')).toBe(false);
  });
});
