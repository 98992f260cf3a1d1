/**
 * One FOCUS row → one billed ledger row. BilledCost is the money (exact decimal text);
 * ChargeCategory says what kind of charge it is; LLM token meters of Bedrock, Azure
 * OpenAI / Foundry, Vertex AI, the Gemini API and LLM vendors get a model and tokens so
 * that llmfin's estimate sits beside the bill; AI-looking meters we cannot read keep
 * their money as `unclassified`; everything else on the bill is `non_llm`.
 */
import type { ChargeCategory, NewUsageEntry } from '../../ledger/ledger-schema.js';
import { dec, toTickUsd, usdTextAndTicks } from '../../shared/money.js';
import { ownString } from '../../shared/own-string.js';
import { buildEntry } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import { isTokenish, meterUsage, parseMeter, providerInfo, tokenCount, type Meter, type ProviderInfo } from './focus-meter.js';
import { chargeTime, parseFocusTime } from './focus-time.js';

/** Reads a cell by its FOCUS column name whatever the header's case; '' when absent or null. */
export type Cell = (name: string) => string;

export type ChargeResult = { ok: true; entry: NewUsageEntry } | { ok: false; column: string; message: string };

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const CATEGORIES: Record<string, ChargeCategory | 'usage?'> = {
  usage: 'usage?',
  purchase: 'fee',
  tax: 'tax',
  credit: 'credit',
  adjustment: 'fee',
};

const AI_CATEGORY = /^ai and machine learning$/i;
const GENAI_SUBCATEGORY = /generative ai/i;

/** Provider-specific meter columns first (they name the model), the human description last. */
const METER_COLUMNS = ['SkuMeter', 'x_SkuMeterName', 'x_UsageType', 'x_SkuDescription', 'ChargeDescription'];

function bad(column: string, expected: string, got: string): ChargeResult {
  return { ok: false, column, message: `expected ${expected}, got ${got === '' ? 'nothing' : JSON.stringify(got)}` };
}

