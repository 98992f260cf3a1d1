/**
 * The catalogue model a request's model is priced as (`gpt-4o` for `gpt-4o-2024-08-06`,
 * `anthropic.claude-sonnet-4-5` for a Bedrock inference profile id), for the gate: a
 * budget on a model covers the ids it is served under (budgets/budget-scope.ts), and a
 * hard limit must refuse such a request before it is forwarded, not only count it after.
 */
import { isResolved, resolveModel } from '../pricing/resolve-model.js';
import type { Pricer } from '../pricing/pricer.js';
import { memoFor, type PriceMemo } from './price-memo.js';

const memos = new WeakMap<object, PriceMemo<string>>();

/** The catalogue's id for `model` at `provider` (undefined: any provider), or undefined when the catalogue has no price for it. */
export function catalogueModel(pricer: Pricer, provider: string | undefined, model: string, at: number): string | undefined {
  // Per minute, as prices are: a dated alias may start to match another model.
  const id = memoFor(memos, pricer).get(`${provider ?? ''}\u0000${model}`, at, () => {
    const resolved = resolveModel(pricer.catalogue, { provider, model, at: new Date(at) });
    return isResolved(resolved) ? resolved.model.id : '';
  });
  return id === '' ? undefined : id;
}
