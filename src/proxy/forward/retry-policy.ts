/**
 * When the proxy calls an upstream again after a failed attempt, and how long it waits
 * first (gateways.md §3.6): only before anything has been sent to the client, only for
 * the statuses and failures configured, honouring the upstream's own Retry-After (and the
 * millisecond variants OpenAI and Azure send), and never waiting longer than max_wait_ms —
 * an upstream that asks for more gets its error passed on, with its Retry-After, as if
 * there were no retries.
 */
import type { ProxyConfig } from '../../config/config-schema.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly max: number;
  readonly onStatus: ReadonlySet<number>;
  readonly onUnreachable: boolean;
  readonly onTimeout: boolean;
  readonly backoffMs: number;
  readonly maxWaitMs: number;
}

/** What ended an attempt that might be retried. */
export type RetryCause = { kind: 'status'; status: number; headers: Readonly<Record<string, string | string[] | undefined>> } | { kind: 'unreachable' } | { kind: 'timeout' };

/** The policy from `proxy.retries`; undefined (no retries) when the section is absent or max is 0. */
export function retryPolicy(config: ProxyConfig['retries']): RetryPolicy | undefined {
  if (config === undefined || config.max === 0) return undefined;
  return {
    max: config.max,
    onStatus: new Set(config.on_status),
    onUnreachable: config.on_unreachable,
    onTimeout: config.on_timeout,
    backoffMs: config.backoff_ms,
    maxWaitMs: config.max_wait_ms,
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait the upstream asked for, in ms: `retry-after-ms` / `x-ms-retry-after-ms`, else
 * `retry-after` as seconds or an HTTP date; undefined when it asked for nothing readable.
 */
export function requestedWaitMs(headers: Readonly<Record<string, string | string[] | undefined>>, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const text = first(headers[name]);
    const ms = Number(text);
    if (text !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = first(headers['retry-after'])?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before retrying after `retriesDone` retries and this `cause`, or
 * undefined when the attempt's result should go to the client as it is.
 * `random` is injectable so that tests can pin the jitter.
 */
export function retryWaitMs(policy: RetryPolicy, retriesDone: number, cause: RetryCause, now: number, random: () => number = Math.random): number | undefined {
  if (retriesDone >= policy.max) return undefined;
  if (cause.kind === 'unreachable' && !policy.onUnreachable) return undefined;
  if (cause.kind === 'timeout' && !policy.onTimeout) return undefined;
  if (cause.kind === 'status') {
    if (!policy.onStatus.has(cause.status)) return undefined;
    const asked = requestedWaitMs(cause.headers, now);
    if (asked !== undefined) return asked <= policy.maxWaitMs ? asked : undefined;
  }
  // Exponential with "full jitter" on the upper half, so that clients failed together do not return together.
  const base = policy.backoffMs * 2 ** retriesDone;
  return Math.min(policy.maxWaitMs, Math.round(base / 2 + (random() * base) / 2));
}
