/**
 * What request handling reads: the parts of the config that a reload swaps as one
 * object (so a request sees either the old or the new config, never half of each), and
 * the long-lived services (pricer, gate, ledger queue, metrics, log, pools).
 */
import type { Pricer } from '../pricing/pricer.js';
import type { Router } from '../routing/router.js';
import type { BackgroundResponses } from './forward/background-responses.js';
import type { RowQueue } from './ledger/ledger-queue.js';
import type { LoopOptions, LoopWatch } from './loops/loop-watch.js';
import type { ProxyLog } from './ops/request-log.js';
import type { ProxyMetrics } from './ops/proxy-metrics.js';
import type { RequestGate } from './request-gate.js';
import type { ResponseContexts } from './forward/response-contexts.js';
import type { RequestIds } from './request-ids.js';
import type { ProxyKeyTable } from './request/proxy-keys.js';
import type { RetryPolicy } from './forward/retry-policy.js';
import type { UpstreamPools } from './forward/upstream-pools.js';
import type { UpstreamTable } from './upstreams/upstream-table.js';

export interface ActiveConfig {
  upstreams: UpstreamTable;
  keys: ProxyKeyTable;
  /** Refuse requests that do not present a configured proxy key. */
  requireKey: boolean;
  storePrompts: boolean;
  /** Upstream headers timeout and body idle timeout, ms. */
  timeoutMs: number;
  defaultMaxOutputTokens: number | undefined;
  /** The routing policy, or undefined when routing is off (`routing: {}`). */
  router: Router | undefined;
  /** Agent-loop detection on traced requests. */
  loops: LoopOptions;
  /** Retries of failed upstream calls (`proxy.retries`); undefined: none. */
  retries: RetryPolicy | undefined;
}

export interface ProxyRuntime {
  config: ActiveConfig;
  readonly pricer: Pricer;
  readonly catalogueVersion: string;
  /** openGate while there are no budgets; SIGHUP may bring some, or take them all away (start-proxy.ts). */
  gate: RequestGate;
  readonly queue: RowQueue;
  readonly metrics: ProxyMetrics;
  readonly log: ProxyLog;
  readonly pools: UpstreamPools;
  readonly ids: RequestIds;
  /** Background responses created and still running, by upstream response id. */
  readonly background: BackgroundResponses;
  /** Recent calls per trace, for live loop detection. */
  readonly loopWatch: LoopWatch;
  /** The context size of recent Responses API responses, for requests that continue them. */
  readonly responseContexts: ResponseContexts;
  readonly runId: string | undefined;
  /** Largest request body accepted, bytes. */
  readonly maxBodyBytes: number;
  inFlight: number;
}
