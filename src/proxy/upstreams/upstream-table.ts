/**
 * The upstreams a proxy forwards to, resolved from `proxy.upstreams` and the
 * environment once (at start and on reload), so that a request only does map lookups.
 * With no upstream configured for a dialect, the provider's public API is implied and
 * the client's own key is passed through.
 */
import type { ProxyUpstreamConfig } from '../../config/config-schema.js';
import { impliedDialect } from '../../config/upstream-dialect.js';
import type { Dialect } from '../dialect-error.js';

export interface Upstream {
  name: string;
  dialect: Dialect;
  /** `scheme://host:port`, the connection pool's key. */
  origin: string;
  /** The base URL's path without a trailing slash ('' or '/v1' or '/openai/v1'). */
  basePath: string;
  /** The base URL's query without its `?` (Azure's `api-version=…`), sent with every request; usually ''. */
  baseQuery: string;
  /**
   * The base URL as configured, for the banner, /llmfin/health and messages, with the values
   * of key-like query parameters (`key`, `api_key`, `access_token`, `sig`…) masked; the
   * request itself is built from origin, basePath and baseQuery.
   */
  baseUrl: string;
  /** Provider id recorded on rows. */
  provider: string;
  /** Provider id the Pricer is told, when the catalogue knows it; else models are looked up everywhere. */
  pricingProvider: string | undefined;
  /** The upstream's own key, read from `api_key_env`; undefined passes the client's key through. */
  apiKey: string | undefined;
  apiKeyEnv: string | undefined;
  /** True for the provider default used because nothing was configured for the dialect. */
  implied: boolean;
  /**
   * False for an API that refuses `stream_options` (Mistral answers 422 "Extra inputs are not
   * permitted") and sends a stream's usage anyway: llmfin must not ask for it there.
   */
  acceptsStreamOptions: boolean;
}

export interface UpstreamTable {
  readonly all: readonly Upstream[];
  readonly byName: ReadonlyMap<string, Upstream>;
  /** The first upstream of each dialect (config order). */
  readonly defaults: Readonly<Record<Dialect, Upstream>>;
}

const IMPLIED: Record<Dialect, { name: string; base_url: string }> = {
  openai: { name: 'openai', base_url: 'https://api.openai.com' },
  anthropic: { name: 'anthropic', base_url: 'https://api.anthropic.com' },
};

/**
 * @param canonicalProvider the catalogue's provider id for a name or alias, or undefined
 * @returns the table and warnings for the banner (a key variable that is not set)
 */
export function buildUpstreamTable(
  config: Readonly<Record<string, ProxyUpstreamConfig>>,
  env: Readonly<Record<string, string | undefined>>,
  canonicalProvider: (id: string) => string | undefined,
): { table: UpstreamTable; warnings: string[] } {
  const warnings: string[] = [];
  const all: Upstream[] = [];
  for (const [name, u] of Object.entries(config)) {
    let apiKey: string | undefined;
    if (u.api_key_env !== undefined) {
      apiKey = env[u.api_key_env] || undefined;
      if (apiKey === undefined) warnings.push(`upstream ${name}: ${u.api_key_env} is not set, so clients' own keys are passed through`);
    }
    all.push(makeUpstream(name, u.base_url, u.dialect, u.provider, apiKey, u.api_key_env, false, canonicalProvider));
  }
  const first = (dialect: Dialect) => all.find((u) => u.dialect === dialect);
  const defaults = {} as Record<Dialect, Upstream>;
  for (const dialect of ['openai', 'anthropic'] as const) {
    let upstream = first(dialect);
    if (upstream === undefined) {
      const implied = IMPLIED[dialect];
      // A configured upstream may already use the implied name for the other dialect.
      const name = all.some((u) => u.name === implied.name) ? `${implied.name}-default` : implied.name;
      upstream = makeUpstream(name, implied.base_url, dialect, undefined, undefined, undefined, true, canonicalProvider);
      all.push(upstream);
    }
    defaults[dialect] = upstream;
  }
  return { table: { all, byName: new Map(all.map((u) => [u.name, u])), defaults }, warnings };
}

