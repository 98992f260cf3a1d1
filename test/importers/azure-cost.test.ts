// Azure cost-details importer: EA and MCA exports → billed rows that sum to the bill; Azure
// OpenAI / Foundry token meters with model, tokens (Quantity × unit), deployment and estimate.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { azureCostImporter } from '../../src/importers/azure-cost/azure-cost-importer.js';
import { parseAzureMeter } from '../../src/importers/azure-cost/azure-meter.js';
import { parseAzureTags, parseUsageDay } from '../../src/importers/azure-cost/azure-columns.js';
import { AzureDateOrder } from '../../src/importers/azure-cost/azure-dates.js';
import { readSample } from '../../src/importers/source-input.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { InputError } from '../../src/shared/errors.js';
import { ticksToUsd } from '../../src/shared/money.js';
import { runCli, runJson, tempDir } from '../helpers/cli.js';
import { editedCopy, freshLedger, importInto } from '../helpers/import.js';

const FIX = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const EA = join(FIX, 'azure-cost/ea-actual-2026-10.csv');
const MCA = join(FIX, 'azure-cost/mca-actual-2026-10.csv');
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));
/** Every other importer's fixtures that exist in the tree (this set's and the rest). */
const OTHERS = readdirSync(FIX)
  .filter((d) => d !== 'azure-cost')
  .flatMap((d) => readdirSync(join(FIX, d)).filter((f) => !f.endsWith('.md')).map((f) => join(FIX, d, f)));

async function rows(ledger: LedgerStore) {
  return ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
}
async function byCategory(ledger: LedgerStore): Promise<Record<string, string>> {
  const sums: Record<string, bigint> = {};
  for (const r of await rows(ledger)) sums[r.charge_category] = (sums[r.charge_category] ?? 0n) + (r.cost_ticks ?? 0n);
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, ticksToUsd(v).toFixed()]));
}
/** The MCA export without its two USD amounts (costInUsd, costInPricingCurrency): only the billed EUR and the rate are left. */
const withoutUsdColumns = (text: string) => text.replace('costInUsd', 'costInUsdX').replace('costInPricingCurrency', 'costInPricingX');
const meter = async (ledger: LedgerStore, name: string, charge = 'usage') =>
  (await rows(ledger)).find((r) => JSON.parse(r.raw_usage!).meter_name === name && r.charge_category === charge)!;

describe('azure-cost: detection', () => {
  it('accepts EA and MCA exports by their columns', () => {
    for (const f of [EA, MCA]) expect(azureCostImporter.detect(readSample(f, f)), f).toEqual({ ok: true });
  });

  it("refuses the other sources' files with a reason", () => {
    expect(OTHERS.length).toBeGreaterThan(3);
    for (const f of [...OTHERS, DEMO]) {
      expect(azureCostImporter.detect(readSample(f, f)), f).toEqual({ ok: false, reason: 'no "MeterCategory" column' });
    }
    // An Azure FOCUS export has x_SkuMeterCategory, not MeterCategory.
    const focus = { fileName: 'focus.csv', head: 'BilledCost,ChargePeriodStart,x_SkuMeterCategory,x_SkuMeterName\n1,2026-10-01,Foundry Models,x\n' };
    expect(azureCostImporter.detect(focus)).toEqual({ ok: false, reason: 'no "MeterCategory" column' });
    const noCost = { fileName: 'x.csv', head: 'Date,SubscriptionId,MeterCategory,MeterName,Quantity\n' };
    expect(azureCostImporter.detect(noCost)).toEqual({ ok: false, reason: 'no "CostInBillingCurrency" column' });
  });
});

