/**
 * Report-only dimensions: what the ledger recorded about a row in a column of its own that
 * is not an identifier. Reports group and filter by them as recorded; no attribution rule
 * decides them, and a rule that tries to set one is refused when the config loads.
 * `service_tier` is the tier the provider served and billed the request at (batch, flex,
 * priority…); a row that records none was on the standard tier.
 */
export const RECORDED_ONLY_DIMENSIONS = ['service_tier'] as const;
export type RecordedOnlyDimension = (typeof RECORDED_ONLY_DIMENSIONS)[number];

/** What a report shows for a row that records no value of a report-only dimension. */
export const RECORDED_ONLY_ABSENT: Readonly<Record<RecordedOnlyDimension, string>> = { service_tier: 'standard' };

export function isRecordedOnlyDimension(name: string): name is RecordedOnlyDimension {
  return (RECORDED_ONLY_DIMENSIONS as readonly string[]).includes(name);
}

/**
 * The catalogue model a row was priced as (its `matched_model` column: `gpt-4o` for a row
 * recorded as `gpt-4o-2024-08-06`). Read as recorded, as the report-only dimensions are,
 * by budgets on a model (budgets/budget-scope.ts); reports do not offer it.
 */
export const CATALOGUE_MODEL = 'matched_model';
