/**
 * Converts genai-prices price sets into catalogue periods. genai-prices gives either one
 * price set or a list of `{constraint, prices}` where the unconstrained entry is the
 * default, `start_date` entries take over from their date on, and
 * `start_time`/`end_time` entries apply during a time of day. Here each date becomes a
 * period boundary (`to` of one period = `from` of the next) and each time-of-day entry
 * becomes a `time_windows` modifier carrying its full rates. Per-unit tiers
 * (`{base, tiers: [{start, price}]}`) become whole-request tiers whose rates hold, for
 * every unit, the price in force at that threshold (pricing.md §2.1: the tier is chosen
 * by total input with a strict `>`, and all tokens of the unit pay the tier price).
 */
import type { PartialRates, Period, RateComponent, Rates, Tier, TimeWindow } from '../catalogue-schema.js';
import { dec, decToString } from '../../shared/money.js';
import { numberToDecimalText } from './decimal-text.js';

/** genai-prices unit → catalogue component; units not listed cannot be expressed. */
const UNITS: Record<string, RateComponent> = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cache_read',
  cache_write_mtok: 'cache_write_5m',
  cache_write_5m_mtok: 'cache_write_5m',
  cache_write_1h_mtok: 'cache_write_1h',
  output_reasoning_mtok: 'reasoning',
  input_audio_mtok: 'input_audio',
  output_audio_mtok: 'output_audio',
  input_image_mtok: 'input_image',
  output_image_mtok: 'output_image',
};

type UnitPrice = number | { base: number; tiers?: Array<{ start: number; price: number }> };

interface PriceSet {
  rates: Rates;
  tiers: Tier[];
}

/** Units seen but not representable, with counts, for one summary warning each. */
export type DroppedUnits = Map<string, number>;

function priceSet(prices: Record<string, UnitPrice>, dropped: DroppedUnits): PriceSet | undefined {
  const base: PartialRates = {};
  const tiered = new Map<RateComponent, Array<{ start: number; price: string }>>();
  for (const [unit, value] of Object.entries(prices)) {
    const baseValue = typeof value === 'number' ? value : value.base;
    if (unit === 'requests_kcount') {
      base.per_request = decToString(dec(String(baseValue)).div(1000));
      continue;
    }
    if (unit === 'web_searches_kcount') {
      base.web_search = decToString(dec(String(baseValue)).div(1000));
      continue;
    }
    const component = UNITS[unit];
    if (!component) {
      dropped.set(unit, (dropped.get(unit) ?? 0) + 1);
      continue;
    }
    base[component] = numberToDecimalText(baseValue);
    if (typeof value === 'object' && value.tiers?.length) {
      tiered.set(component, value.tiers.map((t) => ({ start: t.start, price: numberToDecimalText(t.price) })));
    }
  }
  if (base.input === undefined && base.output === undefined) return undefined;
  const rates: Rates = { ...base, input: base.input ?? '0', output: base.output ?? '0' };
  const thresholds = [...new Set([...tiered.values()].flatMap((ts) => ts.map((t) => t.start)))].sort((a, b) => a - b);
  const tiers: Tier[] = thresholds.map((above) => {
    const tierRates: PartialRates = {};
    for (const [component, ts] of tiered) {
      const inForce = ts.filter((t) => t.start <= above).sort((a, b) => a.start - b.start).pop();
      if (inForce) tierRates[component] = inForce.price;
    }
    return { above, compare: 'gt', rates: tierRates };
  });
  return { rates, tiers };
}

interface Conditional {
  constraint?: { start_date?: string; start_time?: string; end_time?: string };
  prices: Record<string, UnitPrice>;
}

/** "00:30:00Z" → "00:30"; undefined for anything not in UTC. */
function utcClock(value: string | undefined): string | undefined {
  const m = value === undefined ? null : /^(\d{2}):(\d{2})(:\d{2})?(Z|\+00:00)$/.exec(value);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

function period(from: string | null, to: string | null, set: PriceSet, source: string): Period {
  const p: Period = { from, to, rates: set.rates, source };
  if (set.tiers.length > 0) p.tiers = set.tiers;
  return p;
}

/**
 * Periods for one genai-prices model, or undefined when it has no token price.
 * `problems` receives what could not be converted.
 */
export function genaiPeriods(prices: unknown, source: string, dropped: DroppedUnits, problems: string[]): Period[] | undefined {
  if (!Array.isArray(prices)) {
    const set = priceSet(prices as Record<string, UnitPrice>, dropped);
    return set ? [period(null, null, set, source)] : undefined;
  }
  const list = prices as Conditional[];
  const plain = list.filter((c) => !c.constraint);
  const dated = list.filter((c) => c.constraint?.start_date !== undefined).sort((a, b) => a.constraint!.start_date!.localeCompare(b.constraint!.start_date!));
  const timed = list.filter((c) => c.constraint?.start_time !== undefined || c.constraint?.end_time !== undefined);
  if (plain.length !== 1) problems.push(`${source}: expected exactly one unconstrained price, found ${plain.length}`);
  const first = plain[0] ?? dated[0];
  if (!first) return undefined;
  const sets: Array<{ from: string | null; set: PriceSet | undefined }> = [
    { from: null, set: priceSet(first.prices, dropped) },
    ...dated.filter((c) => c !== first).map((c) => ({ from: c.constraint!.start_date!, set: priceSet(c.prices, dropped) })),
  ];
  const windows: TimeWindow[] = [];
  for (const c of timed) {
    const start = utcClock(c.constraint?.start_time);
    const end = utcClock(c.constraint?.end_time);
    const set = priceSet(c.prices, dropped);
    if (!start || !end || !set) {
      problems.push(`${source}: time-of-day price ${JSON.stringify(c.constraint)} could not be converted`);
      continue;
    }
    if (set.tiers.length > 0) problems.push(`${source}: tiers inside a time-of-day price are not representable; base rates used`);
    windows.push({ start, end, modifier: { rates: { ...set.rates } } });
  }
  if (timed.length > 0 && dated.length > 0) problems.push(`${source}: mixes dated and time-of-day prices; windows applied to every period`);
  const out: Period[] = [];
  sets.forEach((s, i) => {
    if (!s.set) return;
    const p = period(s.from, sets[i + 1]?.from ?? null, s.set, source);
    if (windows.length > 0) p.time_windows = windows.map((w) => ({ ...w, modifier: { rates: { ...w.modifier.rates } } }));
    out.push(p);
  });
  return out.length > 0 ? out : undefined;
}