describe('azure-cost: EA export', () => {
  it('keeps every row as billed money: LLM usage, other services, unclassified AI meters, refunds', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, azureCostImporter, EA);
    // Sum of the Cost column over the 17 rows: 31.29879.
    expect(s).toMatchObject({ status: 'imported', rowsImported: 17, rowsRejected: 0, costUsd: '31.29879', unpricedModels: [] });
    expect(s.byProvider).toEqual([{ provider: 'azure', provenance: 'billed', rows: 17, cost_usd: '31.29879', unpriced_rows: 0 }]);
    // Speech (an Azure AI service, not a language model) is another service on the bill, not a meter to map.
    expect(s.unclassified).toEqual([]);
    // usage: 0.38125 + 0.123 + 0.1 (gpt-4o) + 0.5 (gpt-4.1 batch) + 0.11 (Data Zone) + 0.0495 (regional mini)
    //   + 0.25 + 0.1 (GPT-5) + 0.135 (R1) + 0.9 (unknown model) + 24 (PTU) + 0.03 + 0.03 (second subscription) = 26.70875
    // non_llm: 2.64 (VM) + 0.00004 (Storage), from Microsoft's sample, + 2 (Speech); credit: the −0.05 refund.
    expect(await byCategory(ledger)).toEqual({ non_llm: '4.64004', usage: '26.70875', credit: '-0.05' });
    await ledger.close();
  });

  it('reads token meters: model and version, Quantity × 1K/1M, cache, batch, deployment type, tags', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, azureCostImporter, EA);
    // 152.5 × 1K tokens of gpt-4o 2024-08-06, global: 152,500 × $2.5/1M = $0.38125.
    expect(await meter(ledger, 'gpt-4o-0806-Inp-glbl Tokens')).toMatchObject({
      provider: 'azure', model: 'gpt-4o-2024-08-06', matched_model: 'gpt-4o-2024-08-06', offering: 'global', region: 'global',
      account: '00000000-0000-0000-0000-0000000000a1', ts: '2026-10-04T00:00:00.000Z', ts_end: '2026-10-05T00:00:00.000Z', granularity: 'day',
      input_tokens: 152500, uncached_input_tokens: 152500, cost_usd: '0.38125', cost_status: 'billed', estimated_cost_usd: '0.38125',
      team: 'search', environment: 'prod', tags: '{"team":"search","env":"prod"}', charge_category: 'usage', requests: 0, source: 'azure-cost',
    });
    // Cached input is input: 80,000 × $1.25/1M = $0.1; output 12,300 × $10/1M = $0.123.
    expect(await meter(ledger, 'gpt 4o 0806 cached Inp glbl Tokens')).toMatchObject({ input_tokens: 80000, uncached_input_tokens: 0, cache_read_tokens: 80000, estimated_cost_usd: '0.1' });
    expect(await meter(ledger, 'gpt-4o-0806-Outp-glbl Tokens')).toMatchObject({ output_tokens: 12300, estimated_cost_usd: '0.123' });
    // Batch, 0.5 × 1M tokens: 500,000 × $2/1M × 0.5 = $0.5.
    expect(await meter(ledger, 'gpt-4.1-Batch-Inp-glbl Tokens')).toMatchObject({ model: 'gpt-4.1', service_tier: 'batch', input_tokens: 500000, estimated_cost_usd: '0.5' });
    // Data Zone in Sweden → EU; estimated at the global offering until the ledger can ask for an offering.
    const dz = await meter(ledger, 'gpt 4o 0806 Inp Data Zone Tokens');
    expect(dz).toMatchObject({ region: 'eu', input_tokens: 40000, cost_usd: '0.11', estimated_cost_usd: '0.1' });
    expect(dz.description).toMatch(/Data Zone EU deployment/);
    expect(await meter(ledger, 'gpt-4o-mini-0718-Inp-regnl Tokens')).toMatchObject({ model: 'gpt-4o-mini-2024-07-18', region: 'eastus', input_tokens: 300000, estimated_cost_usd: '0.0495' });
    // GPT-5 meters in 1M units: 200,000 × $1.25/1M = $0.25; R1 → deepseek-r1, 100,000 × $1.35/1M = $0.135.
    expect(await meter(ledger, 'GPT 5 Inpt Glbl')).toMatchObject({ model: 'gpt-5', input_tokens: 200000, estimated_cost_usd: '0.25' });
    expect(await meter(ledger, 'R1 Inp glbl Tokens')).toMatchObject({ model: 'deepseek-r1', estimated_cost_usd: '0.135' });
    const unknown = await meter(ledger, 'gpt-9-ultra-Inp-glbl Tokens');
    expect(unknown).toMatchObject({ model: 'gpt-9-ultra', cost_usd: '0.9', estimated_cost_usd: null, input_tokens: 30000, charge_category: 'usage' });
    expect(unknown.description).toMatch(/unpriced: no model "gpt-9-ultra"/);
    expect(await meter(ledger, 'Provisioned Managed Global Hourly')).toMatchObject({ charge_category: 'usage', cost_usd: '24', input_tokens: 0, model: null });
    expect(await meter(ledger, 'S1 Speech To Text', 'non_llm')).toMatchObject({ cost_usd: '2', model: null, input_tokens: 0 });
    // The refund is a credit, negative and exact, with no tokens.
    expect(await meter(ledger, 'gpt-4o-0806-Outp-glbl Tokens', 'credit')).toMatchObject({ cost_usd: '-0.05', cost_ticks: -500_000_000n, output_tokens: 0 });
    expect(await meter(ledger, 'gpt-4o-mini-0718-Outp-glbl Tokens')).toMatchObject({ account: '00000000-0000-0000-0000-0000000000b2', team: 'ml', project: 'eval', output_tokens: 50000 });
    await ledger.close();
  });

  it('importing the same file twice changes nothing', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, azureCostImporter, EA);
    expect((await importInto(ledger, azureCostImporter, EA)).status).toBe('already-imported');
    expect(await rows(ledger)).toHaveLength(17);
    await ledger.close();
  });

  it('a corrected export replaces its subscriptions and days', async () => {
    const dir = tempDir();
    const text = readFileSync(EA, 'utf8');
    // v2: the gpt-4o output row is re-rated (0.123 → 0.13) and the regional mini row is gone.
    const v2 = text
      .split('\r\n')
      .filter((l) => !l.includes('gpt-4o-mini-0718-Inp-regnl'))
      .map((l) => (l.includes('gpt-4o-0806-Outp-glbl Tokens,12.3,') ? l.replace(',0.123,', ',0.13,') : l))
      .join('\r\n');
    const file = join(dir, 'ea-v2.csv');
    writeFileSync(file, v2);
    const ledger = await freshLedger();
    await importInto(ledger, azureCostImporter, EA);
    const s = await importInto(ledger, azureCostImporter, file);
    expect(s.rowsReplaced).toBeGreaterThan(0);
    const alone = await freshLedger();
    // 31.29879 − 0.0495 + (0.13 − 0.123) = 31.25629
    expect((await importInto(alone, azureCostImporter, file)).costUsd).toBe('31.25629');
    expect(await byCategory(ledger)).toEqual(await byCategory(alone));
    expect(await rows(ledger)).toHaveLength(16);
    await ledger.close();
    await alone.close();
  });

  it('a bad row aborts the file with file:line: column, and --skip-invalid imports the rest', async () => {
    const dir = tempDir();
    const lines = readFileSync(EA, 'utf8').split('\r\n');
    const at = lines.findIndex((l) => l.includes('GPT 5 Outp Glbl'));
    lines[at] = lines[at]!.replace('10/06/2026', '2026-13-06');
    const file = join(dir, 'bad.csv');
    writeFileSync(file, lines.join('\r\n'));
    const ledger = await freshLedger();
    const error = await importInto(ledger, azureCostImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:${at + 1}: Date: expected a date (MM/DD/YYYY or YYYY-MM-DD), got "2026-13-06"`);
    expect(await rows(ledger)).toHaveLength(0);
    const s = await importInto(ledger, azureCostImporter, file, { skipInvalid: true });
    expect(s).toMatchObject({ rowsImported: 16, rowsRejected: 1, costUsd: '31.19879' });
    await ledger.close();
  });

  it('names a non-numeric cost and malformed tags', async () => {
    const dir = tempDir();
    const lines = readFileSync(EA, 'utf8').split('\r\n');
    const at = lines.findIndex((l) => l.includes('R1 Inp glbl'));
    const file = join(dir, 'bad-cost.csv');
    writeFileSync(file, lines.map((l, i) => (i === at ? l.replace(',0.135,', ',n/a,') : l)).join('\r\n'));
    const e1 = await importInto(await freshLedger(), azureCostImporter, file).catch((e: unknown) => e);
    expect((e1 as InputError).message).toBe(`${file}:${at + 1}: Cost: expected a decimal amount, got "n/a"`);
    const tags = join(dir, 'bad-tags.csv');
    writeFileSync(tags, lines.map((l, i) => (i === at ? l.replace('"""team"": ""search"",""env"": ""prod"""', '"team=search"') : l)).join('\r\n'));
    const e2 = await importInto(await freshLedger(), azureCostImporter, tags).catch((e: unknown) => e);
    expect((e2 as InputError).message).toBe(`${tags}:${at + 1}: Tags: expected tags as JSON key/value pairs, got "team=search"`);
  });
});

describe('azure-cost: MCA export', () => {
  it('reads camelCase columns and takes costInUsd when the account bills in another currency, gzipped too', async () => {
    const dir = tempDir();
    const gz = join(dir, 'mca.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(MCA)));
    for (const file of [MCA, gz]) {
      const ledger = await freshLedger();
      const s = await importInto(ledger, azureCostImporter, file);
      // costInUsd: 0.03 + 0.2 + 0.04 + 0.2 (Foundry Models) + 0.105 (Virtual Network) = 0.575 (the EUR column is not used).
      expect(s).toMatchObject({ rowsImported: 5, costUsd: '0.575' });
      expect(await byCategory(ledger)).toEqual({ usage: '0.47', non_llm: '0.105' });
      // gpt-4.1-nano cached, 1.2 × 1M: 1,200,000 × $0.025/1M = $0.03.
      expect(await meter(ledger, 'gpt 4.1 nano cached Inp glbl')).toMatchObject({ model: 'gpt-4.1-nano', cache_read_tokens: 1200000, input_tokens: 1200000, cost_usd: '0.03', estimated_cost_usd: '0.03', team: 'support-bot' });
      expect(await meter(ledger, 'gpt 4o 1120 Outp glbl Tokens')).toMatchObject({ model: 'gpt-4o-2024-11-20', output_tokens: 20000, estimated_cost_usd: '0.2', account: '00000000-0000-0000-0000-0000000000c3' });
      await ledger.close();
    }
  });

  it('without costInUsd: the cost in the pricing currency when prices are in USD', async () => {
    const file = editedCopy(MCA, 'eur.csv', (t) => t.replace('costInUsd', 'costInUsdX'));
    const ledger = await freshLedger();
    // costInPricingCurrency: 0.03 + 0.2 + 0.04 + 0.2 + 0.105 = 0.575, as costInUsd.
    expect(await importInto(ledger, azureCostImporter, file)).toMatchObject({ rowsImported: 5, costUsd: '0.575' });
    await ledger.close();
  });

  it('without either: the billing-currency cost divided by exchangeRatePricingToBilling, to the tick', async () => {
    // The first row's rate becomes 0.93: 0.0276 EUR / 0.93 = 0.029677419354838… USD → 0.0296774194 (half-even at 1e-10).
    const file = editedCopy(MCA, 'eur.csv', (t) => withoutUsdColumns(t).replace(',0.92,', ',0.93,'));
    const ledger = await freshLedger();
    // 0.0296774194 + 0.184/0.92 + 0.0368/0.92 + 0.184/0.92 + 0.0966/0.92 = 0.0296774194 + 0.2 + 0.04 + 0.2 + 0.105 = 0.5746774194
    expect(await importInto(ledger, azureCostImporter, file)).toMatchObject({ rowsImported: 5, costUsd: '0.5746774194' });
    const row = await meter(ledger, 'gpt 4.1 nano cached Inp glbl');
    expect(row.cost_usd).toBe('0.0296774194');
    expect(JSON.parse(row.raw_usage!)).toMatchObject({ billed_cost: '0.0276', currency: 'EUR', pricing_currency: 'USD', exchange_rate_pricing_to_billing: '0.93' });
    await ledger.close();
  });

  it('refuses a foreign billing currency with no way to USD, or a rate that is not positive, naming the column', async () => {
    const file = editedCopy(MCA, 'eur.csv', (t) => withoutUsdColumns(t).replace('pricingCurrency', 'pricingCurrencyX'));
    const e = await importInto(await freshLedger(), azureCostImporter, file).catch((x: unknown) => x);
    expect((e as InputError).message).toBe(
      `${file}:2: billingCurrency: expected USD, or beside the billing currency a "CostInUsd" column, or prices in USD ("PricingCurrencyCode") with "CostInPricingCurrency" or "ExchangeRatePricingToBilling", got "EUR"`,
    );
    const zero = editedCopy(MCA, 'zero.csv', (t) => withoutUsdColumns(t).replace(',0.92,', ',0,'));
    const e2 = await importInto(await freshLedger(), azureCostImporter, zero).catch((x: unknown) => x);
    expect((e2 as InputError).message).toBe(`${zero}:2: exchangeRatePricingToBilling: expected a positive exchange rate (EUR per USD), got "0"`);
  });
});

describe('azure-cost: a correction of a token meter', () => {
  it('keeps a negative quantity\'s billed amount without a token estimate, and says why (not that 1K is no token unit)', async () => {
    // The gpt-4o input row (152.5 × 1K tokens, $0.38125) re-billed as a correction.
    const file = editedCopy(EA, 'ea-correction.csv', (text) => text.replace('gpt-4o-0806-Inp-glbl Tokens,152.5,0.0025,0.38125,', 'gpt-4o-0806-Inp-glbl Tokens,-152.5,0.0025,-0.38125,'));
    const ledger = await freshLedger();
    await importInto(ledger, azureCostImporter, file);
    const row = (await rows(ledger)).find((r) => r.cost_usd === '-0.38125')!;
    expect(row).toMatchObject({ input_tokens: 0, estimated_cost_usd: null, description: 'gpt-4o-0806-Inp-glbl Tokens; no token estimate: quantity "-152.5" is not a token count' });
    await ledger.close();
  });
});

describe('azure-cost: meter names and cells', () => {
  it('parses the meter spellings Azure uses', () => {
    expect(parseAzureMeter('gpt-4o-mini-0718-Batch-Inp-glbl')).toMatchObject({ kind: 'tokens', candidates: ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini-0718', 'gpt-4o-mini'], tokenKind: 'input', batch: true, deployment: 'global' });
    expect(parseAzureMeter('gpt 4o mini0718 BatchOutp DataZone')).toMatchObject({ modelName: 'gpt-4o-mini-0718', tokenKind: 'output', batch: true, deployment: 'datazone' });
    expect(parseAzureMeter('gpt-4o-rt-txt-1217 cchd Inp glbl')).toMatchObject({ candidates: ['gpt-4o-realtime-preview-2024-12-17', 'gpt-4o-realtime-preview-1217', 'gpt-4o-realtime-preview'], tokenKind: 'cacheRead' });
    expect(parseAzureMeter('gpt4omini-aud1217 Outp regnl')).toMatchObject({ tokenKind: 'outputAudio', deployment: 'regional' });
    expect(parseAzureMeter('gpt-35-turbo4K-Inp-glbl')).toMatchObject({ candidates: expect.arrayContaining(['gpt-35-turbo']) });
    expect(parseAzureMeter('gpt-35-turbo-16k-Output-regional')).toMatchObject({ candidates: ['gpt-35-turbo-16k'], tokenKind: 'output' });
    expect(parseAzureMeter('text-embedding-3-small Tokens')).toMatchObject({ modelName: 'text-embedding-3-small', tokenKind: 'input' });
    expect(parseAzureMeter('gpt-4o PTU Glbl')).toMatchObject({ kind: 'provisioned', modelName: 'gpt-4o' });
    expect(parseAzureMeter('Provisioned Managed Data Zone Unit')).toEqual({ kind: 'provisioned', modelName: '', deployment: 'datazone' });
    expect(parseAzureMeter('Az-GPT35-Turbo-4K-FTuned Training Unit')).toMatchObject({ kind: 'fineTuning', phase: 'training', candidates: ['gpt35-turbo-4k', 'gpt-35-turbo'] });
    expect(parseAzureMeter('3.3 70b FT Deployment Hosting Unit')).toMatchObject({ kind: 'fineTuning', phase: 'hosting', modelName: '3.3-70b' });
    // A fine-tuned model's tokens are not the base model's: not understood, rather than estimated at the wrong price.
    expect(parseAzureMeter('41 ft opt Glbl')).toBeUndefined();
    expect(parseAzureMeter('S1 Speech To Text')).toBeUndefined();
    expect(parseAzureMeter('gpt-4o-0806-Inp-Outp-glbl')).toBeUndefined();
    expect(parseAzureMeter('Standard Transactions')).toBeUndefined();
  });

  it('reads US and ISO dates and brace-less tags', () => {
    expect(parseUsageDay('9/2/2023')?.toISOString()).toBe('2023-09-02T00:00:00.000Z');
    expect(parseUsageDay('2026-10-04T00:00:00.0000000Z')?.toISOString()).toBe('2026-10-04T00:00:00.000Z');
    expect(parseUsageDay('13/02/2023')).toBeUndefined();
    expect(parseAzureTags('"CostCenter": "1234","org": ""')).toEqual({ CostCenter: '1234' });
    expect(parseAzureTags('{"env":"prod"}')).toEqual({ env: 'prod' });
    expect(parseAzureTags('env=prod')).toBeUndefined();
  });
});

describe('azure-cost: the order of slash dates', () => {
  /** `text` with every DD/DD/YYYY date's two numbers swapped: the export as a DD/MM/YYYY locale saves it. */
  const swapped = (text: string) => text.replace(/\b(\d\d)\/(\d\d)\/(\d{4})\b/g, '$2/$1/$3');
  /** What a ledger holds, as one digest: equal digests, the same rows. */
  const digest = async (ledger: LedgerStore) =>
    createHash('sha256').update(JSON.stringify(await ledger.db.selectFrom('usage_entries').select(['dedupe_key', 'ts', 'ts_end', 'cost_ticks', 'account', 'model']).orderBy('dedupe_key').execute(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('hex');
  const when = async (ledger: LedgerStore) => [...new Set((await rows(ledger)).map((r) => r.ts.slice(0, 10)))].sort();

  it('reads a DD/MM/YYYY export as the same days as the MM/DD/YYYY one: its BillingPeriodEndDate (31/10) decides the order on the first row', async () => {
    const us = await freshLedger();
    const s1 = await importInto(us, azureCostImporter, EA);
    const file = editedCopy(EA, 'ea-dmy.csv', swapped);
    expect(readFileSync(file, 'utf8')).toContain(',01/10/2026,31/10/2026,');
    const dmy = await freshLedger();
    const s2 = await importInto(dmy, azureCostImporter, file);
    expect(s2).toMatchObject({ rowsImported: 17, costUsd: '31.29879', firstTs: '2026-10-04T00:00:00.000Z', lastTs: '2026-10-06T00:00:00.000Z' });
    expect(s1).toMatchObject({ firstTs: s2.firstTs, lastTs: s2.lastTs, costUsd: s2.costUsd });
    expect(await when(dmy)).toEqual(['2026-10-04', '2026-10-05', '2026-10-06']);
    expect(await digest(dmy)).toBe(await digest(us));
    await us.close();
    await dmy.close();
  });

  it('without period columns, rows whose date reads both ways wait for a date past the 12th, then read in its order', async () => {
    // DD/MM/YYYY, the period columns' values emptied: Oct 4–6 read both ways, until "21/10/2026" on the last line.
    const lines = swapped(readFileSync(EA, 'utf8')).replaceAll(',01/10/2026,31/10/2026,', ',,,').split('\r\n');
    const last = lines.findLastIndex((l) => l.includes('/10/2026'));
    lines[last] = lines[last]!.replace(/\b0[456]\/10\/2026\b/, '21/10/2026');
    const file = join(tempDir(), 'late.csv');
    writeFileSync(file, lines.join('\r\n'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, azureCostImporter, file);
    expect(s).toMatchObject({ rowsImported: 17, rowsRejected: 0, costUsd: '31.29879', firstTs: '2026-10-04T00:00:00.000Z', lastTs: '2026-10-21T00:00:00.000Z' });
    expect(await when(ledger)).toEqual(['2026-10-04', '2026-10-05', '2026-10-06', '2026-10-21']);
    await ledger.close();
  });

  it('refuses a file whose dates read as two different days throughout, with both readings; --skip-invalid keeps only the rows that read one way', async () => {
    const lines = swapped(readFileSync(EA, 'utf8')).replaceAll(',01/10/2026,31/10/2026,', ',,,').split('\r\n');
    // One row on "10/10/2026", which reads the same either way.
    const same = lines.findIndex((l) => l.includes('GPT 5 Outp Glbl'));
    lines[same] = lines[same]!.replace(/\b0[456]\/10\/2026\b/, '10/10/2026');
    const file = join(tempDir(), 'ambiguous.csv');
    writeFileSync(file, lines.join('\r\n'));
    const ledger = await freshLedger();
    await importInto(ledger, azureCostImporter, EA);
    const before = await digest(ledger);
    const error = await importInto(ledger, azureCostImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `${file}:2: Date: expected a date that reads one way, got "04/10/2026": 2026-04-10 as MM/DD/YYYY (Azure's order) or 2026-10-04 as DD/MM/YYYY ` +
        "(a spreadsheet's in other locales), and no date in the file has a day past the 12th to tell which; write the file's dates as YYYY-MM-DD, or download the export from Azure again",
    );
    expect(await digest(ledger)).toBe(before);
    const fresh = await freshLedger();
    const s = await importInto(fresh, azureCostImporter, file, { skipInvalid: true });
    // The GPT-5 output row alone: $0.1 on Oct 10.
    expect(s).toMatchObject({ rowsImported: 1, rowsRejected: 16, costUsd: '0.1', firstTs: '2026-10-10T00:00:00.000Z' });
    await ledger.close();
    await fresh.close();
  });

  it('refuses a file that mixes the two orders at the first row that contradicts the other, naming the line that decided', async () => {
    const lines = readFileSync(EA, 'utf8').split('\r\n');
    lines[5] = swapped(lines[5]!);
    const file = join(tempDir(), 'mixed.csv');
    writeFileSync(file, lines.join('\r\n'));
    const ledger = await freshLedger();
    const before = await digest(ledger);
    await expect(importInto(ledger, azureCostImporter, file)).rejects.toThrow(
      `${file}:6: BillingPeriodEndDate: expected MM/DD/YYYY, the order line 2's BillingPeriodEndDate "10/31/2026" can only be read in, got "31/10/2026", which reads only as DD/MM/YYYY: the file mixes two date orders (parts of exports saved in different locales?)`,
    );
    expect(await digest(ledger)).toBe(before);
    // Within one row too: a DD/MM day beside a MM/DD period.
    const row = readFileSync(EA, 'utf8').split('\r\n');
    row[1] = row[1]!.replace(',10/04/2026,', ',13/10/2026,');
    const inRow = join(tempDir(), 'in-row.csv');
    writeFileSync(inRow, row.join('\r\n'));
    await expect(importInto(ledger, azureCostImporter, inRow)).rejects.toThrow(`${inRow}:2: BillingPeriodEndDate: expected DD/MM/YYYY, the order this line's Date "13/10/2026" can only be read in, got "10/31/2026", which reads only as MM/DD/YYYY`);
    expect(await digest(ledger)).toBe(before);
    await ledger.close();
  });

  it("reads Microsoft's EA sample as it is: Date 9/2/2023 beside the period 9/1/2023–9/30/2023 is September 2", () => {
    const header = ['Date', 'BillingPeriodStartDate', 'BillingPeriodEndDate'];
    const order = new AzureDateOrder(header);
    expect(order.see({ Date: '9/2/2023', BillingPeriodStartDate: '9/1/2023', BillingPeriodEndDate: '9/30/2023' }, 2)).toEqual({ kind: 'read', order: 'mdy' });
    expect(parseUsageDay('9/2/2023', 'mdy')?.toISOString()).toBe('2023-09-02T00:00:00.000Z');
    expect(parseUsageDay('9/2/2023', 'dmy')?.toISOString()).toBe('2023-02-09T00:00:00.000Z');
    // ISO dates need no order; a date alone that reads both ways waits.
    expect(new AzureDateOrder(['Date']).see({ Date: '2026-10-04' }, 2)).toEqual({ kind: 'read', order: 'mdy' });
    expect(new AzureDateOrder(['Date']).see({ Date: '10/4/2026' }, 2)).toEqual({ kind: 'wait' });
    expect(new AzureDateOrder(['Date']).see({ Date: '4/4/2026' }, 2)).toEqual({ kind: 'read', order: 'mdy' });
  });
});

