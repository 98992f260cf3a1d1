/**
 * The programmatic entry: `startProxy(options)` → a running proxy with its URL, for the
 * CLI (`llmfin proxy`) and for tests. It owns the server, the pools, the ledger queue
 * and the log; the caller owns the ledger and the pricer.
 */
import { countNoun } from '../shared/count-noun.js';
import { setFlagsFromString } from 'node:v8';
import type { ProxyConfig } from '../config/config-schema.js';
import type { RoutingConfig } from '../config/routing-config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Pricer } from '../pricing/pricer.js';
import type { CohortPriors } from '../routing/cohort-priors.js';
import { activeConfig, exposureWarnings, type RoutingSetup } from './active-config.js';
import { BackgroundResponses } from './forward/background-responses.js';
import { UpstreamPools } from './forward/upstream-pools.js';
import { DEFAULT_FLUSH_INTERVAL_MS, LedgerQueue, type RowQueue } from './ledger/ledger-queue.js';
import { ThreadLedgerQueue, writerThreadAvailable } from './ledger/ledger-writer-thread.js';
import { limitLedgerCache } from './ledger/limit-ledger-cache.js';
import { LoopWatch } from './loops/loop-watch.js';
import { ResponseContexts } from './forward/response-contexts.js';
import { ProxyMetrics } from './ops/proxy-metrics.js';
import { ProxyLog, type LogFormat } from './ops/request-log.js';
import { openGate, type RequestGate } from './request-gate.js';
import { RequestIds } from './request-ids.js';
import { OtherProxiesSpend } from './ledger/other-proxies-spend.js';
import { ImportsWatch } from './ledger/imports-watch.js';
import { importsFingerprint } from '../ledger/queries/import-batches.js';
import { lastEntryId } from '../ledger/queries/proxy-rows-after.js';
import type { ProxyRuntime } from './proxy-runtime.js';
import { ProxyServer } from './proxy-server.js';
import type { Upstream } from './upstreams/upstream-table.js';

export { DRAIN_TIMEOUT_MS } from './drain-timeout.js';

export interface StartProxyOptions {
  ledger: LedgerStore;
  pricer: Pricer;
  /** The `proxy:` section of llmfin.yaml; missing fields take the defaults. */
  config?: Partial<ProxyConfig> | undefined;
  /** Default: config host, else 127.0.0.1 (never all interfaces unless asked). */
  host?: string | undefined;
  /** Default: config port, else 8787; 0 picks a free port. */
  port?: number | undefined;
  /** Admission control (budgets); default: every request allowed. */
  gate?: RequestGate | undefined;
  /** Where upstream and proxy keys are read from; default process.env. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The `routing:` section of llmfin.yaml; absent or `{}` (no tiers) is off. */
  routing?: RoutingConfig | undefined;
  /**
   * With budgets: the ledger's last row id before their spend was read. Proxy rows other
   * proxies write after it are counted in them as they land (other-proxies-spend.ts).
   */
  budgetsReadAfterId?: number | undefined;
  /**
   * With budgets: the ledger's imports fingerprint (importsFingerprint) read before their
   * spend was. An import or undo after it re-reads the budgets (imports-watch.ts).
   */
  budgetsReadImports?: string | undefined;
  /** Cohort priors for routing; default: learned from the ledger's routed rows at start. */
  routingPriors?: CohortPriors | undefined;
  /** Stored on every row as the tag `run_id`. */
  runId?: string | undefined;
  /** `--upstream NAME=URL` overrides of the configured base URLs. */
  upstreams?: ReadonlyArray<{ name: string; url: string }> | undefined;
  logFormat?: LogFormat | undefined;
  /** Where log lines go; default stderr. */
  logWrite?: ((text: string) => void) | undefined;
  flushIntervalMs?: number | undefined;
  /** Largest request body accepted (default 64 MiB: images travel as base64). */
  maxBodyBytes?: number | undefined;
  version?: string | undefined;
  /** How long a background response's reservation waits for its end (default BACKGROUND_HOLD_MS, an hour). */
  backgroundHoldMs?: number | undefined;
}

