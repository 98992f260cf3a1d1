/**
 * What attribution rules can match on: the raw identifiers a ledger row carries, as
 * the source recorded them (project, api key, workspace, user, tags and labels, the
 * proxy's headers stored as tags…). Rules read these and never the row's money.
 */

/** Identifier fields a rule may match, besides `tags.KEY`. */
export const IDENTIFIER_FIELDS = [
  'provider',
  'source',
  'account',
  'model',
  'project',
  'api_key',
  'workspace',
  'user',
  'customer',
  'team',
  'feature',
  'agent',
  'environment',
  'trace',
] as const;
export type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];

/** Identifiers that are per request: kept out of the daily rollup (see the rollups migration). */
export const PER_REQUEST_FIELDS: readonly IdentifierField[] = ['customer', 'user', 'trace'];

/** One row's (or one rollup group's) identifiers; null or '' is "not recorded". */
export type Identifiers = Partial<Record<IdentifierField, string | null>> & {
  /** The row's tags as stored: a JSON object of key → value, or null. */
  tags?: string | null;
  /** The tier the row was served at, for the report-only dimension of that name (rules neither match nor set it). */
  service_tier?: string | null;
  /** The catalogue model the row was priced as, for budgets on a model (budgets/budget-scope.ts; rules neither match nor set it). */
  matched_model?: string | null;
};

/**
 * True for `provider`, `api_key`, … and `tags.KEY`. A key may hold dots: OpenTelemetry
 * attributes are kept as tags under their own names (`tags.service.name`).
 */
export function isIdentifierField(field: string): boolean {
  return (IDENTIFIER_FIELDS as readonly string[]).includes(field) || /^tags\.\S+$/.test(field);
}

const parsedTags = new Map<string, Readonly<Record<string, string>>>();

/** The tags object of a stored tags text, parsed once per distinct text. */
export function tagsOf(text: string | null | undefined): Readonly<Record<string, string>> {
  if (!text) return {};
  let tags = parsedTags.get(text);
  if (tags === undefined) {
    tags = {};
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        tags = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      }
    } catch {
      // A tags text that is not JSON carries no tags; the importers only write JSON.
    }
    if (parsedTags.size > 100_000) parsedTags.clear();
    parsedTags.set(text, tags);
  }
  return tags;
}

/** The value of `field` (`team`, `tags.cost_center`) in `ids`, or undefined when not recorded. */
export function fieldValue(ids: Identifiers, field: string): string | undefined {
  const value = field.startsWith('tags.') ? tagsOf(ids.tags)[field.slice(5)] : ids[field as IdentifierField];
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** The identifier columns of a ledger row (its `trace_id` is the `trace` field). */
export interface IdentifierColumns extends Partial<Record<Exclude<IdentifierField, 'trace'>, string | null>> {
  trace_id?: string | null;
  tags?: string | null;
}

/** A ledger row's identifiers, as attribution rules read them. */
export function identifiersOf(row: IdentifierColumns): Identifiers {
  return {
    provider: row.provider, source: row.source, account: row.account, model: row.model, project: row.project, api_key: row.api_key,
    workspace: row.workspace, user: row.user, customer: row.customer, team: row.team, feature: row.feature, agent: row.agent,
    environment: row.environment, trace: row.trace_id, tags: row.tags,
  };
}
