/**
 * Tags and labels whose key names a ledger dimension fill that dimension, in every
 * importer that reads tags (CUR, Azure, GCP, FOCUS, LiteLLM, OpenTelemetry): a team that
 * labels its resources `team=search` expects `report --by team` to say so without
 * writing a rule. The tags themselves stay on the row for attribution rules.
 */
import type { NewUsageEntry } from '../ledger/ledger-schema.js';

export type TagDims = Partial<Pick<NewUsageEntry, 'team' | 'feature' | 'customer' | 'agent' | 'project' | 'environment'>>;

/** Tag keys (compared trimmed and lower-cased) and the dimension each fills. */
export const DIMENSION_TAGS: Readonly<Record<string, keyof TagDims>> = {
  team: 'team', feature: 'feature', customer: 'customer', agent: 'agent', project: 'project', environment: 'environment', env: 'environment',
};

/** The dimensions `tags` name, first non-empty value per dimension; all tags stay in `tags`. */
export function tagDims(tags: Readonly<Record<string, string>>): TagDims {
  const dims: TagDims = {};
  for (const [key, value] of Object.entries(tags)) {
    const dim = DIMENSION_TAGS[key.trim().toLowerCase()];
    if (dim && value !== '' && dims[dim] === undefined) dims[dim] = value;
  }
  return dims;
}
