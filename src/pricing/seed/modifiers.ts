/**
 * Builds catalogue modifiers (`{ multiply }` or `{ rates }`) from explicit rates. A
 * dataset that lists batch, flex, priority or a regional price as its own numbers is
 * turned into `{ multiply: "0.5" }` when those numbers are exactly one multiple of the
 * base rates, because a multiplier also applies to long-context tiers and to components
 * the dataset did not list; otherwise the explicit numbers are kept as they are.
 */
import { RATE_COMPONENTS, type Modifier, type PartialRates } from '../catalogue-schema.js';
import { exactRatio, sameDecimal, timesText } from './decimal-text.js';

/** Components of a partial rate set that have a value, in schema order. */
export function presentComponents(rates: PartialRates): Array<keyof PartialRates> {
  return RATE_COMPONENTS.filter((c) => rates[c] !== undefined);
}

/** The modifier that turns `base` into `explicit`, or undefined when `explicit` is empty. */
export function modifierFromRates(base: PartialRates, explicit: PartialRates): Modifier | undefined {
  const listed = presentComponents(explicit);
  if (listed.length === 0) return undefined;
  const factor = commonFactor(base, explicit);
  if (factor !== undefined) return { multiply: factor };
  return { rates: { ...explicit } };
}

/** The single factor f with explicit[c] = base[c] × f for every listed component, if any. */
export function commonFactor(base: PartialRates, explicit: PartialRates): string | undefined {
  const listed = presentComponents(explicit);
  const anchor = listed.find((c) => base[c] !== undefined && base[c] !== '0');
  if (anchor === undefined) return undefined;
  const factor = exactRatio(explicit[anchor]!, base[anchor]!);
  if (factor === undefined) return undefined;
  for (const c of listed) {
    const b = base[c];
    if (b === undefined || !sameDecimal(timesText(b, factor), explicit[c])) return undefined;
  }
  return factor;
}

/** Applies a modifier to a rate set the way the cost engine does (for checks and comparisons). */
export function applyModifierToRates(rates: PartialRates, modifier: Modifier): PartialRates {
  const out: PartialRates = {};
  for (const c of presentComponents(rates)) out[c] = modifier.multiply ? timesText(rates[c]!, modifier.multiply) : rates[c];
  for (const c of presentComponents(modifier.rates ?? {})) out[c] = modifier.rates![c];
  return out;
}

/** Structural equality of two modifiers (decimal-aware). */
export function sameModifier(a: Modifier | undefined, b: Modifier | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (!sameDecimal(a.multiply, b.multiply)) return false;
  const ra = a.rates ?? {};
  const rb = b.rates ?? {};
  return RATE_COMPONENTS.every((c) => sameDecimal(ra[c], rb[c]));
}
