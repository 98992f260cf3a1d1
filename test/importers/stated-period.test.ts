// A corrected API export replaces the period its pages state (every bucket asked for,
// empty ones too), not only the hours or days its rows fall on.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anthropicUsageImporter } from '../../src/importers/anthropic-usage/anthropic-usage-importer.js';
import { openaiCostsImporter } from '../../src/importers/openai-costs/openai-costs-importer.js';
import { pagesPeriod } from '../../src/importers/json-pages.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import type { LedgerStore } from '../../src/ledger/index.js';

/** One Anthropic usage result: 1M uncached input tokens of Sonnet 4.5 ($3 at $3/1M). */
const MILLION_IN = { uncached_input_tokens: 1_000_000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 0, api_key_id: 'k1', workspace_id: 'ws1', model: 'claude-sonnet-4-5-20250929', service_tier: 'standard', context_window: '0-200k' };

function write(name: string, value: unknown): string {
  const file = join(tempDir(), name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const bucket = (from: string, to: string, results: unknown[]) => ({ starting_at: from, ending_at: to, results });

async function costByDay(ledger: LedgerStore): Promise<Array<{ day: string; cost: number }>> {
  const rows = await ledger.db.selectFrom('usage_entries').select(['ts', 'cost_ticks']).orderBy('ts').execute();
  const days = new Map<string, bigint>();
  for (const r of rows) days.set(r.ts.slice(0, 10), (days.get(r.ts.slice(0, 10)) ?? 0n) + BigInt(r.cost_ticks ?? 0));
  // 1e10 ticks a dollar.
  return [...days].map(([day, ticks]) => ({ day, cost: Number(ticks) / 1e10 }));
}

describe('the period an API export states', () => {
  it('is its first bucket start to its last bucket end, empty buckets included', () => {
    const item = pagesPeriod(
      [
        { line: 1, bucket: { s: 10, e: 20 }, resultLines: [] },
        { line: 2, bucket: { s: 0, e: 10 }, resultLines: [] },
      ],
      (b) => [new Date(b.s * 1000), new Date(b.e * 1000)],
    );
    expect(item).toEqual({ kind: 'period', period: { from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T00:00:20.000Z' } });
    expect(pagesPeriod([], () => [new Date(0), new Date(1)])).toBeUndefined();
  });

  it('an hourly re-export whose first hours are empty replaces the daily rows of that day: Oct 1 is not counted twice', async () => {
    const ledger = await freshLedger();
    // Daily: $3 on Oct 1, $3 on Oct 2.
    const daily = write('daily.json', { data: [bucket('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', [MILLION_IN]), bucket('2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z', [MILLION_IN])] });
    // The same two days hourly: nothing before 02:00 on Oct 1, nothing in the last hour.
    const hourly = write('hourly.json', {
      data: [
        bucket('2026-10-01T00:00:00Z', '2026-10-01T01:00:00Z', []),
        bucket('2026-10-01T01:00:00Z', '2026-10-01T02:00:00Z', []),
        bucket('2026-10-01T02:00:00Z', '2026-10-01T03:00:00Z', [MILLION_IN]),
        bucket('2026-10-02T05:00:00Z', '2026-10-02T06:00:00Z', [MILLION_IN]),
        bucket('2026-10-02T23:00:00Z', '2026-10-03T00:00:00Z', []),
      ],
    });
    await importInto(ledger, anthropicUsageImporter, daily);
    const s = await importInto(ledger, anthropicUsageImporter, hourly);
    expect(s).toMatchObject({ rowsImported: 2, rowsReplaced: 2, replacedBatches: [{ batchId: 1, rows: 2 }] });
    // $3 a day, once: before, Oct 1 was $6 (the daily row beside the hourly one).
    expect(await costByDay(ledger)).toEqual([
      { day: '2026-10-01', cost: 3 },
      { day: '2026-10-02', cost: 3 },
    ]);
    await ledger.close();
  });

  it('a corrected cost export whose last day is empty removes that day of the earlier version, in a dry run too', async () => {
    const ledger = await freshLedger();
    const day = (d: number) => Date.UTC(2026, 9, d) / 1000;
    const result = (value: number) => ({ object: 'organization.costs.result', amount: { value, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'proj_a', api_key_id: null });
    const page = (buckets: Array<[number, number[]]>) => ({ object: 'page', data: buckets.map(([d, values]) => ({ object: 'bucket', start_time: day(d), end_time: day(d + 1), results: values.map(result) })), has_more: false, next_page: null });
    // $10 on Oct 1, $20 on Oct 2, $5 on Oct 3; the corrected export bills Oct 3 nothing.
    await importInto(ledger, openaiCostsImporter, write('costs.json', page([[1, [10]], [2, [20]], [3, [5]]])));
    const corrected = write('costs-corrected.json', page([[1, [10]], [2, [20]], [3, []]]));
    const dry = await importInto(ledger, openaiCostsImporter, corrected, { dryRun: true });
    expect(dry).toMatchObject({ status: 'dry-run', rowsReplaced: 3 });
    const s = await importInto(ledger, openaiCostsImporter, corrected);
    expect(s).toMatchObject({ rowsImported: 2, rowsReplaced: 3 });
    // $30, not $35: the export says Oct 3 billed nothing.
    expect(await costByDay(ledger)).toEqual([
      { day: '2026-10-01', cost: 10 },
      { day: '2026-10-02', cost: 20 },
    ]);
    await ledger.close();
  });
});
