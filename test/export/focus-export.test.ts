import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { IMPORTERS } from '../../src/importers/registry.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { ledgerTotals, spendBy } from '../../src/ledger/queries/spend-summary.js';
import { exportRows } from '../../src/export/export-rows.js';
import { focusFormat } from '../../src/export/focus-writer.js';
import { FOCUS_COLUMNS } from '../../src/export/focus-row.js';
import { streamSink } from '../../src/export/stream-sink.js';
import { writeExport } from '../../src/export/write-export.js';
import { Dec, usdToTicks } from '../../src/shared/money.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { comparableRows, fullLedger } from './export-ledger.js';

const DIMENSIONS = ['team', 'feature', 'customer', 'agent', 'project', 'environment', 'api_key', 'workspace', 'user'];

/** FOCUS 1.2 columns (specification/columns at tag v1.2), for checking that ours are real ones. */
const FOCUS_1_2 = new Set([
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'CapacityReservationId', 'CapacityReservationStatus', 'ChargeCategory', 'ChargeClass', 'ChargeDescription',
  'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart', 'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountQuantity', 'CommitmentDiscountStatus', 'CommitmentDiscountType', 'CommitmentDiscountUnit', 'ConsumedQuantity',
  'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'InvoiceId', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice',
  'PricingCategory', 'PricingCurrency', 'PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType',
  'ServiceCategory', 'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'SubAccountType', 'Tags',
]);
/** The mandatory ones (feature level M in 1.2). */
const MANDATORY = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory',
  'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName',
  'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
];

