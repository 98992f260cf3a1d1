/**
 * Several proxies may share one ledger, each with the same budgets. Each reserves and
 * settles its own requests in memory; without this, none would see what the others spend
 * after it started, and a $100 daily block budget would let each of N proxies spend $100.
 * So every proxy with budgets reads, about once a second, the proxy rows the others wrote
 * since (by row id, past its own) and adds their cost to its budgets as a correction:
 * counted, never reserved. A budget then holds across proxies to within what they spend
 * in that second plus their requests in flight. Before each poll, `beforePoll` may move
 * the start forward: the budgets re-read from the ledger after an import (imports-watch.ts),
 * and the rows before that read are in it.
 */
import { tagsOf } from '../../attribution/identifiers.js';
import { CATALOGUE_MODEL } from '../../attribution/recorded-only-dimensions.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { lastEntryId, proxyRowsAfter, type ProxySpendRow } from '../../ledger/queries/proxy-rows-after.js';
import type { RequestGate } from '../request-gate.js';

/** Rows read per query; a backlog is read in pages. */
const PAGE = 5000;
export const OTHER_PROXIES_POLL_MS = 1000;

export class OtherProxiesSpend {
  readonly #ledger: LedgerStore;
  readonly #gate: RequestGate;
  readonly #ownPrefix: string;
  readonly #onError: (error: unknown) => void;
  #after: number;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  readonly #beforePoll: (() => Promise<number | undefined>) | undefined;

  /**
   * `afterId`: the last row the budgets' seed may have counted (read before it, so a row
   * landing meanwhile is counted twice rather than never: a budget errs on the safe side).
   * `ownPrefix`: this proxy's request ids begin with it; its own rows are settled already.
   */
  constructor(ledger: LedgerStore, gate: RequestGate, ownPrefix: string, afterId: number, onError: (error: unknown) => void, beforePoll?: () => Promise<number | undefined>) {
    this.#beforePoll = beforePoll;
    this.#ledger = ledger;
    this.#gate = gate;
    this.#ownPrefix = ownPrefix;
    this.#after = afterId;
    this.#onError = onError;
  }

  start(intervalMs = OTHER_PROXIES_POLL_MS): void {
    this.#timer ??= setInterval(() => void this.poll().catch(this.#onError), intervalMs).unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Runs `reread` (the budgets read their spend from the ledger again: SIGHUP brought new
   * ones) between two polls, never during one, and resumes the polls after the row id it
   * returns: the rows before it are in the read.
   */
  async between(reread: () => Promise<number | undefined>): Promise<void> {
    // A poll takes milliseconds; a reload waits for it rather than interleave its corrections.
    while (this.#polling) await new Promise((resolve) => setTimeout(resolve, 5));
    this.#polling = true;
    try {
      const afterId = await reread();
      if (afterId !== undefined && afterId > this.#after) this.#after = afterId;
    } finally {
      this.#polling = false;
    }
  }

  /** Counts the other proxies' rows written since the last poll; returns how many it counted. */
  async poll(): Promise<number> {
    const correct = this.#gate.correct?.bind(this.#gate);
    if (this.#polling || correct === undefined) return 0;
    this.#polling = true;
    let counted = 0;
    try {
      // In the one poll at a time: a re-read and the rows' corrections never interleave.
      const reread = await this.#beforePoll?.();
      if (reread !== undefined && reread > this.#after) this.#after = reread;
      // Up to the last row now: the own rows past it are not read again by the next poll.
      const upToId = await lastEntryId(this.#ledger);
      for (;;) {
        const rows = await proxyRowsAfter(this.#ledger, { afterId: this.#after, upToId, notPrefix: this.#ownPrefix }, PAGE);
        for (const row of rows) {
          if (row.cost_ticks === null || row.cost_ticks === 0n) continue;
          correct(dimsOf(row), new Date(row.ts), BigInt(row.cost_ticks));
          counted++;
        }
        if (rows.length < PAGE) {
          if (upToId > this.#after) this.#after = upToId;
          return counted;
        }
        this.#after = rows.at(-1)!.id;
      }
    } finally {
      this.#polling = false;
    }
  }
}

/** A row's budget dimensions, as the proxy gives a request's (its tags, columns, provider, model and catalogue model). */
function dimsOf(row: ProxySpendRow): Record<string, string> {
  // Parsed once per distinct tags text, as attribution reads them.
  const dims: Record<string, string> = { ...tagsOf(row.tags) };
  for (const k of ['team', 'feature', 'customer', 'agent', 'environment', 'project'] as const) if (row[k] !== null) dims[k] = row[k];
  dims.provider = row.provider;
  if (row.model !== null) dims.model = row.model;
  if (row.matched_model !== null) dims[CATALOGUE_MODEL] = row.matched_model;
  else delete dims[CATALOGUE_MODEL];
  return dims;
}
