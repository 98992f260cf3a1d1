/** Parsers for `llmfin forecast`'s own option values; each error names its option. */
import type { ModelSwap } from '../../forecast/what-if.js';
import { UsageError } from '../../shared/errors.js';

/** `30d`, `4w` or `30` → days (1–365). */
export function parseHorizon(value: string): number {
  const m = /^(\d+)([dw]?)$/.exec(value.trim());
  const days = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) : NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > 365) throw new UsageError(`--horizon: expected a number of days from 1 to 365 such as 30d or 4w, got "${value}"`, { option: '--horizon' });
  return days;
}

/** `x2`, `2`, `1.5x` or `150%` → a positive multiplier. */
export function parseMultiplier(option: string, value: string): number {
  const t = value.trim().toLowerCase();
  let m = /^x?(\d+(?:\.\d+)?)x?$/.exec(t);
  let n = m ? Number(m[1]) : NaN;
  if (!m) {
    m = /^(\d+(?:\.\d+)?)%$/.exec(t);
    n = m ? Number(m[1]) / 100 : NaN;
  }
  if (!(n > 0) || !Number.isFinite(n)) {
    // "+50%" is a growth, which a multiplier writes as its result: 150% (and "-20%" as 80%).
    const growth = /^([+-])(\d+(?:\.\d+)?)%$/.exec(t);
    const meant = growth ? 100 + (growth[1] === '+' ? 1 : -1) * Number(growth[2]) : NaN;
    const hint = meant > 0 ? `; for ${growth![1] === '+' ? `${growth![2]}% more` : `${growth![2]}% less`}, write ${meant}% or x${meant / 100}` : '';
    throw new UsageError(`${option}: expected a multiplier such as x2, 1.5 or 150%, got "${value}"${hint}`, { option });
  }
  return n;
}

/**
 * `30%` or `0.3` → 0.3; negative shrinks (−50% at most −100%). A bare number of 1 or more
 * is refused: `30` would be 3,000%, and nobody who types it means that.
 */
export function parsePercent(option: string, value: string): number {
  const t = value.trim();
  const m = /^(-?\d+(?:\.\d+)?)(%?)$/.exec(t);
  if (!m) throw new UsageError(`${option}: expected a percentage such as 30%, got "${value}"`, { option });
  if (!m[2] && Math.abs(Number(m[1])) >= 1) {
    throw new UsageError(`${option}: expected a percentage such as 30% (or a fraction such as 0.3), got "${value}", which as a fraction would be ${(Number(m[1]) * 100).toLocaleString('en-US')}%`, {
      option,
      hint: `write ${m[1]}% if you mean ${m[1]} percent`,
    });
  }
  const n = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  if (!(n > -1)) throw new UsageError(`${option}: expected more than -100%, got "${value}"`, { option });
  return n;
}

/**
 * Every way to read a `--model` value: `claude-haiku-4-5` (every group), or
 * `feature=checkout:claude-haiku-4-5` split at each ':' after the `=`, from the first one
 * on. A group value and a model id may both hold a colon (a Bedrock id such as
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0` is both under `--by model`), so no one
 * colon is the separator: `pickSwap` keeps the reading the history and the catalogue
 * agree on. A bare model is all model, colons and all; a value in double quotes, as JSON
 * writes it (`model="a:b":c`), ends at its closing quote: the one reading.
 */
export function swapReadings(value: string): ModelSwap[] {
  const text = value.trim();
  const group = /^([a-z][a-z0-9_]*)=(.*)$/s.exec(text);
  if (!group) {
    if (/^[^=\s]+$/.test(text)) return [{ model: text }];
    throw badSwap(value);
  }
  const dimension = group[1]!;
  const rest = group[2]!;
  const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest);
  if (quoted) {
    const after = rest.slice(quoted[0].length);
    const model = after.startsWith(':') ? after.slice(1).trim() : '';
    let unquoted: string;
    try {
      unquoted = JSON.parse(quoted[0]) as string;
    } catch {
      // An escape JSON has not (`\q`): not a quoted value after all.
      throw badSwap(value);
    }
    if (model === '') throw badSwap(value);
    return [{ dimension, value: unquoted, model }];
  }
  const readings: ModelSwap[] = [];
  for (let at = rest.indexOf(':'); at !== -1; at = rest.indexOf(':', at + 1)) {
    const v = rest.slice(0, at).trim();
    const model = rest.slice(at + 1).trim();
    if (v !== '' && model !== '') readings.push({ dimension, value: v, model });
  }
  if (readings.length === 0) throw badSwap(value);
  return readings;
}

const badSwap = (value: string) =>
  new UsageError(`--model: expected DIM=VALUE:MODEL such as feature=checkout:claude-haiku-4-5, or a model, got "${value}"`, { option: '--model' });

/** What a reading of `--model` is checked against: the history being forecast and the catalogue. */
export interface SwapChecks {
  /** Whether the history has spend with this value of the dimension. */
  hasValue(dimension: string, value: string): boolean;
  /** Whether the catalogue has a current price for the model. */
  prices(model: string): boolean;
}

/**
 * The reading of `--model value` (`swapReadings`) that names a group the history has and a
 * model the catalogue prices. Two or more such are refused, each written out with its value
 * quoted, which reads one way only. With none, the reading whose part that fails is the
 * one the forecast's own refusals name (forecast-run.ts): a value the history has (so its
 * model is the mistake), else a model the catalogue prices (so its value is), else the first.
 */
export function pickSwap(value: string, readings: readonly ModelSwap[], checks: SwapChecks): ModelSwap {
  if (readings.length === 1) return readings[0]!;
  const known = readings.map((r) => ({ r, has: checks.hasValue(r.dimension!, r.value!), priced: checks.prices(r.model) }));
  const working = known.filter((k) => k.has && k.priced);
  if (working.length === 1) return working[0]!.r;
  if (working.length > 1) {
    const dimension = readings[0]!.dimension!;
    const ways = working.map(({ r }) => `${dimension} "${r.value}" on ${r.model}`);
    throw new UsageError(`--model: "${value}" reads ${working.length} ways, each a ${dimension} with spend and a priced model: ${ways.join(', or ')}`, {
      option: '--model',
      hint: `quote the value to say where it ends: ${working.map(({ r }) => `--model ${shellWord(`${dimension}=${JSON.stringify(r.value)}:${r.model}`)}`).join(' or ')}`,
    });
  }
  return (known.find((k) => k.has) ?? known.find((k) => k.priced) ?? known[0]!).r;
}

/** A word the shell passes as it is: in single quotes (a quote inside closed, escaped and reopened). */
const shellWord = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** A whole number ≥ 0 (or ≥ 1 when `positive`). */
export function parseWhole(option: string, value: string | undefined, positive = false): number {
  const t = (value ?? '').replace(/_/g, '');
  if (value === undefined) throw new UsageError(`${option}: required with --new-feature`, { option });
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)) || (positive && Number(t) < 1)) {
    throw new UsageError(`${option}: expected a whole number${positive ? ' >= 1' : ' >= 0'}, got "${value}"`, { option });
  }
  return Number(t);
}
