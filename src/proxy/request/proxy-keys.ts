/**
 * Proxy keys: secrets (`llmfin-sk-…`, kept in environment variables named by
 * `proxy.keys[].key_env`) that identify a caller. A request presenting one gets the
 * key's tags pinned, whatever its headers say, and is sent upstream with the upstream's
 * own key — a proxy key never leaves the proxy (LiteLLM PR #29609).
 */
import type { ProxyKeyConfig } from '../../config/config-schema.js';

/** Anything presented with this prefix is treated as a proxy key, known or not, and never forwarded. */
export const PROXY_KEY_PREFIX = 'llmfin-sk-';

export interface ProxyKeyIdentity {
  /** The key's name (recorded as the tag `llmfin_key`); never its value. */
  name: string;
  tags: Readonly<Record<string, string>>;
}

export interface ProxyKeyTable {
  readonly size: number;
  lookup(secret: string): ProxyKeyIdentity | undefined;
}

export function buildProxyKeyTable(
  keys: readonly ProxyKeyConfig[],
  env: Readonly<Record<string, string | undefined>>,
): { table: ProxyKeyTable; warnings: string[] } {
  const warnings: string[] = [];
  const bySecret = new Map<string, ProxyKeyIdentity>();
  for (const k of keys) {
    const name = k.name ?? k.key_env;
    const secret = env[k.key_env];
    if (!secret) {
      warnings.push(`proxy key ${name}: ${k.key_env} is not set, so the key is disabled`);
      continue;
    }
    // Only the prefix keeps a secret from being forwarded where it is not (or no longer) configured.
    if (!secret.startsWith(PROXY_KEY_PREFIX)) {
      warnings.push(
        `proxy key ${name}: the value of ${k.key_env} does not start with ${PROXY_KEY_PREFIX}, so a proxy where it is not configured (or not set) passes it upstream as the caller's own key; use an ${PROXY_KEY_PREFIX}… value`,
      );
    }
    if (bySecret.has(secret)) warnings.push(`proxy key ${name}: same value as key ${bySecret.get(secret)!.name}; the first one wins`);
    else bySecret.set(secret, { name, tags: { ...k.tags } });
  }
  return { table: { size: bySecret.size, lookup: (secret) => bySecret.get(secret) }, warnings };
}

/**
 * Where a client put its key: `Authorization: Bearer …` (OpenAI), `x-api-key` (Anthropic) or
 * `api-key` (Azure). A client may send more than one: the Anthropic SDK sends `x-api-key`
 * from its apiKey and a Bearer token from ANTHROPIC_AUTH_TOKEN when both are set. A proxy key
 * among them (known to `table`, or of the prefix) is the one that counts, so that it pins
 * the caller and its credentials are replaced upstream: otherwise it would go upstream beside
 * the other one. Else the first of them.
 */
export function clientSecret(headers: Readonly<Record<string, string | string[] | undefined>>, table?: ProxyKeyTable): string | undefined {
  let first: string | undefined;
  for (const secret of [bearer(headers.authorization), presented(headers['x-api-key']), presented(headers['api-key'])]) {
    if (secret === undefined) continue;
    if (secret.startsWith(PROXY_KEY_PREFIX) || table?.lookup(secret) !== undefined) return secret;
    first ??= secret;
  }
  return first;
}

function bearer(auth: string | string[] | undefined): string | undefined {
  if (typeof auth !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m ? m[1]!.trim() : undefined;
}

function presented(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value.trim() : undefined;
}
