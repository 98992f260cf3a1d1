/**
 * Turns the `proxy:` section (plus `--upstream` overrides and the environment) into the
 * ActiveConfig requests read. Run at start and on every reload; never on a request.
 */
import type { ProxyConfig } from '../config/config-schema.js';
import type { RoutingConfig } from '../config/routing-config-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import type { CohortPriors } from '../routing/cohort-priors.js';
import { Router } from '../routing/router.js';
import { retryPolicy } from './forward/retry-policy.js';
import { DEFAULT_LOOP_OPTIONS } from './loops/loop-watch.js';
import type { ActiveConfig } from './proxy-runtime.js';
import { buildProxyKeyTable } from './request/proxy-keys.js';
import { applyUpstreamOverrides, buildUpstreamTable, mayReroute, type Upstream } from './upstreams/upstream-table.js';

/** Ten minutes: long completions and reasoning models can take minutes before the first byte. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

/** The `routing:` section and the cohort priors learned from the ledger at start. */
export interface RoutingSetup {
  config: RoutingConfig;
  priors?: CohortPriors | undefined;
}

/** True for an address only this machine can reach. */
function isLoopback(address: string): boolean {
  return address === '::1' || address === 'localhost' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * A proxy reachable from other machines serves whoever reaches its port, unless callers
 * must present a proxy key: it hands out every upstream key it holds, and through an
 * upstream without one it relays anyone's own provider key, with their spend recorded in
 * this ledger (and counted in its budgets) under whatever attribution headers they send.
 * Said at start and on reload.
 */
export function exposureWarnings(address: string, config: Pick<ActiveConfig, 'upstreams' | 'requireKey'>): string[] {
  if (isLoopback(address) || config.requireKey) return [];
  const out: string[] = [];
  const keyed = config.upstreams.all.filter((u) => u.apiKey !== undefined);
  if (keyed.length > 0) {
    const names = keyed.map((u) => `${u.name} (${u.apiKeyEnv ?? 'key'})`).join(', ');
    out.push(
      `listening on ${address}, beyond this machine, without proxy.require_key: anyone who can reach this port spends through the keys of ${names}; set proxy.require_key: true and give callers proxy keys (proxy.keys), or bind 127.0.0.1`,
    );
  }
  const keyless = config.upstreams.all.filter((u) => u.apiKey === undefined);
  if (keyless.length > 0) {
    out.push(
      `listening on ${address}, beyond this machine, without proxy.require_key: anyone who can reach this port can call ${keyless.map((u) => u.name).join(', ')} through it with their own provider key, and their spend is recorded in this ledger and counted in its budgets under whatever x-llmfin-* headers they send; ` +
        'bind 127.0.0.1, or set proxy.require_key: true, give callers proxy keys (proxy.keys) and give each upstream a key of its own (api_key_env)',
    );
  }
  return out;
}

/**
 * With proxy.require_key every request carries a proxy key, and a proxy key is never sent
 * upstream: an upstream without a key of its own (api_key_env, set) refuses every request.
 */
function requireKeyUpstreamWarnings(all: readonly Upstream[]): string[] {
  const keyless = all.filter((u) => u.apiKey === undefined);
  const label = (u: Upstream) => (u.apiKeyEnv !== undefined ? `${u.name} (${u.apiKeyEnv} is not set)` : u.name);
  if (keyless.length === all.length) {
    return [
      `proxy.require_key is set but no upstream has a key of its own (${keyless.map(label).join(', ')}): a proxy key is never sent upstream, so every request will be refused; set api_key_env on the upstreams in llmfin.yaml (and the variable), or set proxy.require_key: false`,
    ];
  }
  // The implied provider defaults are only warned about when nothing is usable at all.
  return keyless
    .filter((u) => !u.implied)
    .map((u) => `proxy.require_key is set but upstream ${label(u)} has no key of its own: every request to it will be refused; set its api_key_env in llmfin.yaml`);
}

/** True for a host on this machine or a private network: a server the user runs, not a provider's API. */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    isLoopback(h) || h === '0.0.0.0' || h === 'host.docker.internal' || h.endsWith('.local') || h.endsWith('.internal') ||
    h.startsWith('10.') || h.startsWith('192.168.') || /^172\.(1[6-9]|2\d|3[01])\./.test(h) || /^f[cd][0-9a-f]{2}:/.test(h)
  );
}