describe('FOCUS export', () => {
  let ledger: LedgerStore;
  let file: string;
  let rows: Record<string, string>[];
  let header: string[];
  beforeAll(async () => {
    ledger = await fullLedger();
    file = join(tempDir(), 'focus.csv');
    const out = createWriteStream(file);
    await writeExport(exportRows(ledger), focusFormat, streamSink(out));
    out.end();
    await finished(out);
    const text = readFileSync(file, 'utf8');
    header = text.slice(0, text.indexOf('\r\n')).split(',');
    rows = parse(text, { columns: true }) as Record<string, string>[];
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('has every mandatory FOCUS 1.2 column, only real FOCUS columns besides x_ ones, one row per ledger row', async () => {
    expect(header).toEqual([...FOCUS_COLUMNS]);
    for (const column of MANDATORY) expect(header).toContain(column);
    for (const column of header) expect(FOCUS_1_2.has(column) || column.startsWith('x_llmfin_'), column).toBe(true);
    expect(rows.length).toBe((await ledgerTotals(ledger)).rows);
  });

  it('BilledCost adds up to the ledger total (billed + priced) exactly; unpriced rows are 0 and flagged', async () => {
    const sum = rows.reduce((acc, r) => acc.plus(r.BilledCost!), new Dec(0));
    const totals = await ledgerTotals(ledger);
    // Exactly the ledger's own decimal amounts, and the same total at the ledger's tick resolution.
    const ledgerSum = (await ledger.db.selectFrom('usage_entries').select('cost_usd').execute()).reduce((acc, r) => acc.plus(r.cost_usd ?? 0), new Dec(0));
    expect(sum.toFixed()).toBe(ledgerSum.toFixed());
    expect(usdToTicks(sum)).toBe(totals.cost_ticks);
    const unpriced = rows.filter((r) => r.x_llmfin_cost_status === 'unpriced');
    expect(unpriced.length).toBe(totals.unpriced_rows);
    expect(unpriced.every((r) => r.BilledCost === '0' && r.x_llmfin_cost_basis === 'unknown')).toBe(true);
    for (const r of rows) expect([r.EffectiveCost, r.ListCost, r.ContractedCost]).toEqual([r.BilledCost, r.BilledCost, r.BilledCost]);
    expect(new Set(rows.filter((r) => r.x_llmfin_provenance === 'billed').map((r) => r.x_llmfin_cost_basis))).toEqual(new Set(['provider']));
  });

  it('a demo row: hand-computed cost, tokens, periods and Tags', () => {
    const r = rows.find((x) => x.x_llmfin_dedupe_key === 'demo-2026-10-01-ticket-summary-acme-production')!;
    // claude-haiku-4-5 at $1 / $5 / $0.10 read / $1.25 5m write per 1M: uncached 6,000,083 − 2,950,136 − 124,084 = 2,925,863
    // 2,925,863×1 + 2,950,136×0.1 + 124,084×1.25 + 519,570×5 = 5,973,831.6 per 1M → $5.9738316
    expect(r).toMatchObject({
      BilledCost: '5.9738316',
      BillingCurrency: 'USD',
      ChargeCategory: 'Usage',
      ChargeClass: '',
      ChargeFrequency: 'Usage-Based',
      ChargePeriodStart: '2026-10-01T00:00:00Z',
      ChargePeriodEnd: '2026-10-02T00:00:00Z',
      BillingPeriodStart: '2026-10-01T00:00:00Z',
      BillingPeriodEnd: '2026-11-01T00:00:00Z',
      ProviderName: 'anthropic',
      ServiceName: 'Anthropic API',
      ServiceCategory: 'AI and Machine Learning',
      SkuId: 'claude-haiku-4-5',
      // 6,000,083 input (cache included) + 519,570 output
      ConsumedQuantity: '6519653',
      ConsumedUnit: 'Tokens',
      PricingQuantity: '6519653',
      PricingUnit: 'Tokens',
      SubAccountId: 'support-prod',
      x_llmfin_provenance: 'metered',
      x_llmfin_source: 'llmfin',
      x_llmfin_cost_status: 'priced',
      x_llmfin_cost_basis: 'llmfin_price',
      x_llmfin_requests: '2590',
      x_llmfin_uncached_input_tokens: '2925863',
      x_llmfin_cache_read_tokens: '2950136',
      x_llmfin_cache_write_5m_tokens: '124084',
    });
    expect(JSON.parse(r.Tags!)).toEqual({ team: 'support', feature: 'ticket-summary', customer: 'acme', project: 'support-prod', environment: 'production', api_key: 'sk-support-prod' });
  });

  it('every Tags cell is a JSON object of strings; taxes and credits keep their category', () => {
    for (const r of rows.filter((x) => x.Tags !== '')) {
      const tags = JSON.parse(r.Tags!) as Record<string, unknown>;
      expect(Object.values(tags).every((v) => typeof v === 'string')).toBe(true);
    }
    const byCategory = (c: string) => rows.filter((r) => r.x_llmfin_charge_category === c).map((r) => r.ChargeCategory);
    expect(new Set(byCategory('tax'))).toEqual(new Set(['Tax']));
    expect(new Set(byCategory('credit'))).toEqual(new Set(['Credit']));
    expect(new Set(byCategory('support'))).toEqual(new Set(['Purchase']));
  });

  it("imports back (llmfin source) as the rows it was written from, every report total the same to the tick", async () => {
    const copy = await freshLedger();
    const summary = await importInto(copy, IMPORTERS, file);
    expect(summary).toMatchObject({ source: 'llmfin', status: 'imported', rowsRejected: 0, rowsRead: rows.length, rowsImported: rows.length });
    const totals = async (l: LedgerStore) => {
      const { batches: _b, invoices: _i, ...all } = await ledgerTotals(l);
      return {
        all,
        byLayer: await spendBy(l, { by: ['provider', 'source', 'account', 'model'], provenance: ['billed', 'provider_usage', 'metered'] }),
        byTeam: await spendBy(l, { by: ['team', 'feature', 'customer', 'agent', 'project', 'environment'] }),
      };
    };
    expect(await totals(copy)).toEqual(await totals(ledger));
    // FOCUS has no place for raw usage and the catalogue version; a tag of a dimension's name
    // that a source kept beside its column (CUR's team) comes back as the column alone.
    const comparable = async (l: LedgerStore) =>
      (await comparableRows(l)).map(({ raw_usage: _r, catalogue_version: _c, tags, ...rest }) => {
        const custom = Object.entries(JSON.parse(tags ?? '{}') as Record<string, string>).filter(([key]) => !DIMENSIONS.includes(key));
        return { ...rest, tags: custom.length > 0 ? Object.fromEntries(custom) : null };
      });
    expect(await comparable(copy)).toEqual(await comparable(ledger));
    expect((await importInto(ledger, IMPORTERS, file)).rowsSkipped).toBe(rows.length);
    await copy.close();
  });
});
