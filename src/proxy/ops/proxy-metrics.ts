/**
 * Prometheus metrics kept in memory: plain counters and histograms in maps, updated with
 * a few additions per request and rendered in the text exposition format only when
 * scraped. Labels are bounded: upstream names, endpoints and statuses come from the config
 * and the code; model ids come from clients and upstreams, so only the first
 * MAX_MODEL_LABELS distinct ones get series of their own (see ProxyMetrics.totals).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import type { GateBudgetSnapshot } from '../request-gate.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** The `class` label of the token counters, in the order ModelTotals keeps them. */
const TOKEN_CLASSES = ['input', 'uncached_input', 'cache_read', 'cache_write', 'output', 'reasoning'] as const;
/**
 * Distinct model label values /metrics keeps series for. A client that sends a new model
 * name on every request (a typo loop, a fuzzer, an attacker) would otherwise add series
 * for ever: memory in the proxy, and cardinality in every Prometheus that scrapes it.
 * 200 is far above the models one deployment calls.
 */
export const MAX_MODEL_LABELS = 200;
/** The model label of the requests whose model came after MAX_MODEL_LABELS others. */
const OTHER_MODEL = '(other)';

/** One upstream and model's totals; a token class's series appears once it counts a token, the cost once priced. */
export class ModelTotals {
  /** By TOKEN_CLASSES. */
  readonly tokens: number[] = TOKEN_CLASSES.map(() => 0);
  costTicks: bigint | undefined;
  unpriced = 0;

  /** A request's tokens, in TOKEN_CLASSES order (negative counts are not counted). */
  addTokens(input: number, uncachedInput: number, cacheRead: number, cacheWrite: number, output: number, reasoning: number): void {
    const t = this.tokens;
    if (input > 0) t[0]! += input;
    if (uncachedInput > 0) t[1]! += uncachedInput;
    if (cacheRead > 0) t[2]! += cacheRead;
    if (cacheWrite > 0) t[3]! += cacheWrite;
    if (output > 0) t[4]! += output;
    if (reasoning > 0) t[5]! += reasoning;
  }

  /** A request's cost; null when its model has no price. */
  addCost(ticks: bigint | null): void {
    if (ticks === null) this.unpriced++;
    else this.costTicks = (this.costTicks ?? 0n) + ticks;
  }
}

