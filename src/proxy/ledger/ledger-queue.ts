/**
 * Ledger writes off the request path: requests push their row into memory and go on;
 * a timer writes whatever is queued in one transaction at least every 250 ms, and
 * `stop()` writes the rest. A flush that fails (the file locked by another writer past
 * the busy timeout, a full disk) keeps its rows for the next one, so nothing is lost
 * while the process lives; several proxies can share one ledger because each flush is
 * one short write transaction.
 */
import { countNoun } from '../../shared/count-noun.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { ProxyRow } from './attempt-entry.js';
import { insertProxyRows } from './insert-proxy-rows.js';

export const DEFAULT_FLUSH_INTERVAL_MS = 250;

export interface LedgerQueueOptions {
  intervalMs?: number;
  onFlushed?: (rows: number, ms: number) => void;
  onError?: (error: unknown, pending: number) => void;
}

/** Why the ledger writer is failing: the last write's error, and when the failures began. */
export interface WriteFailure {
  message: string;
  /** When the first write of this run of failures failed (ms since the epoch). */
  since: number;
}

/**
 * The writer's state after a write: a failure starts a run (its time kept while the
 * failures go on, the message always the latest), a success ends it.
 */
export function nextFailure(current: WriteFailure | undefined, error: unknown): WriteFailure {
  const message = error instanceof Error ? error.message : String(error);
  return { message, since: current?.since ?? Date.now() };
}

/** What request handling and the server see of the ledger writer, on this thread or another. */
export interface RowQueue {
  /** Rows waiting to be written. */
  readonly depth: number;
  /** Rows written since start. */
  readonly written: number;
  /**
   * Set while ledger writes fail (the rows stay queued and are retried): since the first
   * failed write after the last one that succeeded; undefined once a write succeeds.
   */
  readonly failure: WriteFailure | undefined;
  push(row: ProxyRow): void;
  /**
   * Queues a background response's final row, which replaces the pricing of the row of the
   * same dedupe key while that row is pending (insert-proxy-rows.ts); written with the
   * next batch, after its inserts.
   */
  replace(row: ProxyRow): void;
  start(): void;
  /** Writes what is queued now; resolves with the rows inserted. */
  flush(): Promise<number>;
  /** Stops the timer and writes everything queued; throws if the last write fails. */
  stop(): Promise<void>;
}

/** The writer on the event loop's own thread (an in-memory ledger, or when the writer thread is unavailable). */
export class LedgerQueue implements RowQueue {
  readonly #ledger: LedgerStore;
  readonly #options: LedgerQueueOptions;
  #queue: ProxyRow[] = [];
  #replacements: ProxyRow[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<number> | undefined;
  #written = 0;
  #failure: WriteFailure | undefined;

  constructor(ledger: LedgerStore, options: LedgerQueueOptions = {}) {
    this.#ledger = ledger;
    this.#options = options;
  }

  get failure(): WriteFailure | undefined {
    return this.#failure;
  }

  /** Rows waiting to be written. */
  get depth(): number {
    return this.#queue.length + this.#replacements.length;
  }

  /** Rows written since start. */
  get written(): number {
    return this.#written;
  }

  push(row: ProxyRow): void {
    this.#queue.push(row);
  }

  replace(row: ProxyRow): void {
    this.#replacements.push(row);
  }

  start(): void {
    if (this.#timer !== undefined) return;
    const interval = this.#options.intervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    // Unref'd: a queue alone never keeps the process alive; stop() writes the rest.
    this.#timer = setInterval(() => void this.flush(), interval);
    this.#timer.unref();
  }

  /** Writes what is queued now; one flush at a time, so a call during a flush waits for it and then writes the rest. */
  async flush(): Promise<number> {
    while (this.#flushing !== undefined) await this.#flushing.catch(() => 0);
    if (this.#queue.length === 0 && this.#replacements.length === 0) return 0;
    const rows = this.#queue;
    const replacements = this.#replacements;
    this.#queue = [];
    this.#replacements = [];
    const started = performance.now();
    this.#flushing = insertProxyRows(this.#ledger, rows, replacements);
    try {
      const inserted = await this.#flushing;
      this.#written += rows.length;
      this.#failure = undefined;
      this.#options.onFlushed?.(inserted, performance.now() - started);
      return inserted;
    } catch (error) {
      // Put them back in front: the next flush retries them (inserts and replacements are idempotent).
      this.#queue = rows.concat(this.#queue);
      this.#replacements = replacements.concat(this.#replacements);
      this.#failure = nextFailure(this.#failure, error);
      this.#options.onError?.(error, this.depth);
      return 0;
    } finally {
      this.#flushing = undefined;
    }
  }

  /** Stops the timer and writes everything queued; throws if the last write fails. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.depth > 0) {
      // One more try, then report: the caller decides what to tell the user.
      await this.flush();
      if (this.depth > 0) throw new Error(`${countNoun(this.depth, 'proxy row')} could not be written to the ledger`);
    }
  }
}
