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
 * `feature=checkout:claude-haiku-4-5` or `claude-haiku-4-5`. A bare model may hold a colon
 * (Bedrock's `us.anthropic.claude-sonnet-4-5-20250929-v1:0`): without `=` it is all model.
 */
export function parseSwap(value: string): ModelSwap {
  const m = /^([a-z][a-z0-9_]*)=([^:]+):(.+)$/.exec(value.trim());
  if (m) return { dimension: m[1]!, value: m[2]!.trim(), model: m[3]!.trim() };
  if (/^[^=\s]+$/.test(value.trim())) return { model: value.trim() };
  throw new UsageError(`--model: expected DIM=VALUE:MODEL such as feature=checkout:claude-haiku-4-5, or a model, got "${value}"`, { option: '--model' });
}

/** A whole number ≥ 0 (or ≥ 1 when `positive`). */
export function parseWhole(option: string, value: string | undefined, positive = false): number {
  const t = (value ?? '').replace(/_/g, '');
  if (value === undefined) throw new UsageError(`${option}: required with --new-feature`, { option });
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)) || (positive && Number(t) < 1)) {
    throw new UsageError(`${option}: expected a whole number${positive ? ' >= 1' : ' >= 0'}, got "${value}"`, { option });
  }
  return Number(t);
}