export interface RunningProxy {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Warnings from reading the config (a key variable not set…), for the banner. */
  readonly warnings: readonly string[];
  upstreams(): readonly Upstream[];
  /** Writes queued rows now. */
  flush(): Promise<number>;
  /**
   * Swaps upstreams, keys, options and (when given) the routing policy for new requests;
   * returns the new warnings. Host and port stay; the cohort priors learned at start stay.
   */
  reload(config: Partial<ProxyConfig>, routing?: RoutingConfig): string[];
  /**
   * Runs `reread` (the gate swaps its budgets and reads their spend from the ledger again,
   * after `flushed` has written the queued rows) between two polls of the other proxies'
   * spend, which resume after the row id it returns. SIGHUP's budget reload goes through here.
   */
  rereadBudgets(reread: (flushed: () => Promise<unknown>) => Promise<number | undefined>): Promise<void>;
  /**
   * Budgets for a proxy that has none (SIGHUP brought them): every request from here on is
   * admitted by `gate`, and `reread` runs as in rereadBudgets (the gate takes its budgets and
   * reads their spend from the ledger, after `flushed`); then the other proxies' rows and the
   * imports are counted in it, as with budgets at start. The requests admitted before, still
   * in flight, are counted from their rows as another proxy's are. When `reread` fails, the
   * proxy stays without budgets and the error is thrown.
   */
  startBudgets(gate: RequestGate, reread: (flushed: () => Promise<unknown>) => Promise<number | undefined>): Promise<void>;
  /** No budgets any more (SIGHUP took them all away): every request is admitted, and the ledger is no longer polled for them. */
  stopBudgets(): void;
  metricsText(): string;
  /** Graceful stop; resolves once every row is written. */
  close(): Promise<void>;
  /** During close: cut the requests still in flight now instead of waiting for them (a second Ctrl-C). */
  hurry(): void;
  /** Requests in flight now. */
  inFlight(): number;
  readonly log: ProxyLog;
}

/**
 * V8 sets the old generation's next full collection at its live size times a growth
 * factor it picks from GC and allocation speed, up to 4. A busy proxy's live old
 * generation is ~18 MB. Most processes promote little and collect the old generation a
 * few times a minute; some (the bimodal peak RSS: ~190 MB against ~140 under the c=50
 * benchmark) promote far more, and with a large factor let the old generation grow to
 * 65-70 MB before each collection. A fixed factor of 2 bounds that growth at about twice
 * the live size; in the common state it collects as often as V8's own choice did (2-3
 * full collections through the benchmark's sequence, peak 144-151 MB). A factor of 1.5
 * was tried and dropped: the old generation's limit then sat so close to its live size
 * that a full collection ran about every 0.35 s (111 through the sequence), costing
 * ~16 µs of CPU a request. V8 reads this flag at each full collection, so setting it
 * here, at run time, takes effect.
 */
const HEAP_GROWING_PERCENT = 100;

