// The proxy records, beside an imported row's columns, how the upstream answered
// (status_code), how long it took (latency_ms, ttfb_ms) and a hash of the prompt
// (prompt_hash). `llmfin check` leaves a refused attempt (a 429 of no tokens) out of every
// figure by its status, and the loop detector tells repeated calls apart by the hash: an
// export that dropped them would give a new ledger a run whose retries count as $0
// requests, and loops it cannot see.
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finished } from 'node:stream/promises';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { exportFormatById } from '../../src/export/export-formats.js';
import { exportRows } from '../../src/export/export-rows.js';
import { streamSink } from '../../src/export/stream-sink.js';
import { writeExport } from '../../src/export/write-export.js';
import { readRunUsage } from '../../src/check/run-usage.js';
import { Attributor } from '../../src/attribution/attributor.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { comparableRows } from './export-ledger.js';

async function exportTo(ledger: LedgerStore, format: string, file: string): Promise<void> {
  const out = createWriteStream(file);
  await writeExport(exportRows(ledger), exportFormatById(format)!, streamSink(out));
  out.end();
  await finished(out);
}

/** Two requests of run r1 as the proxy records them: one answered, one refused with a 429 before any token ran. */
async function proxyLedger(): Promise<LedgerStore> {
  const dir = tempDir();
  const file = join(dir, 'rows.jsonl');
  const row = (id: string, input: number, output: number) =>
    JSON.stringify({ id, ts: '2026-11-02T10:00:00Z', provider: 'openai', model: 'gpt-4o-mini', requests: 1, input_tokens: input, output_tokens: output, feature: 'checkout', trace_id: 't-1', tags: { run_id: 'r1' } });
  writeFileSync(file, `${row('ok-1', 1000, 100)}\n${row('refused-1', 0, 0)}\n`);
  const ledger = await freshLedger();
  await importInto(ledger, llmfinImporter, file);
  await ledger.db.updateTable('usage_entries').set({ status_code: 200, latency_ms: 812, ttfb_ms: 240, prompt_hash: 'a'.repeat(64) }).where('dedupe_key', '=', 'ok-1').execute();
  await ledger.db.updateTable('usage_entries').set({ status_code: 429, latency_ms: 35, ttfb_ms: 30, prompt_hash: 'b'.repeat(64) }).where('dedupe_key', '=', 'refused-1').execute();
  return ledger;
}

describe('export → import keeps the proxy columns', () => {
  for (const format of ['jsonl', 'csv']) {
    it(`${format}: status_code, latency_ms, ttfb_ms and prompt_hash come back as they were`, async () => {
      const original = await proxyLedger();
      const file = join(tempDir(), `ledger.${format}`);
      await exportTo(original, format, file);
      const copy = await freshLedger();
      const summary = await importInto(copy, llmfinImporter, file);
      expect(summary).toMatchObject({ rowsImported: 2, rowsRejected: 0 });

      const columns = await copy.db.selectFrom('usage_entries').select(['dedupe_key', 'status_code', 'latency_ms', 'ttfb_ms', 'prompt_hash']).orderBy('dedupe_key').execute();
      expect(columns).toEqual([
        { dedupe_key: 'ok-1', status_code: 200, latency_ms: 812, ttfb_ms: 240, prompt_hash: 'a'.repeat(64) },
        { dedupe_key: 'refused-1', status_code: 429, latency_ms: 35, ttfb_ms: 30, prompt_hash: 'b'.repeat(64) },
      ]);
      expect(await comparableRows(copy)).toEqual(await comparableRows(original));

      // So `check` reads the copy's run as the original's: one request, the 429 left out.
      const run = await readRunUsage(copy, new Attributor([]), { by: 'feature', runId: 'r1' });
      expect(run.failedAttempts).toBe(1);
      expect(run.groups.get('checkout')?.[0]?.requests).toBe(1);
      await copy.close();
      await original.close();
    });
  }

  it('focus: status_code comes back, so the copy counts the refused attempt as no request', async () => {
    const original = await proxyLedger();
    const file = join(tempDir(), 'ledger-focus.csv');
    await exportTo(original, 'focus', file);
    const copy = await freshLedger();
    const summary = await importInto(copy, llmfinImporter, file);
    expect(summary).toMatchObject({ rowsImported: 2, rowsRejected: 0 });

    // FOCUS has no place for the timings and the hash (see focus-export-rows.ts); the status it keeps.
    const columns = await copy.db.selectFrom('usage_entries').select(['dedupe_key', 'status_code']).orderBy('dedupe_key').execute();
    expect(columns).toEqual([
      { dedupe_key: 'ok-1', status_code: 200 },
      { dedupe_key: 'refused-1', status_code: 429 },
    ]);
    const run = await readRunUsage(copy, new Attributor([]), { by: 'feature', runId: 'r1' });
    expect(run.failedAttempts).toBe(1);
    expect(run.groups.get('checkout')?.[0]?.requests).toBe(1);
    await copy.close();
    await original.close();
  });
});
