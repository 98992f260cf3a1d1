import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { importFile } from '../../src/importers/import-file.js';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { openLedger } from '../../src/ledger/index.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';

const pricer = new Pricer(await PriceCatalogue.load());
const ctx = { pricer, catalogueVersion: pricer.catalogue.manifest.version, now: new Date('2026-11-01T00:00:00Z'), llmfinVersion: 'test' };
const row = (o: Record<string, unknown>) => JSON.stringify({ ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', ...o });
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('llmfin JSONL importer', () => {
  it('prices rows in the ledger convention (input includes cache) and is idempotent', async () => {
    const dir = tempDir();
    const file = join(dir, 'usage.jsonl');
    // gpt-4o: 86×2.5 + 1,920×1.25 + 300×10 = $0.005615; claude-sonnet-4-5 in the ledger convention:
    // input 12,307 = 3 uncached + 12,304 cache write → 3×3 + 12,304×3.75 + 550×15 = $0.054399
    writeFileSync(
      file,
      [
        row({ id: 'a', input_tokens: 2006, cache_read_tokens: 1920, output_tokens: 300, team: 'search' }),
        row({ id: 'b', provider: 'anthropic', model: 'claude-sonnet-4-5', input_tokens: 12307, cache_write_5m_tokens: 12304, output_tokens: 550 }),
      ].join('\n'),
    );
    const ledger = await openLedger(join(dir, 'l.db'));
    const first = await importFile(ledger, file, llmfinImporter, ctx);
    expect(first).toMatchObject({ status: 'imported', rowsRead: 2, rowsImported: 2, unpricedRows: 0 });
    expect((await ledgerTotals(ledger)).cost_usd).toBe('0.060014');
    const entry = await ledger.db.selectFrom('usage_entries').selectAll().where('dedupe_key', '=', 'b').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ uncached_input_tokens: 3, cache_write_5m_tokens: 12304, input_tokens: 12307, cost_usd: '0.054399', cost_status: 'priced', matched_model: 'claude-sonnet-4-5' });

    const again = await importFile(ledger, file, llmfinImporter, ctx);
    expect(again.status).toBe('already-imported');
    expect((await ledgerTotals(ledger)).rows).toBe(2);
    await ledger.close();
  });

  it('keeps an unknown model as an unpriced row with the reason, never $0', async () => {
    const dir = tempDir();
    const file = join(dir, 'u.jsonl');
    writeFileSync(file, row({ model: 'gpt-9-imaginary', input_tokens: 10, output_tokens: 5 }));
    const ledger = await openLedger(join(dir, 'l.db'));
    expect((await importFile(ledger, file, llmfinImporter, ctx)).unpricedRows).toBe(1);
    const e = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(e.cost_status).toBe('unpriced');
    expect(e.cost_usd).toBeNull();
    expect(e.description).toMatch(/gpt-9-imaginary/);
    expect((await ledgerTotals(ledger)).unpriced_rows).toBe(1);
    await ledger.close();
  });

  it('a malformed row names file and line, and imports nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, [row({ id: 'ok', input_tokens: 1 }), row({ id: 'bad', input_tokens: -4 }), '{not json'].join('\n'));
    const dbPath = join(dir, 'l.db');
    const ledger = await openLedger(dbPath);
    await ledger.close();
    const before = sha(dbPath);
    const again = await openLedger(dbPath);
    const error = await importFile(again, file, llmfinImporter, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:2: input_tokens: Too small: expected number to be >=0 (and 1 more row)`);
    expect((await ledgerTotals(again)).rows).toBe(0);
    await again.close();
    expect(sha(dbPath)).toBe(before);
  });
});
