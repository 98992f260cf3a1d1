/**
 * What a condition `dimension = value` selects, wherever one is written: a budget's scope,
 * and `--where` in report, forecast, anomalies and export. A condition on `model` holds for
 * the id a row records (the one the provider served) and for the catalogue model it was
 * priced as (`matched_model`): OpenAI answers `gpt-4o` with `gpt-4o-2024-08-06`, priced as
 * the catalogue's `gpt-4o`, and `model=gpt-4o` means the model whatever snapshot served it,
 * so that a budget's money and the report that drills into it are the same dollars. A
 * dated id selects that id's rows alone (unless the catalogue lists it as a model of its
 * own, as it does a snapshot priced apart), and `(unattributed)` the rows that record no
 * model, not those the catalogue has no model for.
 */
import type { Attributor } from '../attribution/attributor.js';
import type { Identifiers } from '../attribution/identifiers.js';
import { CATALOGUE_MODEL } from '../attribution/recorded-only-dimensions.js';
import { UNATTRIBUTED } from '../ledger/queries/spend-summary.js';

/** The dimensions (ledger columns, for an export) whose value satisfies `dimension = value`. */
export function dimensionsMatching(dimension: string, value: string): readonly string[] {
  return dimension === 'model' && value !== UNATTRIBUTED ? [dimension, CATALOGUE_MODEL] : [dimension];
}

/** Whether `dimension = value` holds for a row's decided values (undefined or `(unattributed)`: none). */
export function dimensionMatches(dimension: string, value: string, dims: Readonly<Record<string, string | undefined>>): boolean {
  return dimensionsMatching(dimension, value).some((d) => dims[d] === value);
}

/** The dimensions a set of conditions is judged on: their own, and a model's catalogue model. */
export function whereDimensions(where: Readonly<Record<string, string>>): string[] {
  return [...new Set(Object.entries(where).flatMap(([d, v]) => dimensionsMatching(d, v)))];
}

/** Whether a row's identifiers meet every condition of `where`, each dimension decided as reports decide it. */
export function identifiersMatch(attributor: Attributor, where: Readonly<Record<string, string>>, ids: Identifiers): boolean {
  const decided: Record<string, string> = {};
  for (const d of whereDimensions(where)) decided[d] = attributor.value(ids, d) ?? UNATTRIBUTED;
  return Object.entries(where).every(([d, v]) => dimensionMatches(d, v, decided));
}