/**
 * A server the user runs (Ollama, vLLM, LM Studio) is priced like any upstream: under its
 * `provider`, else under whichever catalogue provider sells the model it serves — a hosted
 * price for tokens the user's own hardware made. Said at start, unless the config names an
 * upstream provider for it or prices self-hosted models (pricing.self_hosted).
 */
function localUpstreamWarnings(all: readonly Upstream[], config: Readonly<Record<string, { provider?: string | undefined }>>, pricer: Pricer): string[] {
  const selfHosted = pricer.catalogue.all().some((f) => f.sources.some((s) => s.name === 'llmfin.yaml') && f.models.some((m) => m.offerings.some((o) => o.periods.some((p) => p.source.endsWith('self_hosted')))));
  if (selfHosted) return [];
  return all
    .filter((u) => !u.implied && config[u.name]?.provider === undefined && u.pricingProvider === undefined && isLocalHost(new URL(u.baseUrl).hostname))
    .map(
      (u) =>
        `upstream ${u.name} (${u.baseUrl}) is a server on your machine or network: a model it serves is priced at the rates of a hosted provider that sells it (or left unpriced); to count what your hardware costs, list it under pricing.self_hosted in llmfin.yaml`,
    );
}

export function activeConfig(
  proxy: Partial<ProxyConfig>,
  env: Readonly<Record<string, string | undefined>>,
  pricer: Pricer,
  overrides: ReadonlyArray<{ name: string; url: string }> = [],
  routing?: RoutingSetup,
): { config: ActiveConfig; warnings: string[] } {
  const canonical = (id: string) => pricer.catalogue.canonicalProviderId(id);
  const upstreamConfig = applyUpstreamOverrides(proxy.upstreams ?? {}, overrides);
  const upstreams = buildUpstreamTable(upstreamConfig, env, canonical);
  const keys = buildProxyKeyTable(proxy.keys ?? [], env);
  const warnings = [...upstreams.warnings, ...keys.warnings, ...localUpstreamWarnings(upstreams.table.all, upstreamConfig, pricer)];
  if (proxy.require_key && keys.table.size === 0) warnings.push('proxy.require_key is set but no proxy key is usable: every request will be refused');
  if (proxy.require_key) warnings.push(...requireKeyUpstreamWarnings(upstreams.table.all));
  let router: Router | undefined;
  if (routing !== undefined && (routing.config.tiers?.length ?? 0) > 0) {
    // Throws RoutingPolicyError for a pool naming an unknown upstream: at start that stops the proxy, on reload the old config stays.
    router = new Router({ routing: routing.config, proxy: { upstreams: upstreamConfig } }, pricer, routing.priors);
    warnings.push(...router.policy.warnings.map((w) => `routing: ${w}`));
    if (router.enabled) warnings.push(...keylessPoolWarnings(router, upstreams.table.all));
    if (!router.enabled) router = undefined;
  }
  return {
    config: {
      upstreams: upstreams.table,
      keys: keys.table,
      requireKey: proxy.require_key ?? false,
      storePrompts: proxy.store_prompts ?? false,
      timeoutMs: proxy.upstream_timeout_ms ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
      defaultMaxOutputTokens: proxy.default_max_output_tokens,
      router,
      loops: { action: proxy.loops?.action ?? DEFAULT_LOOP_OPTIONS.action, repeats: proxy.loops?.repeats ?? DEFAULT_LOOP_OPTIONS.repeats },
      retries: retryPolicy(proxy.retries),
    },
    warnings,
  };
}

/**
 * A routing pool on an upstream with no key of its own takes only the requests a client
 * addressed to it (or to the same provider at the same base URL): anything else would carry
 * the client's own key there (upstream-table.ts mayReroute). Said at start, not left for the
 * first request to find, naming the upstreams whose requests it will never take.
 */
function keylessPoolWarnings(router: Router, all: readonly Upstream[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const tier of router.policy.tiers) {
    for (const pool of Object.values(tier.pools)) {
      for (const m of pool) {
        const target = m.upstream === undefined ? undefined : all.find((u) => u.name === m.upstream);
        if (target === undefined || target.apiKey !== undefined || seen.has(target.name)) continue;
        seen.add(target.name);
        const others = all.filter((u) => u.dialect === target.dialect && !mayReroute(u, target, false)).map((u) => u.name);
        if (others.length === 0) continue;
        out.push(
          `routing: tier "${tier.name}" lists upstream "${target.name}", which has no key of its own (api_key_env): requests addressed to ${others.join(', ')} are served as asked, not moved there, since a client's own key only goes to the upstream it addressed`,
        );
      }
    }
  }
  return out;
}
