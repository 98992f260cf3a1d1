/**
 * Turns the `proxy:` section (plus `--upstream` overrides and the environment) into the
 * ActiveConfig requests read. Run at start and on every reload; never on a request.
 */
import type { ProxyConfig } from '../config/config-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import type { ActiveConfig } from './proxy-runtime.js';
import { buildProxyKeyTable } from './request/proxy-keys.js';
import { applyUpstreamOverrides, buildUpstreamTable } from './upstreams/upstream-table.js';

/** Ten minutes: long completions and reasoning models can take minutes before the first byte. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

export function activeConfig(
  proxy: Partial<ProxyConfig>,
  env: Readonly<Record<string, string | undefined>>,
  pricer: Pricer,
  overrides: ReadonlyArray<{ name: string; url: string }> = [],
): { config: ActiveConfig; warnings: string[] } {
  const canonical = (id: string) => pricer.catalogue.canonicalProviderId(id);
  const upstreams = buildUpstreamTable(applyUpstreamOverrides(proxy.upstreams ?? {}, overrides), env, canonical);
  const keys = buildProxyKeyTable(proxy.keys ?? [], env);
  const warnings = [...upstreams.warnings, ...keys.warnings];
  if (proxy.require_key && keys.table.size === 0) warnings.push('proxy.require_key is set but no proxy key is usable: every request will be refused');
  return {
    config: {
      upstreams: upstreams.table,
      keys: keys.table,
      requireKey: proxy.require_key ?? false,
      storePrompts: proxy.store_prompts ?? false,
      timeoutMs: proxy.upstream_timeout_ms ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
      defaultMaxOutputTokens: proxy.default_max_output_tokens,
    },
    warnings,
  };
}
