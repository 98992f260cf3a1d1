/** `GET /llmfin/health`: is the proxy up, where does it forward, is the ledger keeping up. No keys, ever. */
import type { ProxyRuntime } from '../proxy-runtime.js';

export function healthReport(rt: ProxyRuntime, startedAt: number, ledgerPath: string, version: string): Record<string, unknown> {
  return {
    ok: true,
    version,
    uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
    ledger: ledgerPath,
    queue_depth: rt.queue.depth,
    rows_written: rt.queue.written,
    in_flight: rt.inFlight,
    upstreams: rt.config.upstreams.all.map((u) => ({
      name: u.name,
      dialect: u.dialect,
      base_url: u.baseUrl,
      provider: u.provider,
      key: u.apiKey !== undefined ? `from ${u.apiKeyEnv}` : "client's own",
      implied: u.implied,
    })),
    proxy_keys: rt.config.keys.size,
  };
}
