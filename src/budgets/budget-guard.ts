/**
 * Budget enforcement for the proxy. Before a request is forwarded, `admit` reserves its
 * maximum cost (prompt estimate + max_tokens, priced) against every budget whose scope it
 * falls in; when the real cost is known the reservation is settled, and on an upstream
 * error it is released. `admit` is synchronous, so within one event loop reservations are
 * atomic: concurrent requests see each other's reservations and the overshoot past a hard
 * limit is bounded by what was in flight when the limit was crossed (the requests whose
 * actual cost exceeded their reservation).
 *
 * It satisfies the proxy's RequestGate structurally (src/proxy/request-gate.ts) without
 * depending on the proxy.
 */
import type { Attributor } from '../attribution/attributor.js';
import { IDENTIFIER_FIELDS, type Identifiers } from '../attribution/identifiers.js';
import type { BudgetConfig } from '../config/config-schema.js';
import { dec, formatUsd, ticksToUsd, usdToTicks, type Dec } from '../shared/money.js';
import { periodWindow, type PeriodWindow } from './budget-period.js';
import { describeScope, scopeDimension, scopeMatches } from './budget-scope.js';
import { softLimitTicks } from './budget-status.js';

export interface BudgetRequest {
  model: string;
  dims: Readonly<Record<string, string>>;
  maxCostTicks: bigint;
}

export interface BudgetTicket {
  settle(actualCostTicks: bigint): void;
  release(): void;
  /** After settle: moves the settled spend by `deltaTicks` in its budgets whose period still holds the request. */
  correct(deltaTicks: bigint): void;
  /** Before settle: the request is served with these dims (a downgrade changed its model): it counts in the budgets they fall in. */
  rescope(dims: Readonly<Record<string, string>>): void;
}

export type BudgetDecision =
  | { kind: 'allow'; ticket: BudgetTicket; model?: string; downgrade?: boolean; notice?: string; /** The budget that asked for the downgrade. */ budget?: string }
  /** retry false: a block, which stands until the period ends (see GateDecision in src/proxy/request-gate.ts). */
  | { kind: 'reject'; status: 429; budget: string; message: string; retryAfterSeconds?: number; retry?: boolean };

/** A limit crossing, for logs and webhooks. */
export interface BudgetAlert {
  budget: string;
  level: 'soft' | 'hard';
  scope: string;
  spent_usd: number;
  limit_usd: number;
  period_start: string;
  period_end: string;
}

interface BudgetState {
  config: BudgetConfig;
  limitTicks: bigint;
  softTicks: bigint;
  window: PeriodWindow;
  spentTicks: bigint;
  reservedTicks: bigint;
  alerted: { soft: boolean; hard: boolean };
  /** The latest throttle_rpm admission times (those in the last minute decide), for throttle. */
  recent: number[];
  /**
   * Every tick this process has settled or corrected for the budget, ever (it never rolls
   * over): the difference across a re-read of the ledger (`reseed`) is what this process
   * counted that the read may not have held yet.
   */
  ownTicks: bigint;
}

/** What `reseed` reads: each budget's spend in the ledger this period, and the last row the read may have counted. */
export interface LedgerSpendRead {
  spent: ReadonlyMap<string, bigint>;
  /** The largest usage_entries id when the read began (rows after it may or may not be in `spent`). */
  afterId: number;
}

export interface BudgetGuardOptions {
  /** Spend already in the ledger per budget name for its current period. */
  spent?: ReadonlyMap<string, bigint>;
  now?: () => Date;
  onAlert?: (alert: BudgetAlert) => void;
  /**
   * The attribution rules of llmfin.yaml. A budget's scope is judged on a request as
   * reports judge its row (budget status, the spend the guard starts from): a team that a
   * rule derives from the agent or the project is the request's team here too.
   */
  attributor?: Attributor;
  /**
   * Reads each budget's spend this period from the ledger again, as the guard was seeded
   * (load-budget-guard.ts): `reseed` calls it when spend arrived by another road than this
   * process's requests (an `llmfin import` while the proxy runs). Without it, no reseed.
   */
  readLedger?: (now: Date) => Promise<LedgerSpendRead>;
}

