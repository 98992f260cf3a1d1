/**
 * `GET /llmfin/health`: is the proxy up, where does it forward, is the ledger keeping up.
 * No keys, ever. While ledger writes fail (the file locked by another writer past the busy
 * timeout, a read-only file, a full disk) the proxy still forwards, holding the rows in
 * memory and retrying them, but a crash would lose them: health says so, `ok: false`
 * with HTTP 503, until a write succeeds again.
 */
import type { ProxyRuntime } from '../proxy-runtime.js';

export interface HealthReport {
  /** 200 while ok, 503 while ledger writes fail. */
  status: number;
  body: Record<string, unknown>;
}

export function healthReport(rt: ProxyRuntime, startedAt: number, ledgerPath: string, version: string): HealthReport {
  const failure = rt.queue.failure;
  const ok = failure === undefined;
  return {
    status: ok ? 200 : 503,
    body: {
      ok,
      version,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      ledger: ledgerPath,
      ledger_writes: {
        ok,
        pending_rows: rt.queue.depth,
        error: failure?.message ?? null,
        failing_since: failure === undefined ? null : new Date(failure.since).toISOString(),
      },
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
    },
  };
}
