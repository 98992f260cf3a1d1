/**
 * The cost engine's arithmetic in integers, for bulk pricing (a million-row import
 * prices the same few rate sets a million times; decimal.js was a fifth of its time).
 *
 * A rate set whose rates all have at most MAX_SCALE decimals is held as integers at one
 * scale: rate = n / 10^scale USD per 1M tokens. A usage then costs
 * Σ n × tokens / 10^(scale + 6) USD, summed as an exact integer of "units" while it stays
 * a safe integer. That is the same number the decimal path computes (every decimal
 * there is exact too: a sum below 2^53 has at most 16 significant digits, far under the
 * 50 the money decimals keep), so the text and ticks written are identical; anything
 * outside these bounds returns `undefined` and the caller prices with decimals.
 */
import type { RateComponent } from './catalogue-schema.js';
import { effectiveRate, type RateSet } from './cost-engine.js';
import type { TokenUsage } from './token-usage.js';
import type { Dec } from '../shared/money.js';

/** Decimals a rate may have here: 10^(12 + 6) units per USD still leaves ~9,000 USD per row. */
const MAX_SCALE = 12;

/**
 * A rate set in integers at one scale, each component already resolved to the rate the
 * engine falls back to when it has none (cache reads at input, audio output at output…).
 */
export interface IntegerRates {
  scale: number;
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  inputAudio: number;
  inputImage: number;
  output: number;
  /** Undefined: reasoning is billed inside output at the output rate. */
  reasoning: number | undefined;
  outputAudio: number;
  outputImage: number;
  /** Per request, not per 1M tokens; undefined when the period has none. */
  perRequest: number | undefined;
  /** Per web search; undefined when the period has none. */
  webSearch: number | undefined;
}

/** `rates` in integers, or undefined when a rate has more than MAX_SCALE decimals or is too large. */
export function toIntegerRates(rates: RateSet): IntegerRates | undefined {
  let scale = 0;
  for (const rate of Object.values(rates)) {
    if (rate === undefined) continue;
    if (rate.isNegative() || !rate.isFinite()) return undefined;
    scale = Math.max(scale, rate.decimalPlaces());
  }
  if (scale > MAX_SCALE) return undefined;
  let exact = true;
  const int = (rate: Dec): number => {
    const n = Number(rate.times(`1e${scale}`).toFixed(0));
    if (!Number.isSafeInteger(n)) exact = false;
    return n;
  };
  // Each component at the rate the engine bills it at (its own, or its fallback's).
  const at = (component: RateComponent): number => int(effectiveRate(rates, component)!);
  const r: IntegerRates = {
    scale,
    input: at('input'),
    cacheRead: at('cache_read'),
    cacheWrite5m: at('cache_write_5m'),
    cacheWrite1h: at('cache_write_1h'),
    inputAudio: at('input_audio'),
    inputImage: at('input_image'),
    output: at('output'),
    reasoning: rates.reasoning === undefined ? undefined : int(rates.reasoning),
    outputAudio: at('output_audio'),
    outputImage: at('output_image'),
    perRequest: rates.per_request === undefined ? undefined : int(rates.per_request),
    webSearch: rates.web_search === undefined ? undefined : int(rates.web_search),
  };
  return exact ? r : undefined;
}

/**
 * The cost of `usage` in units of 10^-(scale + 6) USD, bucket by bucket as the cost
 * engine prices it; undefined when the exact sum is not a safe integer. Every term is
 * non-negative, so a product past 2^53 makes the sum fail the check too.
 */
export function integerCost(r: IntegerRates, u: TokenUsage): number | undefined {
  let sum = r.input * u.uncachedInput + r.cacheRead * u.cacheRead + r.cacheWrite5m * u.cacheWrite5m + r.cacheWrite1h * u.cacheWrite1h;
  sum += r.inputAudio * u.inputAudio + r.inputImage * u.inputImage;
  // Reasoning is inside output; it is priced apart only when it has its own rate.
  if (r.reasoning !== undefined && u.reasoning > 0) sum += r.output * (u.output - u.reasoning) + r.reasoning * u.reasoning;
  else sum += r.output * u.output;
  sum += r.outputAudio * u.outputAudio + r.outputImage * u.outputImage;
  // Per-request rates are USD per request: 10^6 times a per-1M-tokens unit.
  if (r.perRequest !== undefined) sum += r.perRequest * u.requests * 1_000_000;
  if (r.webSearch !== undefined) sum += r.webSearch * u.webSearches * 1_000_000;
  return Number.isSafeInteger(sum) ? sum : undefined;
}

/** Exact decimal text of units / 10^decimals, as `Dec#toFixed()` writes it ("0.0031", "12", "0"). */
export function unitsToDecimalText(units: number, decimals: number): string {
  const digits = String(units);
  if (decimals === 0) return digits;
  const padded = digits.length <= decimals ? '0'.repeat(decimals - digits.length + 1) + digits : digits;
  const whole = padded.slice(0, padded.length - decimals);
  let end = padded.length;
  while (end > whole.length && padded.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return end === whole.length ? whole : `${whole}.${padded.slice(whole.length, end)}`;
}

const POW10 = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

/** units / 10^decimals USD in ticks (1e-10 USD), rounded half-even like `usdToTicks`. */
export function unitsToTicks(units: number, decimals: number): bigint {
  const u = BigInt(units);
  if (decimals <= 10) return u * POW10[10 - decimals]!;
  const d = POW10[decimals - 10]!;
  const q = u / d;
  const twice = (u % d) * 2n;
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}
