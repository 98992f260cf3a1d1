/**
 * Which requests and which ledger spend a budget covers. A scope is dimension = value
 * pairs that must all match; `key` is a proxy key's name, recorded on the proxy's rows
 * as the tag `llmfin_key`; an empty scope is the whole organisation. A pair holds as a
 * `--where` condition does (reports/dimension-matches.ts): `model` covers the id a row
 * records and the catalogue model it was priced as, so a budget on `gpt-4o` counts the
 * rows OpenAI recorded as `gpt-4o-2024-08-06`, and one on the dated id that id's alone.
 */
import { dimensionMatches } from '../reports/dimension-matches.js';

export type Scope = Readonly<Record<string, string>>;

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
