/**
 * Records a large import with its SQLite writes on a second thread: this thread reads,
 * validates, prices and flattens rows (`entryChunks`) while the writer thread
 * (import-writer-worker.ts) inserts the previous chunks, so on two free cores an import
 * takes about the time of its slower half: for llmfin rows the writer's, for FOCUS rows
 * the reader's (the measured split per row is in docs/import-performance.md). See
 * `writerThreadAvailable`.
 *
 * The guarantees do not change: the writer records everything in ONE transaction on its
 * own connection (a kill -9 of the process leaves the ledger as it was); a bad row here
 * aborts it, and it rolls back before the error is reported; at most IN_FLIGHT chunks
 * are between the threads.
 */
import { Worker } from 'node:worker_threads';
import { compiledBeside } from '../shared/worker-thread.js';
import type { NewUsageEntry } from '../ledger/ledger-schema.js';
import type { StatedPeriod } from '../ledger/queries/record-import-stream.js';
import type { ImportedInvoiceStatus, InvoiceInput, InvoiceLineInput } from '../ledger/queries/insert-invoice.js';
import { entryChunks, type StreamBatch, type StreamImportOptions, type StreamImportResult } from '../ledger/queries/record-import-stream.js';
import type { EntryChunk } from '../ledger/queries/entry-chunk.js';

/** Chunks posted but not yet written: enough to keep the writer busy, few enough for memory. */
const IN_FLIGHT = 4;

/**
 * Rows per chunk posted to the writer: packed (entry-chunk.ts), 250 rows are ~20 × 250
 * values, well under V8's 128 KB limit for ordinary objects. A larger chunk can be a
 * "large object": once posted it is garbage that only a full collection frees, and
 * unpacked 500-row chunks (~200 KB) piled up at ~24 MB on this thread.
 */
const CHUNK_ROWS_TO_WRITER = 250;

/** The writer's old-generation heap: ~10x what it holds live (IN_FLIGHT chunks, Kysely). */
const WRITER_HEAP_MB = 96;

export interface WriterData {
  path: string;
  llmfinVersion: string;
  batch: StreamBatch;
  replacePeriod: boolean;
  /** StreamImportOptions.replaceChanged. */
  replaceChanged?: boolean | undefined;
  spanTotalsOf?: string | undefined;
  /** Batches of files imported earlier by the same command (StreamImportOptions.partsOf). */
  partsOf?: readonly number[] | undefined;
  /** StreamImportOptions.overlaps. */
  overlaps?: StreamImportOptions['overlaps'];
}

export type InvoiceStatus = ImportedInvoiceStatus;

export type ToWriter =
  | { kind: 'start'; data: WriterData }
  | { kind: 'rows'; chunk: EntryChunk }
  | { kind: 'end'; rowsRead: number; invoices: Array<{ invoice: InvoiceInput; lines: InvoiceLineInput[] }>; statedPeriod: StatedPeriod | undefined; fileHash: string | undefined }
  | { kind: 'abort' };

export type FromWriter =
  | { kind: 'written'; rows: number }
  | { kind: 'done'; result: StreamImportResult; invoices: InvoiceStatus[] }
  | { kind: 'aborted' }
  | { kind: 'failed'; name: string; message: string; code: string | undefined; stack: string | undefined };

const WORKER_FILE = new URL('./import-writer-worker.js', import.meta.url);

/** Files from this size write on the writer thread; smaller ones are done before a worker would start. */
export const WRITER_THREAD_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Whether this import writes on a second thread: by default for files of
 * WRITER_THREAD_MIN_BYTES or more, for a ledger file (not `:memory:`) with the compiled
 * worker next to this module (under vitest, sources are .ts). LLMFIN_IMPORT_WRITER=inline
 * keeps every import on one thread; =thread uses the writer for any size (tests).
 * Memory stays within the import bound: chunks cross packed, well under 128 KB (see
 * CHUNK_ROWS_TO_WRITER) and the writer's heap is capped (bench:import: peak RSS 151–175 MB at
 * 1M rows, 221 MB for 5M FOCUS rows; SQLite's page cache stays at its 2 MB default).
 */
export function writerThreadAvailable(ledgerPath: string, fileBytes: number, env: NodeJS.ProcessEnv = process.env): boolean {
  return ledgerPath !== ':memory:' && writerWanted(fileBytes, env) && workerCompiled();
}

/** Whether a file of `fileBytes` goes to the writer thread by its size and LLMFIN_IMPORT_WRITER alone. */
function writerWanted(fileBytes: number, env: NodeJS.ProcessEnv): boolean {
  const mode = env.LLMFIN_IMPORT_WRITER;
  return mode === 'thread' || (mode !== 'inline' && fileBytes >= WRITER_THREAD_MIN_BYTES);
}

/** Whether the compiled worker is beside this module (under vitest, sources are .ts). */
const workerCompiled = (): boolean => compiledBeside(WORKER_FILE);

export interface WriterThreadImport {
  path: string;
  llmfinVersion: string;
  batch: StreamBatch;
  replacePeriod: boolean;
  replaceChanged?: boolean | undefined;
  spanTotalsOf?: string | undefined;
  partsOf?: readonly number[] | undefined;
  overlaps?: StreamImportOptions['overlaps'];
  /** The entries, a block at a time (never an empty block). */
  entryBlocks: AsyncIterable<readonly NewUsageEntry[]>;
  /** Asked once the entries are all read. */
  rowsRead: () => number;
  /** Asked once the entries are all read: the file's invoices, written in the same transaction. */
  invoices: () => Array<{ invoice: InvoiceInput; lines: InvoiceLineInput[] }>;
  /** Asked once the entries are all read: the period the file states (StreamImportOptions.statedPeriod). */
  statedPeriod?: (() => StatedPeriod | undefined) | undefined;
  onProgress?: ((rows: number) => void) | undefined;
  /** The file's hash when it is being made while the rows are read: set on the batch at the end (StreamImportOptions.fileHash). */
  fileHash?: Promise<string> | undefined;
}

