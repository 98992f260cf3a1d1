/**
 * `llmfin top --demo`: replays the bundled sample month through time into a ledger, as
 * a proxy would write it — request rows flushed every 250 ms — so the dashboard moves
 * with no provider key. Each few seconds of wall time plays the next day of the month
 * (its own mix of features, customers and models); some requests are routed to a
 * cheaper model, and now and then an agent gets stuck repeating a call (a loop flag).
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { Pricer } from '../../pricing/pricer.js';
import { ticksToUsd } from '../../shared/money.js';
import type { RequestProfile } from './demo-profiles.js';
import { prng } from '../../shared/prng.js';

export const DEMO_FLUSH_MS = 250;
const SECONDS_PER_DAY = 8;
const LOOP_EVERY_MS = 30_000;
const LOOP_CALLS = 6;
/** Cheaper models a router would send some requests of a pricier one to. */
const ROUTES: Readonly<Record<string, string>> = {
  'claude-haiku-4-5': 'claude-sonnet-4-5',
  'gpt-4.1-mini': 'o3',
  'gpt-4o-mini': 'gpt-4.1-mini',
  'gemini-2.5-flash': 'gemini-2.5-pro',
};

interface PendingLoop {
  profile: RequestProfile;
  trace: string;
  left: number;
  inputTokens: number;
  outputTokens: number;
}

export interface DemoReplayOptions {
  ledger: LedgerStore;
  days: readonly RequestProfile[][];
  requestsPerSecond: number;
  now?: () => number;
  /**
   * Prices each request from its tokens, as the proxy would, so the replayed rows re-price
   * to the tick (`pricing reprice`); without it a request costs its profile's average
   * cost scaled to its size.
   */
  pricer?: Pricer;
}