describe('azure-cost: hostile input', () => {
  it('never crashes: random bytes, a huge line, truncated files and other sources give an issue or rows', async () => {
    const dir = tempDir();
    const random = join(dir, 'random.bin');
    writeFileSync(random, Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919 + 17) % 256)));
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, `${'x'.repeat(2_000_000)}\n`);
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, readFileSync(EA).subarray(0, Math.floor(readFileSync(EA).length * 0.57)));
    for (const f of [random, huge, cut, DEMO, ...OTHERS]) {
      const ledger = await freshLedger();
      // Forced, as `--source azure-cost` does: read() itself must cope.
      const outcome = await importInto(ledger, azureCostImporter, f, { source: 'azure-cost' }).then(() => 'ok', (e: unknown) => e);
      if (f !== cut) expect(outcome, f).toBeInstanceOf(InputError);
      if (outcome !== 'ok') {
        expect(outcome, f).toBeInstanceOf(InputError);
        expect(await rows(ledger)).toHaveLength(0);
      }
      await ledger.close();
    }
  });
});

describe('azure-cost: the older pay-as-you-go schema', () => {
  it('has no UnitOfMeasure and is not refused for it: its money is kept as billed', async () => {
    const file = join(tempDir(), 'payg.csv');
    writeFileSync(
      file,
      'SubscriptionGuid,UsageDateTime,MeterCategory,MeterSubcategory,MeterName,UsageQuantity,PreTaxCost,Currency\n' +
        '00000000-0000-0000-0000-0000000000b2,2026-10-14T00:00:00Z,Virtual Machines,Dv3/DSv3 Series,D2 v3/D2s v3,24,2.64,USD\n',
    );
    const ledger = await freshLedger();
    expect(await importInto(ledger, azureCostImporter, file)).toMatchObject({ status: 'imported', rowsImported: 1, costUsd: '2.64' });
    await ledger.close();
  });
});