/** A query parameter whose value is a credential: `key`, `api-key`, `access_token`, `sig` (Azure SAS), `secret`, `password`… */
const SECRET_PARAM = /key|token|secret|sig|password|passwd|auth|credential/i;

/** The base URL as written, with the values of key-like query parameters shown as `***`. */
function maskQuerySecrets(baseUrl: string, url: URL): string {
  if (url.search === '') return baseUrl;
  const q = baseUrl.indexOf('?');
  const masked = baseUrl
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && SECRET_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=***` : pair;
    })
    .join('&');
  return `${baseUrl.slice(0, q + 1)}${masked}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function makeUpstream(
  name: string,
  baseUrl: string,
  dialect: Dialect,
  provider: string | undefined,
  apiKey: string | undefined,
  apiKeyEnv: string | undefined,
  implied: boolean,
  canonicalProvider: (id: string) => string | undefined,
): Upstream {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase();
  // The provider a price is looked up under: explicit, else the upstream's name, else the
  // provider behind a well-known host, else the dialect's own provider.
  const chosen =
    (provider !== undefined ? canonicalProvider(provider) ?? provider : undefined) ??
    canonicalProvider(name) ??
    (host.endsWith('openai.com') ? 'openai' : host.endsWith('anthropic.com') ? 'anthropic' : undefined);
  const rowProvider = chosen ?? name;
  const mistral = rowProvider === 'mistral' || host === 'mistral.ai' || host.endsWith('.mistral.ai');
  return {
    name,
    dialect,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    baseQuery: url.search.slice(1),
    baseUrl: maskQuerySecrets(baseUrl, url),
    provider: rowProvider,
    pricingProvider: canonicalProvider(rowProvider),
    apiKey,
    apiKeyEnv,
    implied,
    acceptsStreamOptions: !mistral,
  };
}

/**
 * The path to request upstream for a client path, following each SDK's base-URL convention.
 * `/v1/chat/completions` under a base URL without a path stays as it is. An OpenAI-dialect
 * base URL includes the API version (`/v1`, `/openai/v1`, `/v1beta/openai`), so the base
 * path replaces the client's `/v1`. An Anthropic-dialect base URL does not (the Anthropic
 * SDK appends `/v1/messages`: DeepSeek's `https://api.deepseek.com/anthropic` serves
 * `/anthropic/v1/messages`), so the client's path goes under it — unless the base path
 * itself ends in `/v1`.
 */
export function upstreamPath(upstream: Upstream, path: string, query: string): string {
  const base = upstream.basePath;
  const q = upstream.baseQuery === '' ? query : withBaseQuery(upstream.baseQuery, query);
  if (base === '') return path + q;
  const keepVersion = upstream.dialect === 'anthropic' && !base.endsWith('/v1');
  return base + (!keepVersion && path.startsWith('/v1/') ? path.slice(3) : path) + q;
}

/** The client's query plus the base URL's parameters it does not set itself. */
function withBaseQuery(baseQuery: string, query: string): string {
  const params = new URLSearchParams(query);
  for (const [name, value] of new URLSearchParams(baseQuery)) if (!params.has(name)) params.append(name, value);
  return `?${params.toString()}`;
}

/**
 * Whether a request the client addressed to `addressed` may be sent to `target` instead
 * (routing, a budget's downgrade). Without a key of its own, `target` would be sent the
 * client's own credentials, which must only ever go where the client sent them: the
 * addressed upstream, or one of the same provider at the same base URL. A caller with a
 * proxy key has no credentials to send on: only an upstream with its own key serves it.
 */
export function mayReroute(addressed: Upstream, target: Upstream, proxyKeyCaller: boolean): boolean {
  if (target === addressed || target.apiKey !== undefined) return true;
  if (proxyKeyCaller) return false;
  return target.provider === addressed.provider && target.origin === addressed.origin && target.basePath === addressed.basePath && target.baseQuery === addressed.baseQuery;
}

export type RouteResult = { ok: true; upstream: Upstream; model: string | undefined } | { ok: false; status: number; code: string; message: string };

/**
 * Which upstream serves a request: the `x-llmfin-upstream` header, else a `name/model`
 * prefix naming a configured upstream (the prefix is removed from the model), else the
 * first upstream of the endpoint's dialect.
 *
 * A prefix naming an upstream of the other dialect (an OpenAI SDK sending LiteLLM's
 * `anthropic/claude-…`) goes to an upstream of the client's dialect of the same provider
 * (an OpenAI-compatible endpoint configured for it), prefix removed; else whole to the
 * dialect's first upstream when that serves the whole id (`serves`: OpenRouter's ids are
 * `anthropic/claude-…` too); else it is refused, naming the upstream, rather than sent
 * where no such model exists.
 */
export function routeRequest(
  table: UpstreamTable,
  dialect: Dialect,
  header: string | undefined,
  model: string | undefined,
  serves: (upstream: Upstream, model: string) => boolean,
): RouteResult {
  if (header !== undefined && header !== '') {
    const upstream = table.byName.get(header);
    if (upstream === undefined) return { ok: false, status: 400, code: 'unknown_upstream', message: `x-llmfin-upstream: no upstream named "${header}" (configured: ${[...table.byName.keys()].join(', ')})` };
    if (upstream.dialect !== dialect) return { ok: false, status: 400, code: 'wrong_dialect', message: `x-llmfin-upstream: "${header}" speaks ${upstream.dialect}, this endpoint is ${dialect}` };
    return { ok: true, upstream, model: stripPrefix(model, upstream.name) };
  }
  if (model !== undefined) {
    const slash = model.indexOf('/');
    if (slash > 0) {
      const upstream = table.byName.get(model.slice(0, slash));
      if (upstream !== undefined && upstream.dialect === dialect) return { ok: true, upstream, model: model.slice(slash + 1) };
      if (upstream !== undefined) {
        const sameProvider = table.all.find((u) => u.dialect === dialect && u.provider === upstream.provider);
        if (sameProvider !== undefined) return { ok: true, upstream: sameProvider, model: model.slice(slash + 1) };
        const fallback = table.defaults[dialect];
        if (!serves(fallback, model)) {
          return {
            ok: false,
            status: 400,
            code: 'wrong_dialect',
            message:
              `model "${model}": upstream "${upstream.name}" speaks ${upstream.dialect}, this endpoint is ${dialect}, and upstream "${fallback.name}" (the first ${dialect} upstream) does not serve "${model}"; ` +
              `send it to ${upstream.dialect === 'anthropic' ? '/v1/messages' : '/v1/chat/completions'}, or configure an upstream with dialect: ${dialect} for ${upstream.provider} under proxy.upstreams in llmfin.yaml`,
          };
        }
      }
    }
  }
  return { ok: true, upstream: table.defaults[dialect], model };
}

function stripPrefix(model: string | undefined, name: string): string | undefined {
  return model !== undefined && model.startsWith(`${name}/`) ? model.slice(name.length + 1) : model;
}

/**
 * `--upstream NAME=URL` flags over the configured upstreams: a known name gets a new base
 * URL, an unknown one is added (Anthropic's dialect when its name or URL says anthropic).
 */
export function applyUpstreamOverrides(
  config: Readonly<Record<string, ProxyUpstreamConfig>>,
  overrides: ReadonlyArray<{ name: string; url: string }>,
): Record<string, ProxyUpstreamConfig> {
  const out: Record<string, ProxyUpstreamConfig> = { ...config };
  for (const { name, url } of overrides) {
    const known = out[name];
    out[name] = known ? { ...known, base_url: url } : { base_url: url, dialect: impliedDialect(name, url) };
  }
  return out;
}
