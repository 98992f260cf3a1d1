/**
 * Ledger writes on a second thread: the event loop only builds each row (a value array,
 * queued as one JSON text: row-text.ts) and hands batches to a worker
 * (proxy-writer-worker.ts) that owns a second SQLite connection and does the inserts, so SQLite's work — binding, B-tree updates, the WAL
 * write — never holds up forwarding. One batch is in flight at a time: rows that arrive
 * while the worker writes wait and leave together as the next batch when it replies (at
 * least 256 of them, or whatever is there when the 250 ms timer fires). Under load the
 * batches grow to what arrives during one write instead of queueing copies in the
 * worker's inbox — fewer, larger transactions, and no backlog held twice. A batch the
 * worker fails to write (the file locked past the busy timeout, a full disk) comes back
 * to the front of the queue and is retried by the timer; inserts are idempotent, so a
 * retry cannot duplicate. `stop()` writes everything, then closes the worker's connection.
 */
import { countNoun } from '../../shared/count-noun.js';
import { Worker } from 'node:worker_threads';
import { compiledBeside } from '../../shared/worker-thread.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { ROW_COLUMNS, ROW_WIDTH, type ProxyRow } from './attempt-entry.js';
import { insertProxyRows, proxyInsertSql, proxyReplaceSql, REPLACE_AT } from './insert-proxy-rows.js';
import { DEFAULT_FLUSH_INTERVAL_MS, nextFailure, type LedgerQueueOptions, type RowQueue, type WriteFailure } from './ledger-queue.js';
import { LEDGER_CACHE_KIB } from './limit-ledger-cache.js';
import { rowFromText, rowText } from './row-text.js';

export interface ProxyWriterData {
  path: string;
  busyTimeoutMs: number;
  /** SQLite page cache of the writer's connection, KiB: the proxy's own connection's (limit-ledger-cache.ts). */
  cacheKiB: number;
  width: number;
  /** The row position of the one bigint column, which travels as text (row-text.ts). */
  bigintAt: number;
  /** Insert statements by rows per statement, largest first. */
  chunks: Array<{ rows: number; sql: string }>;
  /** The replacement statement and where its parameters are in a row (insert-proxy-rows.ts). */
  replaceSql: string;
  replaceAt: number[];
}

/** Rows as row-text.ts writes them. */
export type ToProxyWriter = { kind: 'rows'; id: number; rows: string[]; replacements: string[] } | { kind: 'close' };
export type FromProxyWriter = { kind: 'written'; id: number; rows: number; inserted: number } | { kind: 'failed'; id: number; message: string };

const WORKER_FILE = new URL('./proxy-writer-worker.js', import.meta.url);
/**
 * Rows that make a batch leave before the timer (when none is in flight). A transaction
 * rewrites the last pages of the table and of its three indexes into the WAL whatever
 * its size: at 64 rows a commit's page writes cost the writer ~13 µs a row, at 256 ~9.5.
 * Rows waiting for a batch of 256 wait ~35 ms at 7k requests/s, a scavenge or two.
 */
const BATCH_ROWS = 256;
/** The most rows in one message: the worker's young generation is small (see resourceLimits). */
const MAX_BATCH_ROWS = 1024;
/** Rows per statement in the worker: larger than on the main thread, it has its own statement cache. */
const WORKER_CHUNKS = [256, 64, 16, 4, 1] as const;
const BUSY_TIMEOUT_MS = 5000;
const BIGINT_AT = ROW_COLUMNS.indexOf('cost_ticks');

/**
 * Whether the proxy can write on a second thread: a ledger file (not `:memory:`) and the
 * compiled worker next to this module (under vitest the sources are .ts, so tests that
 * start the proxy in-process write on their own thread; the CLI tests use the thread).
 * LLMFIN_PROXY_WRITER=inline turns it off.
 */
export function writerThreadAvailable(ledgerPath: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.LLMFIN_PROXY_WRITER === 'inline' || ledgerPath === ':memory:') return false;
  return compiledBeside(WORKER_FILE);
}

export class ThreadLedgerQueue implements RowQueue {
  readonly #worker: Worker;
  readonly #ledger: LedgerStore;
  readonly #options: LedgerQueueOptions;
  /** Rows as JSON texts (row-text.ts), from the moment they are queued. */
  #pending: string[] = [];
  /** Replacement rows (a background response's final row), as JSON texts: few, and sent with the next batch. */
  #replacements: string[] = [];
  /** Batches posted and not yet acknowledged, by id: the rows (kept to retry on failure) and when they left. */
  readonly #inFlight = new Map<number, { rows: string[]; replacements: string[]; postedAt: number }>();
  #inFlightRows = 0;
  #nextId = 1;
  #timer: NodeJS.Timeout | undefined;
  #written = 0;
  #idle: Array<() => void> = [];
  #failure: WriteFailure | undefined;
  #dead: Error | undefined;