function spawnWriter(): Worker {
  return new Worker(WORKER_FILE, {
    // The writer holds a few chunks at a time; a small heap makes V8 collect its garbage
    // early instead of growing toward the default limit (peak RSS is a target).
    resourceLimits: { maxOldGenerationSizeMb: WRITER_HEAP_MB, maxYoungGenerationSizeMb: 8 },
  });
}

/** A writer started ahead of its import (prestartWriterThread), and whether it has stopped since. */
let warm: { worker: Worker; stopped: boolean } | undefined;

/**
 * Starts a writer thread now, for the next recordInWriterThread to take: a thread spends
 * ~0.4 s loading its modules before it writes a row, and started with its import, the
 * reading thread filled the IN_FLIGHT chunks and then waited for it. Started when the
 * import command has checked its files, it loads them while this thread loads the
 * catalogue, detects the source and hashes the file. It waits for its `start` message
 * (the ledger is opened only then, after this thread has created or upgraded it), and
 * until taken it does not keep the process alive: an import that never takes it (a
 * refused file, an already imported one) exits as before.
 */
export function prestartWriterThread(fileBytes: readonly number[], env: NodeJS.ProcessEnv = process.env): void {
  if (warm !== undefined || !fileBytes.some((bytes) => writerWanted(bytes, env)) || !workerCompiled()) return;
  const worker = spawnWriter();
  const entry = { worker, stopped: false };
  // A thread that failed before it was taken is not used (its error is a new thread's to give).
  worker.on('error', () => (entry.stopped = true));
  worker.on('exit', () => (entry.stopped = true));
  worker.unref();
  warm = entry;
}

/** The started writer if it is still running, else a new one. */
function takeWriter(): Worker {
  const taken = warm;
  warm = undefined;
  if (taken === undefined || taken.stopped) return spawnWriter();
  taken.worker.removeAllListeners();
  taken.worker.ref();
  return taken.worker;
}

export async function recordInWriterThread(job: WriterThreadImport): Promise<{ result: StreamImportResult; invoices: InvoiceStatus[] }> {
  const worker = takeWriter();
  worker.postMessage({
    kind: 'start',
    data: { path: job.path, llmfinVersion: job.llmfinVersion, batch: job.batch, replacePeriod: job.replacePeriod, replaceChanged: job.replaceChanged, spanTotalsOf: job.spanTotalsOf, partsOf: job.partsOf, overlaps: job.overlaps },
  } satisfies ToWriter);
  let inFlight = 0;
  let written = 0;
  let credit: (() => void) | undefined;
  let settle!: { resolve: (v: { result: StreamImportResult; invoices: InvoiceStatus[] }) => void; reject: (e: unknown) => void };
  const outcome = new Promise<{ result: StreamImportResult; invoices: InvoiceStatus[] }>((resolve, reject) => (settle = { resolve, reject }));
  let finished = false;
  worker.on('message', (message: FromWriter) => {
    if (message.kind === 'written') {
      // A chunk is written: the credit back, and the progress (one message for both).
      inFlight--;
      written += message.rows;
      job.onProgress?.(written);
      credit?.();
    } else if (message.kind === 'done') {
      finished = true;
      settle.resolve({ result: message.result, invoices: message.invoices });
    } else if (message.kind === 'failed') {
      finished = true;
      settle.reject(Object.assign(new Error(message.message), { name: message.name, code: message.code, stack: message.stack }));
    } else {
      finished = true;
      settle.reject(new Error('import aborted'));
    }
    if (finished) credit?.();
  });
  worker.on('error', (error) => {
    finished = true;
    settle.reject(error);
    credit?.();
  });
  worker.on('exit', (code) => {
    if (!finished) settle.reject(new Error(`the import writer thread stopped (exit code ${code})`));
    finished = true;
    credit?.();
  });
  // Keep the outcome observed: a writer failure while we are still reading must not be an unhandled rejection.
  outcome.catch(() => undefined);
  // The writer's exit, at once when it has already exited.
  const exited = () => new Promise<void>((resolve) => (worker.threadId === -1 ? resolve() : worker.once('exit', () => resolve())));
  // The writer rolls back and stops before the error that made us abort is reported.
  const abort = async () => {
    worker.postMessage({ kind: 'abort' } satisfies ToWriter);
    await outcome.catch(() => undefined);
    await exited();
  };

  try {
    for await (const chunk of entryChunks(job.entryBlocks, CHUNK_ROWS_TO_WRITER)) {
      while (inFlight >= IN_FLIGHT && !finished) await new Promise<void>((resolve) => (credit = resolve));
      credit = undefined;
      // The writer failed (disk full, locked ledger): its error is the one to report.
      if (finished) break;
      inFlight++;
      worker.postMessage({ kind: 'rows', chunk } satisfies ToWriter);
    }
  } catch (error) {
    // A bad row (or an unreadable file): the writer rolls back, then the error is reported.
    await abort();
    throw error;
  }
  let fileHash: string | undefined;
  if (!finished && job.fileHash !== undefined) {
    try {
      fileHash = await job.fileHash;
    } catch (error) {
      // The file could not be read to its end a second time: nothing is recorded.
      await abort();
      throw error;
    }
  }
  if (!finished) worker.postMessage({ kind: 'end', rowsRead: job.rowsRead(), invoices: job.invoices(), statedPeriod: job.statedPeriod?.(), fileHash } satisfies ToWriter);
  try {
    return await outcome;
  } finally {
    await exited();
  }
}