class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(names: readonly string[], key: string): string {
  const values = key.split('\u0000');
  return names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`).join(',');
}

export interface MetricsSources {
  queueDepth(): number;
  rowsWritten(): number;
  budgets(): readonly GateBudgetSnapshot[];
  inFlight(): number;
}

export class ProxyMetrics {
  readonly #requests = new Map<string, number>();
  /** Tokens and cost by upstream, then model: one lookup per request rather than a key string per token class. */
  readonly #models = new Map<string, Map<string, ModelTotals>>();
  readonly #latency = new Map<string, Histogram>();
  readonly #ttfb = new Map<string, Histogram>();
  readonly #errors = new Map<string, number>();
  readonly #rejections = new Map<string, number>();
  readonly #retries = new Map<string, number>();
  /** The model labels given series so far, on any upstream (at most #maxModels). */
  readonly #modelLabels = new Set<string>();
  readonly #maxModels: number;
  /** Requests counted under OTHER_MODEL because the model labels were full. */
  #modelOverflow = 0;
  flushErrors = 0;

  constructor(maxModels = MAX_MODEL_LABELS) {
    this.#maxModels = maxModels;
  }

  #inc(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }

  /** `method`: the route's (a path can be a billed POST and a free GET: /v1/chat/completions). */
  request(upstream: string, endpoint: string, method: string, status: number): void {
    this.#inc(this.#requests, `${upstream}\u0000${endpoint}\u0000${method}\u0000${status}`);
  }

  /**
   * The running token and cost totals of one upstream and model, to add a request's to
   * (called once per request). A model first seen after #maxModels others is counted under
   * OTHER_MODEL, and the request in llmfin_proxy_model_label_overflow_total; one seen
   * before keeps its own series on every upstream.
   */
  totals(upstream: string, model: string): ModelTotals {
    if (!this.#modelLabels.has(model)) {
      if (this.#modelLabels.size < this.#maxModels) this.#modelLabels.add(model);
      else {
        model = OTHER_MODEL;
        this.#modelOverflow++;
      }
    }
    let byModel = this.#models.get(upstream);
    if (byModel === undefined) this.#models.set(upstream, (byModel = new Map()));
    let t = byModel.get(model);
    if (t === undefined) byModel.set(model, (t = new ModelTotals()));
    return t;
  }


  latency(upstream: string, seconds: number, ttfbSeconds: number | undefined): void {
    let h = this.#latency.get(upstream);
    if (h === undefined) this.#latency.set(upstream, (h = new Histogram()));
    h.observe(seconds);
    if (ttfbSeconds !== undefined) {
      let t = this.#ttfb.get(upstream);
      if (t === undefined) this.#ttfb.set(upstream, (t = new Histogram()));
      t.observe(ttfbSeconds);
    }
  }

  /** `kind`: upstream_error (HTTP >= 400), upstream_unreachable, upstream_timeout, stream_interrupted, client_disconnected. */
  error(upstream: string, kind: string): void {
    this.#inc(this.#errors, `${upstream}\u0000${kind}`);
  }

  /** `reason`: the upstream status retried (`http_503`), upstream_unreachable or upstream_timeout. */
  retried(upstream: string, reason: string): void {
    this.#inc(this.#retries, `${upstream}\u0000${reason}`);
  }

  rejected(budget: string): void {
    this.#inc(this.#rejections, budget);
  }

  render(sources: MetricsSources): string {
    const out: string[] = [];
    // Every family's HELP and TYPE lines, before its samples (none, when it has none yet).
    const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    // Keys joined with NUL are split back into labels: only for labels the proxy chooses (upstream and budget names, endpoints, statuses, kinds).
    const counter = (name: string, help: string, names: readonly string[], map: ReadonlyMap<string, number>) => {
      family(name, 'counter', help);
      for (const [k, v] of map) out.push(`${name}{${labels(names, k)}} ${v}`);
    };
    const histogram = (name: string, help: string, map: ReadonlyMap<string, Histogram>) => {
      family(name, 'histogram', help);
      for (const [upstream, h] of map) {
        const l = `upstream="${escapeLabel(upstream)}"`;
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          cumulative += h.counts[i]!;
          out.push(`${name}_bucket{${l},le="${le}"} ${cumulative}`);
        });
        out.push(`${name}_bucket{${l},le="+Inf"} ${h.count}`, `${name}_sum{${l}} ${h.sum}`, `${name}_count{${l}} ${h.count}`);
      }
    };
    const gauge = (name: string, help: string, value: number) => {
      family(name, 'gauge', help);
      out.push(`${name} ${value}`);
    };

    counter('llmfin_proxy_requests_total', 'Requests answered, by upstream ("-" when refused before one was chosen), endpoint, HTTP method and HTTP status.', ['upstream', 'endpoint', 'method', 'status'], this.#requests);
    // By upstream and model, written from the nested maps rather than through a joined key: the
    // model is the client's (or upstream's) text, and may hold the key's separator, NUL.
    const tokens: string[] = [];
    const costs: string[] = [];
    const unpriced: string[] = [];
    for (const [upstream, byModel] of this.#models) {
      for (const [model, t] of byModel) {
        const l = `upstream="${escapeLabel(upstream)}",model="${escapeLabel(model)}"`;
        t.tokens.forEach((n, i) => {
          if (n > 0) tokens.push(`llmfin_proxy_tokens_total{${l},class="${TOKEN_CLASSES[i]!}"} ${n}`);
        });
        if (t.costTicks !== undefined) costs.push(`llmfin_proxy_cost_usd_total{${l}} ${Number(t.costTicks) / 1e10}`);
        if (t.unpriced > 0) unpriced.push(`llmfin_proxy_unpriced_requests_total{${l}} ${t.unpriced}`);
      }
    }
    family(
      'llmfin_proxy_tokens_total',
      'counter',
      'Tokens recorded, by upstream, model and class (input counts every input token; cache_read, cache_write and uncached_input are parts of it; reasoning is part of output).',
    );
    out.push(...tokens);
    family('llmfin_proxy_cost_usd_total', 'counter', 'Cost recorded in USD (priced and estimated), by upstream and model.');
    out.push(...costs);
    family('llmfin_proxy_unpriced_requests_total', 'counter', 'Requests whose model has no price, by upstream and model.');
    out.push(...unpriced);
    family('llmfin_proxy_model_label_overflow_total', 'counter', `Requests counted under model="${OTHER_MODEL}" in the token, cost and unpriced series because ${this.#maxModels} other models already had series of their own.`);
    out.push(`llmfin_proxy_model_label_overflow_total ${this.#modelOverflow}`);
    counter('llmfin_proxy_errors_total', 'Failed attempts by upstream and kind.', ['upstream', 'kind'], this.#errors);
    counter('llmfin_proxy_retries_total', 'Upstream calls made again after a failed attempt (proxy.retries), by upstream and reason.', ['upstream', 'reason'], this.#retries);
    counter('llmfin_proxy_budget_rejections_total', 'Requests refused by a budget, by budget.', ['budget'], this.#rejections);
    histogram('llmfin_proxy_request_duration_seconds', 'Time from request received to last byte sent, by upstream.', this.#latency);
    histogram('llmfin_proxy_ttfb_seconds', "Time from request received to the upstream's first body byte, by upstream.", this.#ttfb);
    gauge('llmfin_proxy_in_flight_requests', 'Requests being forwarded now.', sources.inFlight());
    // The process's own memory, under the names Prometheus' Node clients use, read only when scraped.
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', process.memoryUsage.rss());
    family('nodejs_heap_space_size_total_bytes', 'gauge', 'Size of each V8 heap space in bytes (main thread).');
    for (const space of getHeapSpaceStatistics()) if (space.space_size > 0) out.push(`nodejs_heap_space_size_total_bytes{space="${space.space_name.replace(/_space$/, '')}"} ${space.space_size}`);
    gauge('llmfin_proxy_ledger_queue_depth', 'Rows waiting to be written to the ledger.', sources.queueDepth());
    family('llmfin_proxy_ledger_rows_written_total', 'counter', 'Rows written to the ledger.');
    out.push(`llmfin_proxy_ledger_rows_written_total ${sources.rowsWritten()}`);
    family('llmfin_proxy_ledger_flush_errors_total', 'counter', 'Ledger flushes that failed (their rows are retried).');
    out.push(`llmfin_proxy_ledger_flush_errors_total ${this.flushErrors}`);
    const budgets = sources.budgets();
    if (budgets.length > 0) {
      family('llmfin_budget_spent_usd', 'gauge', 'Spend in the current period, by budget.');
      for (const b of budgets) out.push(`llmfin_budget_spent_usd{budget="${escapeLabel(b.name)}"} ${Number(b.spentTicks) / 1e10}`);
      family('llmfin_budget_reserved_usd', 'gauge', 'Maximum cost of requests in flight, by budget.');
      for (const b of budgets) out.push(`llmfin_budget_reserved_usd{budget="${escapeLabel(b.name)}"} ${Number(b.reservedTicks) / 1e10}`);
      family('llmfin_budget_limit_usd', 'gauge', 'Hard limit, by budget.');
      for (const b of budgets) out.push(`llmfin_budget_limit_usd{budget="${escapeLabel(b.name)}"} ${Number(b.limitTicks) / 1e10}`);
      family('llmfin_budget_state', 'gauge', 'Budget state: 0 green (below the soft limit, soft_limit_percent), 1 amber (below the limit), 2 red.');
      for (const b of budgets) {
        // The budget's own soft limit, as `llmfin budget status` and its alerts use.
        const soft = b.softTicks ?? (b.limitTicks * 8n) / 10n;
        out.push(`llmfin_budget_state{budget="${escapeLabel(b.name)}"} ${b.spentTicks >= b.limitTicks ? 2 : b.spentTicks >= soft ? 1 : 0}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}