/** What `reload` installs: the budgets of a re-read llmfin.yaml, with its attribution rules and their ledger read. */
export interface BudgetReload {
  budgets: readonly BudgetConfig[];
  attributor?: Attributor | undefined;
  readLedger: (now: Date) => Promise<LedgerSpendRead>;
}

/** An admitted request whose ticket is not settled or released yet: a reload moves its reservation. */
interface OpenTicket {
  /** The dims it is served with (rescope changes them). */
  dims: Readonly<Record<string, string>>;
  maxCostTicks: bigint;
  matching: BudgetState[];
}

const IDENTIFIER_SET = new Set<string>(IDENTIFIER_FIELDS);

/** The budgets' scope dimensions that some attribution rule can set. */
function ruleDimensionsOf(budgets: readonly BudgetConfig[], attributor: Attributor | undefined): string[] {
  const ruled = new Set(attributor?.ruleDimensions ?? []);
  return [...new Set(budgets.flatMap((b) => Object.keys(b.scope).map(scopeDimension)))].filter((d) => ruled.has(d));
}

/**
 * An amount in a refusal: under a dollar to three significant digits, as unit costs are
 * shown, since a budget of a few cents in cents reads "$0.02 of $0.02" once it is past.
 */
const usd = (value: Dec) => formatUsd(value, { unit: true });

/**
 * Why a block refuses: the budget reached, or (short of it) a request whose maximum cost
 * is more than what is left, which a smaller max_tokens may fit into. "Reached" on a
 * budget 10% spent would send the caller looking for spend that is not there.
 */
function blockMessage(s: BudgetState, maxCostTicks: bigint, state: string): string {
  const { name } = s.config;
  const used = s.spentTicks + s.reservedTicks;
  if (used >= s.limitTicks) return `budget "${name}" reached: ${state}`;
  const ticks = (t: bigint) => usd(ticksToUsd(t));
  const held = s.reservedTicks > 0n ? `, ${ticks(s.reservedTicks)} held by requests in flight` : '';
  return (
    `budget "${name}" has ${ticks(s.limitTicks - used)} left of ${ticks(s.limitTicks)} (${s.config.period}, ${describeScope(s.config.scope)}), ` +
    `less than this request's maximum cost of ${ticks(maxCostTicks)} (its prompt and max_tokens, priced); ${ticks(s.spentTicks)} spent${held}`
  );
}

/**
 * A request's dimensions as the identifiers its ledger row will carry: the columns, the
 * proxy key's name as api_key (a row records it so), and every other value as a tag.
 */
function identifiersOf(dims: Readonly<Record<string, string>>): Identifiers {
  const ids: Identifiers = { source: 'proxy' };
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(dims)) {
    if (k === 'trace_id') ids.trace = v;
    else if (k === 'key') ids.api_key = v;
    else if (k === 'upstream') continue;
    else if (IDENTIFIER_SET.has(k)) ids[k as keyof Omit<Identifiers, 'tags'>] = v;
    else tags[k] = v;
  }
  ids.tags = JSON.stringify(tags);
  return ids;
}

/** A budget keeps its running spend across a reload when it still counts the same requests over the same period. */
function sameCount(a: BudgetConfig, b: BudgetConfig): boolean {
  return JSON.stringify(a.scope) === JSON.stringify(b.scope) && a.period === b.period && a.timezone === b.timezone;
}

function newState(config: BudgetConfig, now: Date, spentTicks: bigint): BudgetState {
  const limitTicks = usdToTicks(dec(config.limit_usd));
  return {
    config,
    limitTicks,
    softTicks: softLimitTicks(limitTicks, config.soft_limit_percent),
    window: periodWindow(config.period, now, config.timezone),
    spentTicks,
    reservedTicks: 0n,
    alerted: { soft: false, hard: false },
    recent: [],
    ownTicks: 0n,
  };
}

