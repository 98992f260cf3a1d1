/**
 * Which requests and which ledger spend a budget covers. A scope is dimension = value
 * pairs that must all match; `key` is a proxy key's name, recorded on the proxy's rows
 * as the tag `llmfin_key`; an empty scope is the whole organisation. `model` covers the
 * id a row records (the one the provider served) and the catalogue model it was priced
 * as (`matched_model`): OpenAI answers `gpt-4o` with `gpt-4o-2024-08-06`, and a budget on
 * `gpt-4o` means the model, whatever snapshot served it, as `anthropic.claude-sonnet-4-5`
 * (the catalogue's Bedrock model) holds `us.anthropic.claude-sonnet-4-5-20250929-v1:0`.
 * A budget on the dated id means that id's rows alone.
 */
import { CATALOGUE_MODEL } from '../attribution/recorded-only-dimensions.js';

export type Scope = Readonly<Record<string, string>>;

/** Whether a scope pair `dimension = value` (a report dimension, scopeDimension) holds for `dims`. */
export function dimensionMatches(dimension: string, value: string, dims: Readonly<Record<string, string | undefined>>): boolean {
  return dims[dimension] === value || (dimension === 'model' && dims[CATALOGUE_MODEL] === value);
}

/** The dimension a scope key is reported under (for seeding spend from the ledger). */
export function scopeDimension(key: string): string {
  if (key === 'key') return 'llmfin_key';
  return key.startsWith('tags.') ? key.slice(5) : key;
}

/** True when every pair of `scope` matches the request's `dims`. */
export function scopeMatches(scope: Scope, dims: Readonly<Record<string, string | undefined>>): boolean {
  for (const [key, value] of Object.entries(scope)) {
    if (dims[key] !== value && !dimensionMatches(scopeDimension(key), value, dims)) return false;
  }
  return true;
}

/** "team=search, feature=chat", or "organisation" for an empty scope. */
export function describeScope(scope: Scope): string {
  const pairs = Object.entries(scope).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(', ') : 'organisation';
}