export class DemoReplay {
  readonly #ledger: LedgerStore;
  readonly #days: readonly RequestProfile[][];
  readonly #rate: number;
  readonly #now: () => number;
  readonly #pricer: Pricer | undefined;
  readonly #rand = prng(8);
  readonly #startedAt: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #carry = 0;
  #serial = 0;
  #lastLoop = 0;
  #loop: PendingLoop | undefined;
  #latencyColumn = false;
  #writing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(options: DemoReplayOptions) {
    this.#ledger = options.ledger;
    this.#days = options.days.filter((d) => d.length > 0);
    this.#rate = options.requestsPerSecond;
    this.#now = options.now ?? Date.now;
    this.#pricer = options.pricer;
    this.#startedAt = this.#now();
    this.#lastLoop = this.#startedAt - LOOP_EVERY_MS + 12_000;
  }

  async start(): Promise<void> {
    const cols = await sql<{ name: string }>`select name from pragma_table_info('usage_entries')`.execute(this.#ledger.db);
    this.#latencyColumn = cols.rows.some((c) => c.name === 'latency_ms');
    this.#timer = setInterval(() => {
      this.#writing = this.#writing.then(() => this.flush()).catch(() => undefined);
    }, DEMO_FLUSH_MS);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#writing;
  }

  /** The sample day being played now (0-based). */
  day(now = this.#now()): number {
    return Math.floor((now - this.#startedAt) / 1000 / SECONDS_PER_DAY) % Math.max(1, this.#days.length);
  }

  #pick(profiles: readonly RequestProfile[]): RequestProfile {
    const total = profiles.reduce((a, p) => a + p.requests, 0);
    let x = this.#rand() * total;
    for (const p of profiles) {
      x -= p.requests;
      if (x <= 0) return p;
    }
    return profiles[profiles.length - 1]!;
  }

  /** Writes the requests of one flush interval. */
  async flush(): Promise<void> {
    const now = this.#now();
    const profiles = this.#days[this.day(now)];
    if (!profiles) return;
    this.#carry += (this.#rate * DEMO_FLUSH_MS) / 1000;
    const n = Math.floor(this.#carry);
    this.#carry -= n;
    const values: unknown[][] = [];
    for (let i = 0; i < n; i++) values.push(this.#request(this.#pick(profiles), now));
    if (!this.#loop && now - this.#lastLoop >= LOOP_EVERY_MS) {
      const agents = profiles.filter((p) => p.agent);
      if (agents.length > 0) {
        const profile = this.#pick(agents);
        this.#loop = { profile, trace: `demo-loop-${this.#serial}`, left: LOOP_CALLS, inputTokens: Math.round(profile.inputTokens), outputTokens: Math.round(profile.outputTokens) };
        this.#lastLoop = now;
      }
    }
    if (this.#loop) {
      const l = this.#loop;
      values.push(this.#row(l.profile, now, l.inputTokens, l.outputTokens, Math.round(l.profile.costTicks), l.trace, null));
      if (--l.left === 0) this.#loop = undefined;
    }
    if (values.length === 0) return;
    await this.#insert(values);
    this.written += values.length;
  }

  #request(p: RequestProfile, now: number): unknown[] {
    const scale = 0.4 + this.#rand() * 1.2;
    const inputTokens = Math.max(1, Math.round(p.inputTokens * scale));
    const outputTokens = Math.max(1, Math.round(p.outputTokens * (0.5 + this.#rand())));
    const cost = Math.max(1, Math.round(p.costTicks * scale));
    const routed = ROUTES[p.model] !== undefined && this.#rand() < 0.25 ? ROUTES[p.model]! : null;
    const trace = p.agent ? `demo-${p.agent}-${Math.floor(this.#rand() * 1e9).toString(36)}` : null;
    return this.#row(p, now, inputTokens, outputTokens, cost, trace, routed);
  }

  #row(p: RequestProfile, now: number, inputTokens: number, outputTokens: number, costTicks: number, trace: string | null, routedFrom: string | null): unknown[] {
    const latency = Math.round(150 + outputTokens * (8 + this.#rand() * 12));
    const serial = this.#serial++;
    const ts = new Date(now - latency).toISOString();
    let costUsd = ticksToUsd(BigInt(costTicks)).toFixed();
    const priced = this.#pricer?.priceExact({ provider: p.provider, model: p.model, usage: { input: inputTokens, output: outputTokens }, at: new Date(ts) });
    if (priced?.status === 'priced') {
      costTicks = Number(priced.costTicks);
      costUsd = priced.costUsd;
    }
    const row: unknown[] = [
      `demo-live-${this.#startedAt}-${serial}`,
      p.provider,
      p.model,
      routedFrom ?? p.model,
      ts,
      new Date(now).toISOString(),
      inputTokens,
      inputTokens,
      outputTokens,
      costUsd,
      costTicks,
      p.team,
      p.feature,
      p.customer,
      p.agent,
      p.environment,
      p.project,
      p.apiKey,
      trace,
      `req-${serial}`,
      new Date(now).toISOString(),
      // As the proxy records a routed request: the tag routed_from names the model asked for.
      routedFrom === null ? null : JSON.stringify({ routed_from: routedFrom }),
    ];
    if (this.#latencyColumn) row.push(latency);
    return row;
  }

  async #insert(values: readonly unknown[][]): Promise<void> {
    const columns = `dedupe_key, provider, model, model_requested, ts, ts_end, input_tokens, uncached_input_tokens, output_tokens, cost_usd, cost_ticks,
      team, feature, customer, agent, environment, project, api_key, trace_id, request_id, created_at, tags${this.#latencyColumn ? ', latency_ms' : ''}`;
    const rows = values.map((v) => sql`('metered', 'llmfin-demo', 'request', 1, 'priced', ${sql.join(v.map((x) => sql`${x}`))})`);
    await sql`insert into usage_entries (provenance, source, granularity, requests, cost_status, ${sql.raw(columns)}) values ${sql.join(rows)}`.execute(this.#ledger.db);
  }
}
