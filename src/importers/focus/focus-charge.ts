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
import { CACHE_OUTSIDE_INPUT } from '../../pricing/token-usage.js';
import { isTokenish, meterUsage, parseMeter, providerInfo, tokenCount, type Meter } from './focus-meter.js';
import { chargeTimeMs, instantTime, parseFocusTime, type ChargeTime } from './focus-time.js';
import { FocusIdentity } from './focus-identity.js';
import { FocusDates } from './focus-dates.js';
import { groupedId, roundedId } from '../aws-cur/billing-values.js';
import { tagDims, type TagDims } from '../tag-dims.js';

/**
 * The FOCUS columns a charge reads. A header is resolved to their cell indexes once
 * (`focusLayout`), so a row reads a cell by index instead of looking its name up.
 */
const COLUMNS = [
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'BillingCurrency', 'PricingCurrency', 'PricingCurrencyEffectiveCost',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd',
  'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory',
  'SkuId', 'SkuPriceId', 'SkuMeter', 'x_SkuMeterName', 'x_UsageType', 'x_SkuDescription', 'InvoiceId', 'Tags', 'RegionId', 'SubAccountId', 'BillingAccountId',
] as const;

/** Each column's cell index in a row, -1 when the header has no such column. */
export type FocusLayout = Readonly<Record<(typeof COLUMNS)[number], number>>;

/**
 * The layout of `names` (the header as the first row's record has it): names match
 * whatever their case, and of two spellings of one name the later column wins, as a
 * header-keyed record keeps the later cell.
 */
export function focusLayout(names: readonly string[]): FocusLayout {
  const byLowerName = new Map<string, number>();
  names.forEach((name, i) => byLowerName.set(name.toLowerCase(), i));
  const layout: Record<string, number> = {};
  for (const column of COLUMNS) layout[column] = byLowerName.get(column.toLowerCase()) ?? -1;
  return layout as FocusLayout;
}

/** One row's cells: `width` of them are the row's (a short row lacks its last columns). */
export interface FocusCells {
  cells: readonly string[];
  width: number;
}

/**
 * `text.trim()`, without the call for the usual cell, which begins and ends with a
 * printable ASCII character (a row reads some 120 trimmed cells; most need nothing).
 */
export function trimmed(text: string): string {
  const n = text.length;
  if (n === 0) return text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? text : text.trim();
}

/** The cell at index `i` (trimmed); '' when the column is absent or the row is short. */
function at(row: FocusCells, i: number): string {
  return i < 0 || i >= row.width ? '' : trimmed(row.cells[i]!);
}

export type ChargeResult = { ok: true; entry: NewUsageEntry; charge: ChargeClass } | { ok: false; column: string; message: string } | typeof WAIT;

