/**
 * The writer thread of a large import (see record-in-writer-thread.ts): opens its own
 * connection to the ledger file and records the whole import in ONE transaction from
 * the flat row chunks the reading thread posts, while that thread parses and prices the
 * next rows. Nothing here decides anything about rows: it is `recordImportChunks` fed
 * from messages, so the guarantees are the same as on one thread.
 */
import { parentPort } from 'node:worker_threads';
import { sql } from 'kysely';
import { openLedger } from '../ledger/sqlite/open-sqlite-ledger.js';
import { writeImportedInvoice } from '../ledger/queries/insert-invoice.js';
import { recordImportChunks } from '../ledger/queries/record-import-stream.js';
import type { EntryChunk } from '../ledger/queries/entry-chunk.js';
import type { ToWriter, FromWriter, WriterData, InvoiceStatus } from './record-in-writer-thread.js';

const port = parentPort;
if (!port) throw new Error('import-writer-worker: run it as a worker thread');

/** Messages as an async queue: chunks until `end` (or `abort`, which rolls back). */
const queue: ToWriter[] = [];
let wake: (() => void) | undefined;
port.on('message', (message: ToWriter) => {
  queue.push(message);
  wake?.();
});
async function next(): Promise<ToWriter> {
  while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
  return queue.shift()!;
}

class Aborted extends Error {}
let end: Extract<ToWriter, { kind: 'end' }> | undefined;

async function* chunks(): AsyncGenerator<EntryChunk> {
  for (;;) {
    const message = await next();
    if (message.kind === 'abort') throw new Aborted('import aborted by the reader');
    if (message.kind === 'start') throw new Error('import-writer-worker: a second start');
    if (message.kind === 'end') {
      end = message;
      return;
    }
    yield message.chunk;
    // Credit back: the reader keeps only a few chunks in flight (constant memory).
    port!.postMessage({ kind: 'written', rows: message.chunk.rows } satisfies FromWriter);
  }
}

const post = (message: FromWriter) => port.postMessage(message);
// Started ahead of its import (prestartWriterThread): its job comes as the first message.
const first = await next();
if (first.kind !== 'start') throw new Error(`import-writer-worker: expected the import's start, got ${first.kind}`);
const data: WriterData = first.data;
const ledger = await openLedger(data.path, { create: false, llmfinVersion: data.llmfinVersion });
// Each multi-row INSERT keeps a statement journal (the CHECK constraints may abort it
// half-way); in a temp file that cost a write() per touched page, a third of SQLite's time.
await sql`pragma temp_store = memory`.execute(ledger.db);
try {
  const invoices: InvoiceStatus[] = [];
  const result = await recordImportChunks(ledger, data.batch, chunks(), () => end?.rowsRead ?? 0, {
    replacePeriod: data.replacePeriod,
    replaceChanged: data.replaceChanged,
    statedPeriod: () => end?.statedPeriod,
    fileHash: () => end?.fileHash,
    spanTotalsOf: data.spanTotalsOf,
    partsOf: data.partsOf,
    overlaps: data.overlaps,
    afterEntries: async (trx, batchId) => {
      for (const { invoice, lines } of end?.invoices ?? []) {
        const r = await writeImportedInvoice(trx, { ...invoice, batch_id: batchId }, lines);
        invoices.push(r);
      }
    },
  });
  post({ kind: 'done', result, invoices });
} catch (error) {
  if (!(error instanceof Aborted)) {
    const e = error as Error & { code?: unknown };
    post({ kind: 'failed', name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined, stack: e.stack });
  } else post({ kind: 'aborted' });
} finally {
  await ledger.close();
  port.close();
}
