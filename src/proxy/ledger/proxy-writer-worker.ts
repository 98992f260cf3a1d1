/**
 * The proxy's ledger writer thread (ledger-writer-thread.ts): its own better-sqlite3
 * connection to the ledger file, fed batches of rows (each one JSON text, row-text.ts)
 * by the event loop's thread. Each batch is one short write transaction of fixed-size multi-row INSERTs
 * (the SQL texts compiled by Kysely on the main thread), idempotent on (source,
 * dedupe_key), so a batch retried after a failure cannot duplicate.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromProxyWriter, ProxyWriterData, ToProxyWriter } from './ledger-writer-thread.js';
import { rowFromText } from './row-text.js';
import { runBound } from '../../ledger/sqlite/exact-integer-database.js';

const port = parentPort;
if (!port) throw new Error('proxy-writer-worker: run it as a worker thread');
const data = workerData as ProxyWriterData;

const db = new Database(data.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
db.pragma('synchronous = NORMAL');
// This connection only appends: its working set is the last pages of the table and of its
// indexes, a few dozen pages. SQLite's default cache (16 MB here) would fill up with pages
// the appends leave behind and keep them for the life of the process; 2 MB holds a
// 256-row transaction's pages with room to spare, so the cache never spills mid-write.
db.pragma(`cache_size = -${data.cacheKiB}`);
const sizes = data.chunks.map((c) => c.rows);
const statements = new Map(data.chunks.map((c) => [c.rows, db.prepare(c.sql)]));
const replace = db.prepare(data.replaceSql);
const width = data.width;
const bigintAt = data.bigintAt;

const insert = db.transaction((rows: string[], replacements: string[]): number => {
  let inserted = 0;
  let start = 0;
  while (start < rows.length) {
    const left = rows.length - start;
    const size = sizes.find((s) => s <= left) ?? 1;
    // Built by push (a packed array) and passed as arguments (runBound): better-sqlite3
    // reads an array's elements through V8's generic lookup, arguments directly.
    const parameters: unknown[] = [];
    for (let i = start; i < start + size; i++) {
      const row = rowFromText(rows[i]!, bigintAt);
      for (let j = 0; j < width; j++) parameters.push(row[j]);
    }
    inserted += runBound(statements.get(size)!, parameters).changes;
    start += size;
  }
  // A background response's final row, after the inserts (its created row may be among them).
  for (const text of replacements) {
    const row = rowFromText(text, bigintAt);
    replace.run(data.replaceAt.map((i) => row[i]));
  }
  return inserted;
});

port.on('message', (message: ToProxyWriter) => {
  if (message.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: FromProxyWriter;
  try {
    reply = { kind: 'written', id: message.id, rows: message.rows.length, inserted: insert(message.rows, message.replacements) };
  } catch (error) {
    reply = { kind: 'failed', id: message.id, message: (error as Error).message };
  }
  port.postMessage(reply);
});
