import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

// What the llmfin importer does with the ledger fields an export adds (src/importers/llmfin).
describe('llmfin importer: ledger rows from an export', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify({ ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', ...o });

  it('a row with cost_status is taken as written: no re-pricing, its source and id are its identity', async () => {
    const file = join(tempDir(), 'rows.jsonl');
    // gpt-4o would price 1M input at $2.50; the row says $9 and keeps it.
    writeFileSync(file, `${line({ id: 'x', source: 'openai-costs', provenance: 'billed', input_tokens: 1_000_000, cost_usd: '9', cost_status: 'billed', estimated_cost_usd: '2.5', charge_category: 'usage' })}\n`);
    const ledger = await freshLedger();
    expect(await importInto(ledger, llmfinImporter, file)).toMatchObject({ costUsd: '9', rowsImported: 1 });
    const row = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      source: 'openai-costs', dedupe_key: 'x', provenance: 'billed', cost_usd: '9', cost_ticks: 90_000_000_000n, cost_status: 'billed',
      estimated_cost_usd: '2.5', estimated_cost_ticks: 25_000_000_000n, reported_cost_usd: null, matched_model: null,
      // Not given: what is not cached, audio or image is uncached text.
      uncached_input_tokens: 1_000_000,
    });
    await ledger.close();
  });

  it('a plain row may name its source and charge category, and is still priced', async () => {
    const file = join(tempDir(), 'plain.jsonl');
    writeFileSync(file, `${line({ id: 'p', source: 'my-pipeline', input_tokens: 1_000_000, description: 'nightly batch' })}\n`);
    const ledger = await freshLedger();
    await importInto(ledger, llmfinImporter, file);
    expect(await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow()).toMatchObject({
      source: 'my-pipeline', cost_usd: '2.5', cost_status: 'priced', description: 'nightly batch',
    });
    await ledger.close();
  });

  it('only an exported ledger row may lack a model', async () => {
    const file = join(tempDir(), 'nomodel.jsonl');
    writeFileSync(file, `${line({ id: 'a', model: 'gpt-4o' })}\n${JSON.stringify({ ts: '2026-10-01T10:00:00Z', provider: 'openai', model: null })}\n`);
    const ledger = await freshLedger();
    await expect(importInto(ledger, llmfinImporter, file)).rejects.toThrow(`${file}:2: model: expected a model name`);
    await ledger.close();
  });
});
