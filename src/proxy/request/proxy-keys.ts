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

/** Where a client put its key: `Authorization: Bearer …` (OpenAI), `x-api-key` (Anthropic) or `api-key` (Azure). */
export function clientSecret(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  const apiKey = headers['x-api-key'] ?? headers['api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey.trim() : undefined;
}
