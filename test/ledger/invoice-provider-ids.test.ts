import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invoiceImporter } from '../../src/importers/invoice/invoice-importer.js';
import { openLedger } from '../../src/ledger/index.js';
import { insertInvoice } from '../../src/ledger/queries/insert-invoice.js';
import { legacyProviderId } from '../../src/ledger/migrations/2026_12_02_0800_invoice_provider_ids.js';
import { cloudProviderId } from '../../src/ledger/migrations/2026_12_04_0300_cloud_invoice_providers.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto, testPricer } from '../helpers/import.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';

const invoice = (provider: string, number: string) => ({
  batch_id: null,
  provider,
  account: null,
  number,
  issued_at: null,
  period_start: '2026-10-01T00:00:00.000Z',
  period_end: '2026-11-01T00:00:00.000Z',
  currency: 'USD',
  subtotal_usd: null,
  credits_usd: null,
  tax_usd: null,
  total_usd: '10',
});
// As the importer reads the file below (no credit or tax lines: null, not 0).
const line = [{ description: null, kind: 'usage' as const, amount_usd: '10', model: null, quantity: null, unit: null }];

describe('migration 2026_12_02_0800: invoice providers as catalogue ids', () => {
  it('reads a name as the importer reads it, for every id and alias of the bundled catalogue', async () => {
    const { catalogue } = await testPricer();
    for (const id of catalogue.providerIds) expect(legacyProviderId(id)).toBe(id);
    // Aliases added since are read by the migration that added them: together the migrations read every one.
    for (const [alias, id] of catalogue.providerAliases()) expect(legacyProviderId(alias) ?? cloudProviderId(alias)).toBe(id);
    expect([legacyProviderId('OpenAI, Inc.'), legacyProviderId('Mistral AI'), legacyProviderId('acme-llm')]).toEqual(['openai', 'mistral', undefined]);
  });

  it("gives an older ledger's invoices their ids, so the same file imported again is not a second copy", async () => {
    const before = await freshLedger();
    await rewindLedger(before, { first: '2026_12_02_0800_invoice_provider_ids' });
    // As the importer stored them before: the name lower-cased.
    await insertInvoice(before, invoice('openai, inc.', 'INV-1'), line);
    await insertInvoice(before, invoice('aws', 'AWS-1'), line);
    await insertInvoice(before, invoice('acme-llm', 'ACME-1'), line);
    // A number already held under the id: both stay, the old one under its name.
    await insertInvoice(before, invoice('mistral ai', 'M-1'), line);
    await insertInvoice(before, invoice('mistral', 'M-1'), line);
    const path = before.path;
    await before.close();

    const ledger = await openLedger(path);
    const rows = await ledger.db.selectFrom('invoices').select(['provider', 'number']).orderBy('id').execute();
    expect(rows).toEqual([
      { provider: 'openai', number: 'INV-1' },
      { provider: 'bedrock', number: 'AWS-1' },
      { provider: 'acme-llm', number: 'ACME-1' },
      { provider: 'mistral ai', number: 'M-1' },
      { provider: 'mistral', number: 'M-1' },
    ]);
    const file = join(tempDir(), 'inv.yaml');
    writeFileSync(file, 'provider: "OpenAI, Inc."\nnumber: INV-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "10" }\ntotal: "10"\n');
    expect((await importInto(ledger, invoiceImporter, file)).invoices.map((i) => i.status)).toEqual(['already-recorded']);
    expect(await ledger.db.selectFrom('invoices').select('id').execute()).toHaveLength(5);
    await ledger.close();
  });
});

describe('migration 2026_12_04_0300: cloud invoices under their issuers\' printed names', () => {
  it("gives an older ledger's 'Google Cloud' and 'Amazon Web Services, Inc.' invoices their clouds' ids, so the same file imported again is not a second copy", async () => {
    const before = await freshLedger();
    await rewindLedger(before, { first: '2026_12_04_0300_cloud_invoice_providers' });
    // As the importer stored them before the aliases: the name lower-cased.
    await insertInvoice(before, invoice('google cloud', 'G-1'), line);
    await insertInvoice(before, invoice('amazon web services, inc.', 'A-1'), line);
    await insertInvoice(before, invoice('microsoft azure', 'Z-1'), line);
    // A number already held under the id: both stay, the old one under its name.
    await insertInvoice(before, invoice('google cloud platform', 'G-2'), line);
    await insertInvoice(before, invoice('vertex', 'G-2'), line);
    const path = before.path;
    await before.close();

    const ledger = await openLedger(path);
    expect(await ledger.db.selectFrom('invoices').select(['provider', 'number']).orderBy('id').execute()).toEqual([
      { provider: 'vertex', number: 'G-1' },
      { provider: 'bedrock', number: 'A-1' },
      { provider: 'azure', number: 'Z-1' },
      { provider: 'google cloud platform', number: 'G-2' },
      { provider: 'vertex', number: 'G-2' },
    ]);
    const file = join(tempDir(), 'gcp.yaml');
    writeFileSync(file, 'provider: Google Cloud\nnumber: G-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "10" }\ntotal: "10"\n');
    expect((await importInto(ledger, invoiceImporter, file)).invoices.map((i) => i.status)).toEqual(['already-recorded']);
    expect(await ledger.db.selectFrom('invoices').select('id').execute()).toHaveLength(5);
    await ledger.close();
  });
});
