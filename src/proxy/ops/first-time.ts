/**
 * Whether this is the first time a proxy run meets `key` of a `kind` of warning: a warning
 * that holds for every request of a model, tier or upstream is logged once per run (each
 * row records it), not once per request. `cap` bounds the keys kept for a kind whose keys
 * a client chooses (a model name), so random names cannot grow the proxy's memory; past it,
 * nothing more of that kind is logged.
 */
import type { ProxyRuntime } from '../proxy-runtime.js';

const seen = new WeakMap<ProxyRuntime, Map<string, Set<string>>>();

export function firstTime(rt: ProxyRuntime, kind: string, key: string, cap = Infinity): boolean {
  let kinds = seen.get(rt);
  if (kinds === undefined) seen.set(rt, (kinds = new Map()));
  let keys = kinds.get(kind);
  if (keys === undefined) kinds.set(kind, (keys = new Set()));
  if (keys.has(key) || keys.size >= cap) return false;
  keys.add(key);
  return true;
}