/** FOCUS Tags: a JSON object of string values (numbers and booleans are kept as text). */
export function parseTags(text: string): Record<string, string> | undefined {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Azure cost exports write the object without its braces; accept that spelling too.
    try {
      value = JSON.parse(`{${text}}`);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const tags: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // The official sample has both "org" and " org": keys are trimmed, the first spelling wins.
    const k = key.trim();
    if (k === '' || k in tags || v === null || v === undefined) continue;
    tags[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return tags;
}

/**
 * Memos for the per-row text work whose inputs repeat across a bill (a few meters,
 * providers, tag sets and period bounds over millions of rows). Bounded: cleared when
 * full. The values are only read, never changed, so rows may share them.
 */
class Memo<V> {
  readonly #values = new Map<string, V>();
  get(key: string, compute: () => V): V {
    // One lookup for the usual hit; `has` only tells a stored undefined from a miss.
    const known = this.#values.get(key);
    if (known !== undefined || this.#values.has(key)) return known as V;
    const value = compute();
    if (this.#values.size >= 4096) this.#values.clear();
    // The key is usually a cell: kept as itself it would pin its block of the file.
    this.#values.set(ownString(key), value);
    return value;
  }
}

const meters = new Memo<Meter | undefined>();
const times = new Memo<number | undefined>();
const tagSets = new Memo<Record<string, string> | undefined>();
const providersByPricer = new WeakMap<ImportContext['pricer'], Memo<ProviderInfo>>();

function focusTime(text: string): Date | undefined {
  const ms = times.get(text, () => parseFocusTime(text)?.getTime());
  return ms === undefined ? undefined : new Date(ms);
}

/**
 * The billed amount in USD. A bill in another currency converts at the row's own rate:
 * FOCUS 1.2 gives the effective cost in the pricing currency beside the billing one
 * (PricingCurrencyEffectiveCost / EffectiveCost), and the ledger keeps USD. Half-even
 * to the tick (1e-10 USD); the amounts as billed stay in the row's raw usage. Undefined
 * when a non-USD row gives no rate (a zero amount needs none).
 */
function billedInUsd(billed: string, currency: string, cell: Cell): string | undefined {
  if (currency === '' || currency.toUpperCase() === 'USD') return usdTextAndTicks(billed).text;
  const amount = dec(billed);
  if (amount.isZero()) return '0';
  const inPricing = cell('PricingCurrencyEffectiveCost');
  const effective = cell('EffectiveCost');
  if (cell('PricingCurrency').toUpperCase() !== 'USD' || !DECIMAL.test(inPricing) || !DECIMAL.test(effective) || dec(effective).isZero()) return undefined;
  return toTickUsd(amount.times(dec(inPricing)).div(dec(effective)));
}

export function readCharge(cell: Cell, ctx: ImportContext): ChargeResult {
  const billed = cell('BilledCost');
  if (!DECIMAL.test(billed)) return bad('BilledCost', 'a decimal amount', billed);
  const currency = cell('BillingCurrency');
  const usd = billedInUsd(billed, currency, cell);
  if (usd === undefined) {
    return bad('BillingCurrency', 'USD, or (FOCUS 1.2) PricingCurrency USD with PricingCurrencyEffectiveCost beside a non-zero EffectiveCost to convert by', currency);
  }
  const categoryText = cell('ChargeCategory');
  const category = CATEGORIES[categoryText.toLowerCase()];
  if (!category) return bad('ChargeCategory', 'one of Usage, Purchase, Tax, Credit, Adjustment', categoryText);

  const startText = cell('ChargePeriodStart');
  const start = focusTime(startText);
  if (!start) return bad('ChargePeriodStart', 'a date/time', startText);
  const time: Record<string, Date | undefined> = {};
  for (const column of ['ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd']) {
    const text = cell(column);
    if (text === '') continue;
    time[column] = focusTime(text);
    if (!time[column]) return bad(column, 'a date/time', text);
  }
  const tagsText = cell('Tags');
  const tags = tagSets.get(tagsText, () => parseTags(tagsText));
  if (!tags) return bad('Tags', 'a JSON object', tagsText.length > 60 ? `${tagsText.slice(0, 60)}…` : tagsText);

  const when = chargeTime(start, time.ChargePeriodEnd, time.BillingPeriodStart, time.BillingPeriodEnd);
  const serviceName = cell('ServiceName');
  let providers = providersByPricer.get(ctx.pricer);
  if (!providers) providersByPricer.set(ctx.pricer, (providers = new Memo()));
  const providerName = cell('ProviderName');
  const provider = providers.get(`${providerName}\u0000${serviceName}`, () => providerInfo(providerName, serviceName, (id) => ctx.pricer.catalogue.canonicalProviderId(id)));
  const meterText = METER_COLUMNS.map(cell).find((t) => t !== '') ?? '';
  const units = [cell('ConsumedUnit'), cell('PricingUnit')];
  const correction = /^correction$/i.test(cell('ChargeClass'));

  // Usage: LLM usage, an AI meter we cannot read, or the rest of the bill.
  let chargeCategory: ChargeCategory;
  let llmProvider: string | undefined;
  if (category !== 'usage?') chargeCategory = category;
  else {
    const aiService = AI_CATEGORY.test(cell('ServiceCategory')) || GENAI_SUBCATEGORY.test(cell('ServiceSubcategory'));
    const tokenish = isTokenish(meterText, ...units);
    if (provider.llm !== undefined || (aiService && tokenish)) {
      llmProvider = provider.llm ?? provider.llmDefault;
      chargeCategory = 'usage';
    } else chargeCategory = 'non_llm';
  }

  const meterKey = llmProvider === undefined ? '' : METER_COLUMNS.map(cell).join(' | ');
  const meter = llmProvider === undefined ? undefined : meters.get(`${llmProvider}\u0000${meterKey}`, () => parseMeter(meterKey, llmProvider!));
  if (llmProvider !== undefined && !meter) chargeCategory = 'unclassified';
  let tokens: number | undefined;
  if (meter) {
    // The meter names a token type, so a bare `1K` or `count` unit counts tokens.
    tokens = tokenCount(cell('ConsumedQuantity'), cell('ConsumedUnit'), true) ?? tokenCount(cell('PricingQuantity'), cell('PricingUnit'), true);
  }

  // Unclassified rows show the meter to map (runImport lists them); the rest the bill's own wording.
  const description = [
    correction ? 'correction' : '',
    chargeCategory === 'unclassified' ? `${serviceName || cell('ProviderName')}: ${meterText || cell('SkuId')}` : cell('ChargeDescription') || meterText,
  ]
    .filter(Boolean)
    .join(': ');

  // Every column written out, in one order (absent ones undefined, which JSON leaves out):
  // one object shape for all rows, which JSON.stringify writes several times faster.
  const some = (column: string): string | undefined => {
    const v = cell(column);
    return v === '' ? undefined : v;
  };
  const raw = {
    BilledCost: some('BilledCost'), EffectiveCost: some('EffectiveCost'), ListCost: some('ListCost'), ContractedCost: some('ContractedCost'),
    BillingCurrency: some('BillingCurrency'), PricingCurrency: some('PricingCurrency'), PricingCurrencyEffectiveCost: some('PricingCurrencyEffectiveCost'),
    ChargeCategory: some('ChargeCategory'), ChargeClass: some('ChargeClass'), ChargePeriodStart: some('ChargePeriodStart'), ChargePeriodEnd: some('ChargePeriodEnd'),
    BillingPeriodStart: some('BillingPeriodStart'), BillingPeriodEnd: some('BillingPeriodEnd'), ConsumedQuantity: some('ConsumedQuantity'), ConsumedUnit: some('ConsumedUnit'),
    PricingQuantity: some('PricingQuantity'), PricingUnit: some('PricingUnit'), ProviderName: some('ProviderName'), ServiceName: some('ServiceName'), SkuId: some('SkuId'),
    SkuPriceId: some('SkuPriceId'), InvoiceId: some('InvoiceId'), token_type: meter?.kind,
  };

  const entry = buildEntry(
    {
      source: 'focus',
      provenance: 'billed',
      // The importer replaces this with the row's identity hash.
      dedupeKey: '',
      // Credits and taxes of an LLM service stay with that provider so its billed total reconciles.
      provider: llmProvider ?? provider.llm ?? provider.slug,
      ts: when.ts,
      tsEnd: when.tsEnd,
      granularity: when.granularity,
      model: meter?.model,
      account: cell('SubAccountId') || cell('BillingAccountId') || null,
      usage: meter && tokens !== undefined ? meterUsage(meter, tokens) : undefined,
      // Each FOCUS token meter is one disjoint bucket: cached tokens are not inside an input meter.
      convention: { input_includes_cache: false, output_includes_reasoning: true },
      serviceTier: meter?.serviceTier,
      region: cell('RegionId') || undefined,
      billedUsd: usd,
      chargeCategory,
      description: description || null,
      tags,
      raw,
      // A FOCUS row is a meter over a period, not a count of requests.
      requests: 0,
    },
    ctx,
  );
  return { ok: true, entry };
}