  constructor(ledger: LedgerStore, options: LedgerQueueOptions = {}) {
    this.#ledger = ledger;
    this.#options = options;
    const data: ProxyWriterData = {
      path: ledger.path,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      cacheKiB: LEDGER_CACHE_KIB,
      width: ROW_WIDTH,
      bigintAt: BIGINT_AT,
      chunks: WORKER_CHUNKS.map((rows) => ({ rows, sql: proxyInsertSql(ledger.db, rows) })),
      replaceSql: proxyReplaceSql(ledger.db),
      replaceAt: [...REPLACE_AT],
    };
    this.#worker = new Worker(WORKER_FILE, {
      workerData: data,
      // The writer holds a batch or two at a time: a small heap keeps its RSS small.
      resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 },
    });
    this.#worker.unref();
    this.#worker.on('message', (m: FromProxyWriter) => this.#onMessage(m));
    this.#worker.on('error', (error) => {
      this.#dead = error;
      // Rows go on being written on this thread (flush): the next write there says whether the ledger is writable.
      this.#failure = nextFailure(this.#failure, error);
      this.#requeueAll();
      this.#options.onError?.(error, this.depth);
      this.#wake();
    });
    this.#worker.on('exit', () => {
      this.#dead ??= new Error('the proxy ledger writer thread stopped');
      this.#requeueAll();
      this.#wake();
    });
  }

  get depth(): number {
    return this.#pending.length + this.#replacements.length + this.#inFlightRows;
  }

  get written(): number {
    return this.#written;
  }

  get failure(): WriteFailure | undefined {
    return this.#failure;
  }

  push(row: ProxyRow): void {
    this.#pending.push(rowText(row, BIGINT_AT));
    if (this.#pending.length >= BATCH_ROWS && this.#inFlight.size === 0) this.#post();
  }

  replace(row: ProxyRow): void {
    this.#replacements.push(rowText(row, BIGINT_AT));
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      if (this.#inFlight.size === 0) this.#post();
    }, this.#options.intervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Posts up to MAX_BATCH_ROWS of the queued rows as one batch. */
  #post(): void {
    if (this.#pending.length === 0 && this.#replacements.length === 0) return;
    if (this.#dead !== undefined) {
      void this.flush();
      return;
    }
    let rows = this.#pending;
    if (rows.length > MAX_BATCH_ROWS) rows = this.#pending.splice(0, MAX_BATCH_ROWS);
    else this.#pending = [];
    const replacements = this.#replacements;
    this.#replacements = [];
    const id = this.#nextId++;
    this.#inFlight.set(id, { rows, replacements, postedAt: performance.now() });
    this.#inFlightRows += rows.length + replacements.length;
    this.#worker.postMessage({ kind: 'rows', id, rows, replacements } satisfies ToProxyWriter);
  }

  #onMessage(m: FromProxyWriter): void {
    const batch = this.#inFlight.get(m.id);
    if (batch === undefined) return;
    this.#inFlight.delete(m.id);
    const { rows, replacements, postedAt } = batch;
    this.#inFlightRows -= rows.length + replacements.length;
    if (m.kind === 'written') {
      this.#written += rows.length;
      this.#failure = undefined;
      this.#options.onFlushed?.(m.inserted, performance.now() - postedAt);
    } else {
      // Back in front: the next batch retries them (inserts and replacements are idempotent).
      this.#pending = rows.concat(this.#pending);
      this.#replacements = replacements.concat(this.#replacements);
      const error = new Error(m.message);
      this.#failure = nextFailure(this.#failure, error);
      this.#options.onError?.(error, this.depth);
    }
    if (this.#inFlight.size > 0) return;
    // What arrived during the write leaves now; after a failure, the timer retries (no tight loop on a full disk).
    if (m.kind === 'written' && this.#pending.length >= BATCH_ROWS) this.#post();
    this.#wake();
  }

  #requeueAll(): void {
    for (const { rows, replacements } of this.#inFlight.values()) {
      this.#pending = rows.concat(this.#pending);
      this.#replacements = replacements.concat(this.#replacements);
    }
    this.#inFlight.clear();
    this.#inFlightRows = 0;
  }

  #wake(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }

  /** Posts what is queued and waits until those batches are acknowledged; resolves with the rows written by then. */
  async flush(): Promise<number> {
    const before = this.#written;
    while ((this.#pending.length > 0 || this.#replacements.length > 0) && this.#dead === undefined) this.#post();
    // Batches posted from here on (rows that arrive meanwhile) are not waited for: under load there is always one.
    const last = this.#nextId - 1;
    const waiting = () => this.#dead === undefined && [...this.#inFlight.keys()].some((id) => id <= last);
    if (waiting()) {
      // Unref'd otherwise (a queue alone never keeps the process alive), but an awaited reply must.
      this.#worker.ref();
      while (waiting()) await new Promise<void>((resolve) => this.#idle.push(resolve));
      this.#worker.unref();
    }
    if (this.#dead !== undefined && (this.#pending.length > 0 || this.#replacements.length > 0)) {
      // The thread is gone: write on this one rather than lose rows.
      const rows = this.#pending;
      const replacements = this.#replacements;
      this.#pending = [];
      this.#replacements = [];
      try {
        const fromText = (text: string) => rowFromText(text, BIGINT_AT);
        await insertProxyRows(this.#ledger, rows.map(fromText), replacements.map(fromText));
        this.#written += rows.length;
        this.#failure = undefined;
      } catch (error) {
        this.#pending = rows.concat(this.#pending);
        this.#replacements = replacements.concat(this.#replacements);
        this.#failure = nextFailure(this.#failure, error);
        this.#options.onError?.(error, this.depth);
      }
    }
    return this.#written - before;
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    // A failed batch is back in the queue: one more try, then report.
    if (this.depth > 0 && this.#dead === undefined) await this.flush();
    if (this.#dead === undefined) {
      this.#worker.ref();
      const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
      this.#worker.postMessage({ kind: 'close' } satisfies ToProxyWriter);
      await exited;
    }
    if (this.depth > 0) {
      throw new Error(`${countNoun(this.depth, 'proxy row')} could not be written to the ledger${this.#failure ? `: ${this.#failure.message}` : ''}`);
    }
  }
}
