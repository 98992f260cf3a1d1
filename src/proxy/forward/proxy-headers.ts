/**
 * Which headers cross the proxy. Upstream: everything the client sent (provider headers
 * such as `anthropic-version`, `anthropic-beta`, `openai-organization`, the SDK's
 * `user-agent` and `x-stainless-*`, which providers use for entitlements) except
 * hop-by-hop headers, llmfin's own `x-llmfin-*`, cookies and forwarding headers, and
 * the client's credentials when the upstream has its own key (gateways.md §3.4).
 * Downstream: the upstream's headers minus hop-by-hop ones.
 */
import type { Upstream } from '../upstreams/upstream-table.js';

type Headers = Record<string, string | string[] | undefined>;

/** RFC 9110 §7.6.1 hop-by-hop headers, plus ones a proxy must not pass to a third party. */
const DROP_UPSTREAM = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect', 'cookie', 'forwarded', 'x-forwarded-for',
  'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'http2-settings',
]);
const CREDENTIALS = new Set(['authorization', 'x-api-key', 'api-key']);
const DROP_DOWNSTREAM = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Headers named by the Connection header are hop-by-hop too. */
function connectionListed(headers: Headers): Set<string> | undefined {
  const value = headers.connection;
  if (typeof value !== 'string' || value === '') return undefined;
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && s !== 'keep-alive' && s !== 'close');
  return names.length > 0 ? new Set(names) : undefined;
}

/**
 * @param identityEncoding ask for an uncompressed response, so that usage can be read from it
 */
export function upstreamRequestHeaders(client: Headers, upstream: Upstream, identityEncoding: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const listed = connectionListed(client);
  const ownKey = upstream.apiKey !== undefined;
  for (const name in client) {
    const value = client[name];
    if (value === undefined || DROP_UPSTREAM.has(name) || name.startsWith('x-llmfin-')) continue;
    if (ownKey && CREDENTIALS.has(name)) continue;
    if (listed?.has(name)) continue;
    out[name] = value;
  }
  if (ownKey) {
    if (upstream.dialect === 'anthropic') out['x-api-key'] = upstream.apiKey!;
    else out.authorization = `Bearer ${upstream.apiKey!}`;
  }
  if (identityEncoding) out['accept-encoding'] = 'identity';
  return out;
}

/** The upstream's response headers for the client; `dropLength` when the body will differ from the upstream's. */
export function clientResponseHeaders(upstream: Headers, dropLength: boolean, out: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || DROP_DOWNSTREAM.has(name)) continue;
    if (dropLength && name === 'content-length') continue;
    out[name] = value;
  }
  return out;
}
