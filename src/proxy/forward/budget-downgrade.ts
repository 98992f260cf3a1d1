/**
 * Where a budget's `downgrade` sends a request, within the client's dialect. The budget's
 * `downgrade_to` when the upstream serves it; else the routing policy's cheapest tier for
 * the dialect; else nowhere: the request goes as asked, and the notice and the warning say
 * so rather than claim a downgrade that did not happen.
 *
 * "The upstream serves it" is read from the price catalogue: a model the catalogue prices
 * under the upstream's provider. A budget scoped to a team that uses both SDKs with
 * `downgrade_to: claude-haiku-4-5` must not send that model to OpenAI (which answers 404),
 * and a downgrade to a model that cannot be priced would let the budget's spend go unseen.
 * An upstream of no known provider (a self-hosted OpenAI-compatible server) takes the
 * budget's model as named: the catalogue cannot tell.
 *
 * A downgrade never raises what the request may cost: a client already on a cheaper model
 * than the target (claude-3-haiku under a policy whose cheapest tier is claude-haiku-4-5)
 * is forwarded as asked, and the notice says why.
 */
import type { Pricer } from '../../pricing/pricer.js';
import type { Router } from '../../routing/router.js';
import type { ProxyKeyIdentity } from '../request/proxy-keys.js';
import { isRoutedEndpoint } from '../../routing/routed-endpoints.js';
import { mayReroute, type Upstream, type UpstreamTable } from '../upstreams/upstream-table.js';

export interface DowngradeQuery {
  /** What the gate allowed with: a replacement model, or `downgrade` for the cheapest tier. */
  admitted: { model?: string | undefined; downgrade?: boolean | undefined; notice?: string | undefined; budget?: string | undefined };
  /** The model the gate was asked about. */
  model: string;
  dialect: 'openai' | 'anthropic';
  /** The endpoint asked: only generation requests are downgraded (routed-endpoints.ts). */
  endpoint: string;
  /** Where the request goes now (routing may have chosen it). */
  upstream: Upstream;
  /** The upstream the client addressed: its credentials go nowhere else (upstream-table.ts mayReroute). */
  requestedUpstream: Upstream;
  upstreams: UpstreamTable;
  key: ProxyKeyIdentity | undefined;
  router: Router | undefined;
  pricer: Pricer;
  at: Date;
  /** This request's maximum cost (its reservation) on a model at an upstream; 0n when unpriced. */
  costOf(model: string, upstream: Upstream): bigint;
}

export interface DowngradeChoice {
  /** The model to send instead, and where; undefined: forward as asked. */
  model?: string;
  upstream?: Upstream;
  /** For `x-llmfin-budget-notice`: what happened. */
  notice?: string;
  /** For the log, when the budget's downgrade could not be done as configured. */
  warning?: string;
  /** The cheapest tier's upstream, not used because it has no key of its own (logged once by the caller). */
  notRerouted?: Upstream;
}

/** Whether the catalogue prices `model` under the upstream's provider (true for an upstream of no known provider: the catalogue cannot tell). */
export function servedBy(pricer: Pricer, upstream: Upstream, model: string, at: Date): boolean {
  if (upstream.pricingProvider === undefined) return true;
  return pricer.price({ provider: upstream.pricingProvider, model, at, usage: { input: 1, output: 1 } }).status === 'priced';
}

export function resolveDowngrade(q: DowngradeQuery): DowngradeChoice {
  const { admitted } = q;
  if (admitted.model === undefined && admitted.downgrade !== true) return admitted.notice !== undefined ? { notice: admitted.notice } : {};
  // The gate names the budget that asked for the downgrade, as its own notice does.
  const reached = admitted.budget !== undefined ? `budget "${admitted.budget}" reached` : 'budget reached';
  // Only a generation request has a stand-in: an embedding is of one model's space, and a chat model makes none.
  if (!isRoutedEndpoint(q.endpoint)) return { notice: `${reached}: ${q.model} not downgraded (only chat completions, responses and messages are)` };
  // A request of an unpriced model cannot be compared: a priced stand-in at least lets the budget see its spend.
  const asked = q.costOf(q.model, q.upstream);
  const dearer = (model: string, upstream: Upstream) => asked > 0n && q.costOf(model, upstream) >= asked;
  if (admitted.model !== undefined && servedBy(q.pricer, q.upstream, admitted.model, q.at)) {
    // The budget's own model is the floor its author chose: a client already below it stays where it is.
    if (dearer(admitted.model, q.upstream)) return { notice: `${reached}: ${q.model} not downgraded (downgrade_to ${admitted.model} is not cheaper)` };
    return { model: admitted.model, upstream: q.upstream, ...(admitted.notice !== undefined ? { notice: admitted.notice } : {}) };
  }
  const skipped = admitted.model !== undefined ? `downgrade_to ${admitted.model} is not a model of upstream "${q.upstream.name}" (${q.upstream.provider})` : undefined;
  const cheapest = q.router?.cheapestFor(q.dialect);
  const target = cheapest === undefined ? undefined : cheapest.upstream !== undefined ? q.upstreams.byName.get(cheapest.upstream) : q.upstreams.defaults[q.dialect];
  // Already on the cheapest tier (routing chose it, or the client asked for it): nothing to do, nothing to say.
  if (cheapest !== undefined && target === q.upstream && cheapest.model === q.model) return {};
  // The same dialect, and never an upstream that would be sent credentials not meant for it.
  const usable = target !== undefined && target.dialect === q.dialect;
  const allowed = usable && mayReroute(q.requestedUpstream, target, q.key !== undefined);
  if (cheapest !== undefined && target !== undefined && allowed && dearer(cheapest.model, target)) {
    const tier = `the routing policy's cheapest ${q.dialect} tier, ${cheapest.model}, is not cheaper`;
    return {
      notice: `${reached}: ${q.model} not downgraded (${skipped !== undefined ? `${skipped}, and ${tier}` : tier})`,
      ...(skipped !== undefined ? { warning: `${reached}: ${skipped}; forwarded unchanged` } : {}),
    };
  }
  if (cheapest !== undefined && target !== undefined && allowed) {
    return {
      model: cheapest.model,
      upstream: target,
      notice: `${reached}: ${q.model} downgraded to ${cheapest.model}`,
      ...(skipped !== undefined ? { warning: `${reached}: ${skipped}, so the routing policy's cheapest ${q.dialect} tier (${cheapest.model}) was used` } : {}),
    };
  }
  // The cheapest tier's upstream has no key of its own: served as asked; the caller logs that once.
  const keyless = usable ? target : undefined;
  if (keyless !== undefined && skipped === undefined) {
    return { notice: `${reached}: ${q.model} not downgraded (upstream "${keyless.name}" has no key of its own)`, notRerouted: keyless };
  }
  const why = skipped ?? `no routing tier serves ${q.dialect}`;
  return { notice: `${reached}: ${q.model} not downgraded (${why})`, warning: `${reached}: ${why}; forwarded unchanged`, ...(keyless !== undefined ? { notRerouted: keyless } : {}) };
}