export class BudgetGuard {
  #states: BudgetState[];
  readonly #now: () => Date;
  readonly #onAlert: (alert: BudgetAlert) => void;
  #attributor: Attributor | undefined;
  /** The scopes' dimensions some attribution rule can set: decided per request as reports decide them. */
  #ruleDimensions: string[];
  #readLedger: ((now: Date) => Promise<LedgerSpendRead>) | undefined;
  /** Admitted and not yet settled or released: what a reload must carry over to the new budgets. */
  readonly #open = new Set<OpenTicket>();
  /** Counts reloads: a ticket settled before one corrects the budgets of after it. */
  #generation = 0;

  constructor(budgets: readonly BudgetConfig[], options: BudgetGuardOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#onAlert = options.onAlert ?? (() => {});
    this.#attributor = options.attributor;
    this.#readLedger = options.readLedger;
    this.#ruleDimensions = ruleDimensionsOf(budgets, options.attributor);
    const now = this.#now();
    this.#states = budgets.map((config) => newState(config, now, options.spent?.get(config.name) ?? 0n));
    for (const s of this.#states) this.#checkAlerts(s);
  }

  /**
   * Swaps the budgets for those of a re-read llmfin.yaml (SIGHUP), for every request admitted
   * from here on. A budget of the same name, scope, period and time zone keeps its state (its
   * spend, what is reserved in flight, its alerts) with the new limit, action, soft limit or
   * downgrade model; any other is new. Requests in flight move to the budgets their dims fall
   * in now, their reservations with them, so that each settles or releases where it is held
   * and counts in a new budget too. Then every budget reads its spend from the ledger again,
   * as `reseed` does after an import (a new one has none yet; a kept one comes back to what
   * it counted): `flushed` writes this process's queued rows first. Until that read is over
   * a new budget judges requests on the spend of its own requests only. Returns the read's
   * `afterId`, as `reseed`.
   */
  async reload(next: BudgetReload, flushed: () => Promise<unknown>): Promise<number | undefined> {
    const now = this.#now();
    const before = new Map(this.#states.map((s) => [s.config.name, s]));
    const states = next.budgets.map((config) => {
      const old = before.get(config.name);
      if (old === undefined || !sameCount(old.config, config)) return newState(config, now, 0n);
      const limitTicks = usdToTicks(dec(config.limit_usd));
      Object.assign(old, { config, limitTicks, softTicks: softLimitTicks(limitTicks, config.soft_limit_percent) });
      return old;
    });
    this.#states = states;
    this.#generation++;
    this.#attributor = next.attributor;
    this.#ruleDimensions = ruleDimensionsOf(next.budgets, next.attributor);
    this.#readLedger = next.readLedger;
    for (const t of this.#open) {
      const matching = this.#matching(t.dims);
      for (const s of t.matching) if (states.includes(s) && !matching.includes(s)) s.reservedTicks -= t.maxCostTicks;
      for (const s of matching) if (!t.matching.includes(s)) s.reservedTicks += t.maxCostTicks;
      t.matching = matching;
    }
    return this.reseed(flushed);
  }

  /** The budgets whose scope the request with these dims falls in. */
  #matching(dims: Readonly<Record<string, string>>): BudgetState[] {
    const attributed = this.#attributed(dims);
    return this.#states.filter((s) => scopeMatches(s.config.scope, attributed));
  }

  admit(request: BudgetRequest): BudgetDecision {
    const now = this.#now();
    const matching = this.#matching(request.dims);
    let model: string | undefined;
    let downgrade = false;
    let notice: string | undefined;
    let downgradedBy: string | undefined;
    for (const s of matching) {
      this.#roll(s, now);
      const over = s.spentTicks + s.reservedTicks + request.maxCostTicks > s.limitTicks;
      if (!over) continue;
      const { action, name } = s.config;
      const state = `${usd(ticksToUsd(s.spentTicks))} of ${usd(dec(s.config.limit_usd))} spent (${s.config.period}, ${describeScope(s.config.scope)})`;
      if (action === 'block') {
        return { kind: 'reject', status: 429, budget: name, message: blockMessage(s, request.maxCostTicks, state), retryAfterSeconds: Math.max(1, Math.ceil((s.window.end.getTime() - now.getTime()) / 1000)), retry: false };
      }
      if (action === 'throttle') {
        const rpm = s.config.throttle_rpm ?? 1;
        s.recent = s.recent.filter((t) => now.getTime() - t < 60_000);
        if (s.recent.length >= rpm) {
          // A slot frees when fewer than rpm admissions are left in the minute: when the
          // rpm-th latest leaves it (requests let through before the limit count too).
          const wait = Math.max(1, Math.ceil((60_000 - (now.getTime() - s.recent[s.recent.length - rpm]!)) / 1000));
          return { kind: 'reject', status: 429, budget: name, message: `budget "${name}" reached, throttled to ${s.config.throttle_rpm} request${s.config.throttle_rpm === 1 ? '' : 's'}/minute: ${state}`, retryAfterSeconds: wait };
        }
      }
      if (action === 'downgrade' && !downgrade && model === undefined) {
        if (s.config.downgrade_to === undefined) {
          // No model named: the proxy picks the routing policy's cheapest tier.
          downgrade = true;
          downgradedBy = name;
          notice = `budget "${name}" reached: ${request.model} downgraded to the cheapest routing tier`;
        } else if (s.config.downgrade_to !== request.model) {
          model = s.config.downgrade_to;
          downgradedBy = name;
          notice = `budget "${name}" reached: ${request.model} downgraded to ${model}`;
        }
      }
    }
    const generation = this.#generation;
    const held: OpenTicket = { dims: request.dims, maxCostTicks: request.maxCostTicks, matching };
    this.#open.add(held);
    for (const s of matching) {
      s.reservedTicks += request.maxCostTicks;
      if (s.config.action === 'throttle') {
        s.recent.push(now.getTime());
        // Only the latest throttle_rpm admissions decide anything: a throttle budget under its
        // limit would otherwise keep every admission's time for the life of the proxy.
        const extra = s.recent.length - (s.config.throttle_rpm ?? 1);
        if (extra > 0) s.recent.splice(0, extra);
      }
    }
    let open = true;
    const close = (actual: bigint | undefined) => {
      if (!open) return;
      open = false;
      this.#open.delete(held);
      for (const s of held.matching) {
        s.reservedTicks -= request.maxCostTicks;
        // Spend counts in the period the request was admitted in (its ledger row is stamped
        // with its start): one that rolled over while it ran never counted it.
        if (actual !== undefined && s.window.start.getTime() <= now.getTime()) {
          s.spentTicks += actual;
          s.ownTicks += actual;
          this.#checkAlerts(s);
        }
      }
    };
    return {
      kind: 'allow',
      ticket: {
        settle: (actual) => close(actual),
        release: () => close(undefined),
        correct: (delta) => {
          // Since a reload every budget counts its row from the ledger: those its dims fall in now.
          if (!open) this.#correct(generation === this.#generation ? held.matching : this.#matching(held.dims), now, delta, true);
        },
        rescope: (served) => {
          // Its row will carry the model it ran on, and a budget seeded from the ledger counts
          // it there: so must this one. The reservation moves with it, unchanged (a bound that
          // still holds), and no budget it joins judges it again: it is already admitted.
          if (!open) return;
          const next = this.#matching(served);
          for (const s of held.matching) if (!next.includes(s)) s.reservedTicks -= request.maxCostTicks;
          for (const s of next) if (!held.matching.includes(s)) s.reservedTicks += request.maxCostTicks;
          held.matching = next;
          held.dims = served;
        },
      },
      ...(model !== undefined ? { model } : {}),
      ...(downgrade ? { downgrade } : {}),
      ...(notice !== undefined ? { notice } : {}),
      ...(downgradedBy !== undefined ? { budget: downgradedBy } : {}),
    };
  }

  /**
   * Moves the spend of each budget `dims` fall in by `deltaTicks`, for spend recorded at
   * `at`: a cost the ledger held as an estimate and now knows (a background response the
   * proxy re-priced). A budget whose current period does not hold `at` never counted it and
   * is left alone, and no budget's spend goes below zero. Not an admission: nothing is
   * reserved, refused or counted against a throttle.
   */
  correct(dims: Readonly<Record<string, string>>, at: Date, deltaTicks: bigint): void {
    this.#correct(this.#matching(dims), at, deltaTicks);
  }

  /** `own`: a correction of this process's own request (its row is this process's to write). */
  #correct(states: readonly BudgetState[], at: Date, deltaTicks: bigint, own = false): void {
    const now = this.#now();
    for (const s of states) {
      this.#roll(s, now);
      if (at.getTime() < s.window.start.getTime() || at.getTime() >= s.window.end.getTime()) continue;
      s.spentTicks = s.spentTicks + deltaTicks < 0n ? 0n : s.spentTicks + deltaTicks;
      if (own) s.ownTicks += deltaTicks;
      if (deltaTicks > 0n) this.#checkAlerts(s);
    }
  }