/** A row that waits for its file's slash-date order (readCharge). */
export const WAIT = { ok: false, wait: true } as const;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ROUNDED_ID = 'an account id as exported, not a number a spreadsheet rounded (export the file again)';
const GROUPED_ID = 'an account id as exported, not a number a spreadsheet wrote with thousands separators (export the file again)';

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
const METER_COLUMNS = ['SkuMeter', 'x_SkuMeterName', 'x_UsageType', 'x_SkuDescription', 'ChargeDescription'] as const;

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
  get(key: string, compute: (key: string) => V): V {
    // One lookup for the usual hit; `has` only tells a stored undefined from a miss.
    const known = this.#values.get(key);
    if (known !== undefined || this.#values.has(key)) return known as V;
    const value = compute(key);
    if (this.#values.size >= 4096) this.#values.clear();
    // The key is usually a cell: kept as itself it would pin its block of the file.
    this.#values.set(ownString(key), value);
    return value;
  }
}

/**
 * A tag set, its JSON text as the ledger stores it (null when empty) and the dimensions
 * its keys name: one per distinct Tags cell, so a million rows pay for a few hundred.
 */
interface TagSet {
  tags: Record<string, string>;
  json: string | null;
  dims: TagDims;
}

const times = new Memo<number | undefined>();
const tagSets = new Memo<TagSet | undefined>();

function tagSet(text: string): TagSet | undefined {
  const tags = parseTags(text);
  if (tags === undefined) return undefined;
  let json: string | null = null;
  for (const _ in tags) {
    json = JSON.stringify(tags);
    break;
  }
  return { tags, json, dims: tagDims(tags) };
}

/** The instant of a FOCUS date/time cell in ms, undefined when it is not one. */
function focusTime(text: string): number | undefined {
  return times.get(text, parseTime);
}
function parseTime(text: string): number | undefined {
  return parseFocusTime(text)?.getTime();
}

/**
 * The billed amount in USD. A bill in another currency converts at the row's own rate:
 * FOCUS 1.2 gives the effective cost in the pricing currency beside the billing one
 * (PricingCurrencyEffectiveCost / EffectiveCost), and the ledger keeps USD. Half-even
 * to the tick (1e-10 USD); the amounts as billed stay in the row's raw usage. Undefined
 * when a non-USD row gives no rate (a zero amount needs none).
 */
function billedInUsd(billed: string, currency: string, row: FocusCells, L: FocusLayout): { text: string; ticks: bigint } | undefined {
  if (currency === '' || currency === 'USD' || currency.toUpperCase() === 'USD') return usdTextAndTicks(billed);
  const amount = dec(billed);
  if (amount.isZero()) return usdTextAndTicks('0');
  const inPricing = at(row, L.PricingCurrencyEffectiveCost);
  const effective = at(row, L.EffectiveCost);
  if (at(row, L.PricingCurrency).toUpperCase() !== 'USD' || !DECIMAL.test(inPricing) || !DECIMAL.test(effective) || dec(effective).isZero()) return undefined;
  return usdTextAndTicks(toTickUsd(amount.times(dec(inPricing)).div(dec(effective))));
}

/**
 * What a charge is, from the cells that say so (category, class, provider, service,
 * meter and unit columns): these repeat across a bill, so it is worked out once per
 * distinct combination (`Classes`) rather than with a dozen regular expressions a row.
 * Its strings are the module's own (ownString), never slices of the file.
 */
export interface ChargeClass {
  /**
   * The digests of its class cells (FocusIdentity.cellDigests, in CLASS_COLUMNS order),
   * made with the class: a class stands for one set of those cells, so a row's identity
   * takes their digests from here rather than finding each cell again.
   */
  cellDigests: Int32Array;
  /** Undefined: ChargeCategory is not one FOCUS defines (the row is an issue). */
  category: ChargeCategory | 'usage?' | undefined;
  chargeCategory: ChargeCategory;
  /** The ledger provider of the row. */
  provider: string;
  meter: Meter | undefined;
  description: string | null;
  /** The raw usage JSON members this class decides (see rawMember), in their places' order. */
  raw: { category: string; consumedUnit: string; pricing: string; tokenType: string };
}

/** The class-deciding cells of a row, in the order of its memo key. */
export const CLASS_COLUMNS = [
  'ChargeCategory', 'ChargeClass', 'ProviderName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory',
  'SkuMeter', 'x_SkuMeterName', 'x_UsageType', 'x_SkuDescription', 'ChargeDescription', 'ConsumedUnit', 'PricingUnit', 'SkuId',
] as const;

function classify(cell: (column: (typeof CLASS_COLUMNS)[number]) => string, pricer: ImportContext['pricer']): ChargeClass {
  const categoryText = cell('ChargeCategory');
  const category = Object.hasOwn(CATEGORIES, categoryText.toLowerCase()) ? CATEGORIES[categoryText.toLowerCase()] : undefined;
  const serviceName = cell('ServiceName');
  const providerName = cell('ProviderName');
  const provider = providerInfo(providerName, serviceName, (id) => pricer.catalogue.canonicalProviderId(id));
  const meterTexts = METER_COLUMNS.map(cell);
  const meterText = meterTexts.find((t) => t !== '') ?? '';
  const correction = /^correction$/i.test(cell('ChargeClass'));

  // Usage: LLM usage, an AI meter we cannot read, or the rest of the bill.
  let chargeCategory: ChargeCategory = 'non_llm';
  let llmProvider: string | undefined;
  if (category === undefined) chargeCategory = 'non_llm';
  else if (category !== 'usage?') chargeCategory = category;
  else {
    const aiService = AI_CATEGORY.test(cell('ServiceCategory')) || GENAI_SUBCATEGORY.test(cell('ServiceSubcategory'));
    const tokenish = isTokenish(meterText, cell('ConsumedUnit'), cell('PricingUnit'));
    if (provider.llm !== undefined || (aiService && tokenish)) {
      llmProvider = provider.llm ?? provider.llmDefault;
      chargeCategory = 'usage';
    }
  }
  const meter = llmProvider === undefined ? undefined : parseMeter(meterTexts.join(' | '), llmProvider);
  if (llmProvider !== undefined && !meter) chargeCategory = 'unclassified';

  // Unclassified rows show the meter to map (runImport lists them); the rest the bill's own wording.
  const description = [
    correction ? 'correction' : '',
    chargeCategory === 'unclassified' ? `${serviceName || providerName}: ${meterText || cell('SkuId')}` : cell('ChargeDescription') || meterText,
  ]
    .filter(Boolean)
    .join(': ');
  return {
    cellDigests: FocusIdentity.cellDigests(CLASS_COLUMNS.map(cell)),
    category,
    chargeCategory,
    // Credits and taxes of an LLM service stay with that provider so its billed total reconciles.
    provider: ownString(llmProvider ?? provider.llm ?? provider.slug),
    meter,
    description: description === '' ? null : ownString(description),
    raw: {
      category: ownString(rawMember('ChargeCategory', categoryText) + rawMember('ChargeClass', cell('ChargeClass'))),
      consumedUnit: ownString(rawMember('ConsumedUnit', cell('ConsumedUnit'))),
      pricing: ownString(rawMember('PricingUnit', cell('PricingUnit')) + rawMember('ProviderName', providerName) + rawMember('ServiceName', serviceName) + rawMember('SkuId', cell('SkuId'))),
      tokenType: meter === undefined ? '' : rawMember('token_type', meter.kind),
    },
  };
}

/** Charge classes by their cells, per pricer (a provider's catalogue id depends on the catalogue). */
class Classes {
  readonly #memo = new Memo<ChargeClass>();
  readonly #pricer: ImportContext['pricer'];
  #row: FocusCells = { cells: [], width: 0 };
  #layout: FocusLayout | undefined;
  readonly #compute = (): ChargeClass => classify((column) => at(this.#row, this.#layout![column]), this.#pricer);

  constructor(pricer: ImportContext['pricer']) {
    this.#pricer = pricer;
  }

  /**
   * Classes seen, by a row's SkuId, SkuMeter and x_UsageType, each with its class cells:
   * a row is matched by comparing its cells with them, which is cheaper than building and
   * hashing the whole memo key. Up to 8 classes a bucket; other rows use the memo.
   */
  readonly #buckets = new Map<string, Array<{ cells: string[]; charge: ChargeClass }>>();

  /**
   * The last RECENT classes found, tried first: a bill's rows cycle through a few meters
   * (a resource's input, output and cache tokens, hour after hour), so most rows match
   * one of them by their cells alone, without building a key and hashing it.
   */
  readonly #recent: Array<{ cells: string[]; charge: ChargeClass }> = [];
  #nextRecent = 0;
  /** This row's class cells, in CLASS_COLUMNS order (reused from row to row). */
  readonly #cells: string[] = CLASS_COLUMNS.map(() => '');

  of(row: FocusCells, L: FocusLayout): ChargeClass {
    const cells = this.#cells;
    for (let k = 0; k < CLASS_COLUMNS.length; k++) cells[k] = at(row, L[CLASS_COLUMNS[k]!]);
    const recent = this.#recent;
    for (let r = 0; r < recent.length; r++) if (sameCells(recent[r]!.cells, cells)) return recent[r]!.charge;
    const known = this.#find(row, L, cells);
    if (recent.length < RECENT) recent.push(known);
    else recent[this.#nextRecent] = known;
    this.#nextRecent = (this.#nextRecent + 1) % RECENT;
    return known.charge;
  }

  #find(row: FocusCells, L: FocusLayout, cells: readonly string[]): { cells: string[]; charge: ChargeClass } {
    const id = `${at(row, L.SkuId)}\u0000${at(row, L.SkuMeter)}\u0000${at(row, L.x_UsageType)}`;
    let bucket = this.#buckets.get(id);
    if (bucket !== undefined) {
      for (const known of bucket) if (sameCells(known.cells, cells)) return known;
    }
    // Each cell led by its length: two rows have one key only when their cells are equal.
    let key = '';
    for (const text of cells) key += `${text.length}:${text}`;
    this.#row = row;
    this.#layout = L;
    const known = { cells: cells.map(ownString), charge: this.#memo.get(key, this.#compute) };
    if (bucket === undefined) {
      if (this.#buckets.size >= 4096) this.#buckets.clear();
      this.#buckets.set(ownString(id), (bucket = []));
    }
    if (bucket.length < 8) bucket.push(known);
    return known;
  }
}

/** How many recent classes a row is compared with before its SKU's bucket. */
const RECENT = 16;

/** Whether two rows' class cells are equal; SkuId (the last) first, as it differs soonest. */
function sameCells(a: readonly string[], b: readonly string[]): boolean {
  for (let k = CLASS_COLUMNS.length - 1; k >= 0; k--) if (a[k] !== b[k]) return false;
  return true;
}

const classesByPricer = new WeakMap<ImportContext['pricer'], Classes>();

/** Whether JSON writes `text` as is between its quotes (no quote, backslash, control character or surrogate). */
function plainJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/**
 * One member of a row's raw usage JSON, `,"name":"value"`, as JSON.stringify writes it
 * in an object; nothing for an empty cell, which the object leaves out. `name` is one
 * of the raw usage's column names, none of which JSON escapes.
 */
function rawMember(name: string, value: string): string {
  if (value === '') return '';
  return `,"${name}":${plainJson(value) ? `"${value}"` : JSON.stringify(value)}`;
}

/** A row's period cells and the ledger time they give. */
export interface PeriodTime {
  start: string;
  end: string;
  billStart: string;
  billEnd: string;
  when: ChargeTime;
  at: Date;
  raw: string;
}

/** One file's slash-date order (focus-dates.ts), remembering its last period read with one. */
export type FileDates = FocusDates<PeriodTime>;

export function fileDates(): FileDates {
  return new FocusDates<PeriodTime>();
}

/** The ledger time of the last row: a bill's rows come in runs of one charge period. */
let lastTime: PeriodTime | undefined;

/** A slash date's instant in each order (memoised as `times` is). */
const slashTimes = { mdy: new Memo<number | undefined>(), dmy: new Memo<number | undefined>() };
const mdyTime = (text: string) => slashTimes.mdy.get(text, (t) => parseFocusTime(t, 'mdy')?.getTime());
const dmyTime = (text: string) => slashTimes.dmy.get(text, (t) => parseFocusTime(t, 'dmy')?.getTime());

/** The period of a row with a slash date, read in its file's order; or why not (yet). */
function slashPeriod(startText: string, endText: string, billStartText: string, billEndText: string, dates: FileDates, line: number): PeriodTime | ChargeResult {
  const last = dates.last;
  if (last !== undefined && last.cells[0] === startText && last.cells[1] === endText && last.cells[2] === billStartText && last.cells[3] === billEndText) return last.time;
  const verdict = dates.see([startText, endText, billStartText, billEndText], line);
  if (verdict.kind === 'refuse') return { ok: false, column: verdict.column, message: verdict.message };
  if (verdict.kind === 'wait') {
    // A row wrong whichever way its dates read (an end on its start) is refused for that now.
    const mdy = periodOf(startText, endText, billStartText, billEndText, mdyTime);
    return 'when' in mdy || 'when' in periodOf(startText, endText, billStartText, billEndText, dmyTime) ? WAIT : mdy;
  }
  const made = periodOf(startText, endText, billStartText, billEndText, verdict.order === 'mdy' ? mdyTime : dmyTime);
  if ('when' in made) dates.last = { cells: [made.start, made.end, made.billStart, made.billEnd], time: made };
  return made;
}

/** The ledger time of a row's period cells, each read by `read`; or the issue of the cell that is wrong. */
function periodOf(startText: string, endText: string, billStartText: string, billEndText: string, read: (text: string) => number | undefined): PeriodTime | ChargeResult {
  const start = read(startText);
  if (start === undefined) return bad('ChargePeriodStart', 'a date/time', startText);
  // FOCUS requires the end (it is not nullable in 1.0–1.2, nor empty in any official sample).
  // Without it the charge would be guessed to last to its billing period's end: a day's
  // charge spread over the month, and the file's span (what a re-import replaces) with it.
  if (endText === '') return bad('ChargePeriodEnd', `a date/time after ChargePeriodStart ${JSON.stringify(startText)} (FOCUS requires a charge period's end)`, endText);
  const bounds: Array<number | undefined> = [];
  for (const [column, text] of [['ChargePeriodEnd', endText], ['BillingPeriodStart', billStartText], ['BillingPeriodEnd', billEndText]] as const) {
    const ms = text === '' ? undefined : read(text);
    if (text !== '' && ms === undefined) return bad(column, 'a date/time', text);
    bounds.push(ms);
  }
  // A charge period ends after it starts. One that does not (a spreadsheet that saved the
  // times as dates gives an hour's row the same day twice) would be stretched to the end of
  // its billing period, and the file's span with it, replacing other days' rows.
  // An end equal to a start with a time of day other than midnight is an instant (one
  // request, as llmfin's own FOCUS export writes a proxy row): it stays at its time.
  const instant = bounds[0] === start && start % 86_400_000 !== 0;
  if (bounds[0] !== undefined && bounds[0] <= start && !instant) {
    const why = endText === startText ? ' (the same as the start: were the hours lost when the file was saved?)' : '';
    return bad('ChargePeriodEnd', `a date/time after ChargePeriodStart ${JSON.stringify(startText)}${why}`, endText);
  }
  const when = instant ? instantTime(start) : chargeTimeMs(start, bounds[0], bounds[1], bounds[2]);
  const raw = rawMember('ChargePeriodStart', startText) + rawMember('ChargePeriodEnd', endText) + rawMember('BillingPeriodStart', billStartText) + rawMember('BillingPeriodEnd', billEndText);
  return { start: ownString(startText), end: ownString(endText), billStart: ownString(billStartText), billEnd: ownString(billEndText), when, at: new Date(when.ts), raw: ownString(raw) };
}

/**
 * One row's charge, or the issue that stops it; WAIT when a date of it reads as two days
 * and its file's order is not decided yet (the importer reads the row again once it is).
 * `dates` is the row's file's, `line` the row's.
 */
export function readCharge(row: FocusCells, L: FocusLayout, ctx: ImportContext, dates: FileDates, line: number): ChargeResult {
  const billed = at(row, L.BilledCost);
  if (!DECIMAL.test(billed)) return bad('BilledCost', 'a decimal amount', billed);
  const currency = at(row, L.BillingCurrency);
  const usd = billedInUsd(billed, currency, row, L);
  if (usd === undefined) {
    return bad('BillingCurrency', 'USD, or (FOCUS 1.2) PricingCurrency USD with PricingCurrencyEffectiveCost beside a non-zero EffectiveCost to convert by', currency);
  }
  let classes = classesByPricer.get(ctx.pricer);
  if (!classes) classesByPricer.set(ctx.pricer, (classes = new Classes(ctx.pricer)));
  const charge = classes.of(row, L);
  if (charge.category === undefined) return bad('ChargeCategory', 'one of Usage, Purchase, Tax, Credit, Adjustment', at(row, L.ChargeCategory));

  const startText = at(row, L.ChargePeriodStart);
  const endText = at(row, L.ChargePeriodEnd);
  const billStartText = at(row, L.BillingPeriodStart);
  const billEndText = at(row, L.BillingPeriodEnd);
  let time = lastTime;
  if (time === undefined || time.start !== startText || time.end !== endText || time.billStart !== billStartText || time.billEnd !== billEndText) {
    // A slash date's day depends on its file's order (focus-dates.ts); an ISO file never asks.
    const slash = startText.includes('/') || endText.includes('/') || billStartText.includes('/') || billEndText.includes('/');
    const made = slash ? slashPeriod(startText, endText, billStartText, billEndText, dates, line) : periodOf(startText, endText, billStartText, billEndText, focusTime);
    if (!('when' in made)) return made;
    time = made;
    // The last period is remembered across files only when no file's order went into it.
    if (!slash) lastTime = made;
  }
  const tagsText = at(row, L.Tags);
  const tags = tagSets.get(tagsText, tagSet);
  if (!tags) return bad('Tags', 'a JSON object', tagsText.length > 60 ? `${tagsText.slice(0, 60)}…` : tagsText);

  const meter = charge.meter;
  let tokens: number | undefined;
  if (meter) {
    // The quantities of a token meter are its token count: one that is not a number
    // ("1,000,000" as a spreadsheet saves it) is the row's issue, not a row without tokens.
    const consumed = at(row, L.ConsumedQuantity);
    if (consumed !== '' && !DECIMAL.test(consumed)) return bad('ConsumedQuantity', 'a decimal quantity', consumed);
    const pricing = at(row, L.PricingQuantity);
    if (pricing !== '' && !DECIMAL.test(pricing)) return bad('PricingQuantity', 'a decimal quantity', pricing);
    // The meter names a token type, so a bare `1K` or `count` unit counts tokens.
    tokens = tokenCount(consumed, at(row, L.ConsumedUnit), true) ?? tokenCount(pricing, at(row, L.PricingUnit), true);
  }

  // The raw usage: the row's non-empty cells of these columns and its token type, as
  // JSON.stringify writes the object of them (the same bytes), from members: those its
  // class and its period decide are made once for them (a bill repeats them row after
  // row); the amounts and the few other cells are written here. BilledCost is a decimal
  // (checked above), which JSON writes as is, and always there. Stringifying the object
  // was ~1.5 µs of a FOCUS row's ~15 µs reading.
  const classRaw = charge.raw;
  const rawJson =
    `{"BilledCost":"${billed}"${rawMember('EffectiveCost', at(row, L.EffectiveCost))}${rawMember('ListCost', at(row, L.ListCost))}` +
    `${rawMember('ContractedCost', at(row, L.ContractedCost))}${rawMember('BillingCurrency', currency)}${rawMember('PricingCurrency', at(row, L.PricingCurrency))}` +
    `${rawMember('PricingCurrencyEffectiveCost', at(row, L.PricingCurrencyEffectiveCost))}${classRaw.category}${time.raw}` +
    `${rawMember('ConsumedQuantity', at(row, L.ConsumedQuantity))}${classRaw.consumedUnit}${rawMember('PricingQuantity', at(row, L.PricingQuantity))}` +
    `${classRaw.pricing}${rawMember('SkuPriceId', at(row, L.SkuPriceId))}${rawMember('InvoiceId', at(row, L.InvoiceId))}${classRaw.tokenType}}`;

  const subAccount = at(row, L.SubAccountId);
  const billingAccount = at(row, L.BillingAccountId);
  if (roundedId(subAccount)) return bad('SubAccountId', ROUNDED_ID, subAccount);
  if (roundedId(billingAccount)) return bad('BillingAccountId', ROUNDED_ID, billingAccount);
  if (groupedId(subAccount)) return bad('SubAccountId', GROUPED_ID, subAccount);
  if (groupedId(billingAccount)) return bad('BillingAccountId', GROUPED_ID, billingAccount);

  const when = time.when;
  const entry = buildEntry(
    {
      source: 'focus',
      provenance: 'billed',
      // The importer replaces this with the row's identity hash.
      dedupeKey: '',
      provider: charge.provider,
      ts: when.ts,
      at: time.at,
      tsEnd: when.tsEnd,
      granularity: when.granularity,
      model: meter?.model,
      account: subAccount || billingAccount || null,
      usage: meter && tokens !== undefined ? meterUsage(meter, tokens) : undefined,
      // Each FOCUS token meter is one disjoint bucket: cached tokens are not inside an input meter.
      convention: CACHE_OUTSIDE_INPUT,
      serviceTier: meter?.serviceTier,
      region: at(row, L.RegionId) || undefined,
      billed: usd,
      chargeCategory: charge.chargeCategory,
      description: charge.description,
      dims: tags.dims,
      tagsJson: tags.json,
      rawJson,
      // A FOCUS row is a meter over a period, not a count of requests.
      requests: 0,
    },
    ctx,
  );
  return { ok: true, entry, charge };
}