export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // The budgets were read from the ledger before this (the CLI loads them first): rows written before now are in their spend.
  const startedAt = Date.now();
  const env = options.env ?? process.env;
  const cfg = options.config ?? {};
  // Before learning the routing priors, which read the ledger (the CLI does it before the budgets' reads too).
  await limitLedgerCache(options.ledger);
  let routing: RoutingSetup | undefined;
  if (options.routing !== undefined && (options.routing.tiers?.length ?? 0) > 0) {
    let priors = options.routingPriors;
    if (priors === undefined) {
      const { learnPriors } = await import('../routing/learn-priors.js');
      priors = (await learnPriors(options.ledger, options.routing)).priors;
    }
    routing = { config: options.routing, priors };
  }
  const { config, warnings } = activeConfig(cfg, env, options.pricer, options.upstreams, routing);
  const log = new ProxyLog(options.logWrite ?? ((text) => process.stderr.write(text)), options.logFormat ?? cfg.log_format ?? 'text');
  const metrics = new ProxyMetrics();
  const queueOptions = {
    intervalMs: options.flushIntervalMs ?? cfg.flush_interval_ms ?? DEFAULT_FLUSH_INTERVAL_MS,
    onError: (error: unknown, pending: number) => {
      metrics.flushErrors++;
      log.event('error', `ledger write failed, ${countNoun(pending, 'row')} kept for the next try: ${(error as Error).message}`);
    },
  };
  // SQLite's work on a second thread when the ledger is a file; on this one otherwise.
  const queue: RowQueue = writerThreadAvailable(options.ledger.path, env) ? new ThreadLedgerQueue(options.ledger, queueOptions) : new LedgerQueue(options.ledger, queueOptions);
  const rt: ProxyRuntime = {
    config,
    pricer: options.pricer,
    catalogueVersion: options.pricer.catalogue.manifest.version,
    gate: options.gate ?? openGate,
    queue,
    metrics,
    log,
    pools: new UpstreamPools(),
    ids: new RequestIds(),
    background: new BackgroundResponses(options.backgroundHoldMs, undefined, options.ledger, startedAt),
    loopWatch: new LoopWatch(),
    responseContexts: new ResponseContexts(),
    runId: options.runId,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
    inFlight: 0,
  };
  // Background responses still pending in the ledger (this proxy's before a restart, or another's): re-priced when retrieved.
  try {
    await rt.background.load(rt);
  } catch (error) {
    log.event('error', `pending background responses could not be read from the ledger, their rows stay estimated: ${(error as Error).message}`);
  }
  const server = new ProxyServer(rt, options.ledger.path, options.version ?? 'unknown');
  const host = options.host ?? cfg.host ?? '127.0.0.1';
  let address: Awaited<ReturnType<ProxyServer['listen']>>;
  try {
    address = await server.listen(host, options.port ?? cfg.port ?? 8787);
  } catch (error) {
    await queue.stop().catch(() => undefined);
    throw error;
  }
  queue.start();
  /**
   * What a gate with budgets counts besides this proxy's requests: the other proxies' rows
   * written after `readAfterId`, and a re-read of the ledger when the imports change from
   * `readImports` (both read before the budgets' spend was).
   */
  const watchLedger = (gate: RequestGate, readAfterId: number | undefined, readImports: string | undefined): OtherProxiesSpend | undefined => {
    const imports =
      gate.reseed !== undefined && readImports !== undefined
        ? new ImportsWatch(options.ledger, gate.reseed.bind(gate), () => queue.flush(), readImports, (ms) =>
            log.event('info', `an import changed the ledger: budgets re-read their spend from it (${Math.round(ms)} ms)`),
          )
        : undefined;
    const watch =
      gate.correct !== undefined && readAfterId !== undefined
        ? new OtherProxiesSpend(
            options.ledger,
            gate,
            rt.ids.prefix,
            readAfterId,
            (error) => log.event('error', `spend of other proxies and imports on this ledger could not be read, the budgets count this proxy's only until it can: ${(error as Error).message}`),
            imports && (() => imports.check()),
          )
        : undefined;
    watch?.start();
    return watch;
  };
  let others = options.gate === undefined ? undefined : watchLedger(options.gate, options.budgetsReadAfterId, options.budgetsReadImports);
  let closing = false;
  warnings.push(...exposureWarnings(address.address, rt.config));
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    warnings,
    log,
    upstreams: () => rt.config.upstreams.all,
    flush: () => queue.flush(),
    reload(next, nextRouting) {
      if (nextRouting !== undefined) routing = { config: nextRouting, priors: routing?.priors };
      const fresh = activeConfig(next, env, options.pricer, options.upstreams, routing);
      if (fresh.config.router !== undefined && rt.config.router !== undefined) fresh.config.router.carryTraces(rt.config.router);
      rt.config = fresh.config;
      rt.pools.retain(new Set(fresh.config.upstreams.all.map((u) => u.origin)));
      return [...fresh.warnings, ...exposureWarnings(address.address, fresh.config)];
    },
    rereadBudgets: async (reread) => {
      const step = () => reread(() => queue.flush());
      if (others !== undefined) await others.between(step);
      else await step();
    },
    startBudgets: async (gate, reread) => {
      // Read before the budgets' spend, as at start: an import landing between is read twice, never missed.
      const readImports = await importsFingerprint(options.ledger);
      const before = await lastEntryId(options.ledger);
      // Requests from here on are admitted by `gate` under ids of a new prefix, the rows of
      // which it counts from their tickets; those of the ids before, admitted without a budget
      // and maybe still in flight, it counts as another proxy's when they land after its read.
      rt.ids.renew();
      rt.gate = gate;
      let afterId: number | undefined;
      try {
        afterId = await reread(() => queue.flush());
      } catch (error) {
        rt.gate = openGate;
        throw error;
      }
      if (!closing) others = watchLedger(gate, afterId ?? before, readImports);
    },
    stopBudgets: () => {
      others?.stop();
      others = undefined;
      rt.gate = openGate;
    },
    metricsText: () => server.metricsText(),
    close: () => {
      closing = true;
      others?.stop();
      return server.close();
    },
    hurry: () => server.hurry(),
    inFlight: () => rt.inFlight,
  };
}