  /**
   * Re-reads every budget's spend from the ledger (an import landed while the proxy runs),
   * keeping what is in flight reserved. `flushed` writes this process's queued rows first,
   * so that the read holds what it settled before; what it settles meanwhile is added on
   * top (counted twice if its row lands before the read: a budget errs on the safe side).
   * Returns the read's `afterId` (the proxy's poll of other proxies' rows resumes there,
   * the rows before it being in the read), or undefined when the guard cannot reseed.
   */
  async reseed(flushed: () => Promise<unknown>): Promise<number | undefined> {
    if (this.#readLedger === undefined) return undefined;
    const mark = this.#states.map((s) => s.ownTicks);
    await flushed();
    const read = await this.#readLedger(this.#now());
    const now = this.#now();
    this.#states.forEach((s, i) => {
      this.#roll(s, now);
      const since = s.ownTicks - mark[i]!;
      const seeded = read.spent.get(s.config.name) ?? 0n;
      s.spentTicks = seeded + since < 0n ? 0n : seeded + since;
      // An undone import can take a budget back under a limit: crossing it again alerts again.
      if (s.spentTicks < s.softTicks) s.alerted.soft = false;
      if (s.spentTicks < s.limitTicks) s.alerted.hard = false;
      this.#checkAlerts(s);
    });
    return read.afterId;
  }

  /** Spent, reserved and window per budget, for `/metrics` and status. */
  snapshot(): Array<{ name: string; spentTicks: bigint; reservedTicks: bigint; limitTicks: bigint; softTicks: bigint; window: PeriodWindow }> {
    const now = this.#now();
    return this.#states.map((s) => {
      this.#roll(s, now);
      return { name: s.config.name, spentTicks: s.spentTicks, reservedTicks: s.reservedTicks, limitTicks: s.limitTicks, softTicks: s.softTicks, window: s.window };
    });
  }

  /** `dims` with each scope dimension a rule can set decided as a report would decide it for the request's row. */
  #attributed(dims: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    if (this.#attributor === undefined || this.#ruleDimensions.length === 0) return dims;
    const ids = identifiersOf(dims);
    const out: Record<string, string> = { ...dims };
    for (const dim of this.#ruleDimensions) {
      const { value } = this.#attributor.decide(ids, dim);
      if (value === null) delete out[dim];
      else out[dim] = value;
    }
    return out;
  }

  /** A new period starts from zero (calendar budgets do not carry over). */
  #roll(s: BudgetState, now: Date): void {
    if (now.getTime() < s.window.end.getTime()) return;
    s.window = periodWindow(s.config.period, now, s.config.timezone);
    s.spentTicks = 0n;
    s.alerted = { soft: false, hard: false };
    s.recent = [];
  }

  #checkAlerts(s: BudgetState): void {
    const alert = (level: 'soft' | 'hard') => {
      s.alerted[level] = true;
      this.#onAlert({
        budget: s.config.name,
        level,
        scope: describeScope(s.config.scope),
        spent_usd: ticksToUsd(s.spentTicks).toNumber(),
        limit_usd: s.config.limit_usd,
        period_start: s.window.start.toISOString(),
        period_end: s.window.end.toISOString(),
      });
    };
    if (!s.alerted.soft && s.spentTicks >= s.softTicks) alert('soft');
    if (!s.alerted.hard && s.spentTicks >= s.limitTicks) alert('hard');
  }
}
