import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anthropicUsageImporter } from '../../src/importers/anthropic-usage/anthropic-usage-importer.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

/** One usage report result of 1M uncached input tokens. */
const result = (model: string, tier: string) =>
  `{"uncached_input_tokens":1000000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":0,"api_key_id":null,"workspace_id":null,"model":"${model}","service_tier":"${tier}","context_window":"0-200k"}`;

describe('runImport summary of unpriced rows', () => {
  it('names a model the catalogue lacks as a model to add, and a known model without the price asked for by its reason', async () => {
    const ledger = await freshLedger();
    const file = join(tempDir(), 'usage.json');
    const results = [result('claude-opus-4-6', 'priority'), result('claude-frobnicator-9', 'standard'), result('claude-opus-4-6', 'standard')];
    writeFileSync(file, `{"data":[{"starting_at":"2026-10-05T00:00:00Z","ending_at":"2026-10-06T00:00:00Z","results":[${results.join(',')}]}],"has_more":false,"next_page":null}`);
    const s = await importInto(ledger, anthropicUsageImporter, file);
    // claude-opus-4-6 standard: 1M × $5 input; the priority row has no price, not $0.
    expect(s).toMatchObject({ rowsImported: 3, costUsd: '5', unpricedRows: 2 });
    expect(s.unpricedModels).toEqual(['anthropic/claude-frobnicator-9']);
    expect(s.unpricedReasons).toEqual(['anthropic/claude-opus-4-6: unpriced: claude-opus-4-6: no "priority" service-tier price for this model']);
    await ledger.close();
  });
});