describe('azure-cost: provisioned throughput, reservations, fine-tuning and non-LLM AI services', () => {
  const EA_COMMIT = join(FIX, 'azure-cost/ea-commitments-2026-11.csv');
  const MCA_COMMIT = join(FIX, 'azure-cost/mca-commitments-2026-11.csv');

  it('counts PTU hours, a PTU reservation, fine-tuning training and hosting as LLM spend; Language and Translator as other services', async () => {
    const ledger = await freshLedger();
    const ea = await importInto(ledger, azureCostImporter, EA_COMMIT);
    // 24 + 11 (PTU hours) + 3,900 (15 PTU × $260 reservation) + 68 + 72 (fine-tuning) + 10 (Text Analytics) + 500 (VM reservation) = 4,585.
    expect(ea).toMatchObject({ rowsImported: 7, costUsd: '4585', unclassified: [] });
    const mca = await importInto(ledger, azureCostImporter, MCA_COMMIT);
    // costInUsd: 15 (Llama fine-tuned hosting) + 8 (regional PTU) + 10 (Translator) = 33.
    expect(mca).toMatchObject({ rowsImported: 3, costUsd: '33', unclassified: [] });
    // usage: 24 + 11 + 3,900 + 68 + 72 + 15 + 8 = 4,098; fee: the VM reservation; non_llm: 10 + 10.
    expect(await byCategory(ledger)).toEqual({ usage: '4098', fee: '500', non_llm: '20' });

    expect(await meter(ledger, 'Provisioned Managed Global Unit')).toMatchObject({ model: null, region: 'global', cost_usd: '24', input_tokens: 0, estimated_cost_usd: null });
    expect(await meter(ledger, 'Provisioned Managed Data Zone Unit')).toMatchObject({ model: null, region: 'eu', cost_usd: '11' });
    const reservation = await meter(ledger, '');
    expect(reservation).toMatchObject({ provider: 'azure', model: null, cost_usd: '3900', input_tokens: 0, estimated_cost_usd: null });
    expect(reservation.description).toBe('Provisioned Managed Global; Purchase of a provisioned throughput reservation, no token estimate');
    expect(await meter(ledger, 'Az-GPT35-Turbo-4K-FTuned Training Unit')).toMatchObject({ model: 'gpt-35-turbo', cost_usd: '68', input_tokens: 0, estimated_cost_usd: null });
    expect(await meter(ledger, 'Az-GPT35-Turbo-4K-FTuned Deployment Hosting Unit')).toMatchObject({ model: 'gpt-35-turbo', cost_usd: '72' });
    expect(await meter(ledger, '3.3 70b FT Deployment Hosting Unit')).toMatchObject({ model: '3.3-70b', cost_usd: '15' });
    expect(await meter(ledger, 'Standard Text Records', 'non_llm')).toMatchObject({ model: null, cost_usd: '10' });
    expect(await meter(ledger, 'S1 Characters', 'non_llm')).toMatchObject({ cost_usd: '10' });
    const vm = (await rows(ledger)).find((r) => r.charge_category === 'fee')!;
    expect(vm).toMatchObject({ cost_usd: '500', model: null });
    await ledger.close();
  });

  it('shows them in report --by provider and --by model, and the invoice still reconciles', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const invoice = join(dir, 'azure-2026-11.yaml');
    writeFileSync(invoice, [
      'provider: azure', 'number: AZ-2026-11', 'period: { start: 2026-11-01, end: 2026-12-01 }', 'lines:',
      '  - { description: Azure OpenAI and Foundry Models, amount: "4098.00" }',
      '  - { description: Reserved VM Instance, kind: fee, amount: "500.00" }',
      '  - { description: Azure AI Language and Translator, kind: other, amount: "20.00" }',
      'total: "4618.00"', '',
    ].join('\n'));
    expect((await runCli(['import', EA_COMMIT, MCA_COMMIT, invoice, '--db', db])).code).toBe(0);
    const window = ['--since', '2026-11-01', '--until', '2026-12-01', '--db', db];
    const byProvider = await runJson<{ rows: { provider: string; cost_usd: number }[] }>(['report', '--by', 'provider', ...window]);
    expect(byProvider.rows.map((r) => [r.provider, r.cost_usd])).toEqual([['azure', 4098]]);
    const byModel = await runJson<{ rows: { model: string; cost_usd: number }[] }>(['report', '--by', 'model', ...window]);
    // No model: 24 + 11 + 3,900 + 8 (PTU and the reservation) = 3,943; gpt-35-turbo: 68 + 72 = 140; the Llama hosting 15.
    expect(byModel.rows.map((r) => [r.model, r.cost_usd])).toEqual([['(unattributed)', 3943], ['gpt-35-turbo', 140], ['3.3-70b', 15]]);
    const rec = await runJson<{ rows: { invoice_total_usd: number; billed_total_usd: number; billed_usage_usd: number; explanations: { kind: string; explains: string; usd: number }[] }[] }>(['reconcile', '--month', '2026-11', '--db', db]);
    expect(rec.rows[0]).toMatchObject({ invoice_total_usd: 4618, billed_total_usd: 4618, billed_usage_usd: 4098 });
    expect(rec.rows[0]!.explanations.filter((e) => e.explains === 'billed_total').map((e) => [e.kind, e.usd])).toEqual([['fees', 500], ['non_llm', 20]]);
  });
});
