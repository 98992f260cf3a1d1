/**
 * The sha256 of an imported file, by which `llmfin import` knows a file it has seen
 * (same source, same bytes: "already imported").
 *
 * Read synchronously a megabyte at a time: a read stream's 64 KiB chunks, each a trip
 * through the thread pool and the stream machinery, took 3.3 s for a 564 MB FOCUS file
 * where these reads take 0.76 s, sha256 itself most of it.
 *
 * A large file whose size no earlier import of its source had cannot be one seen before,
 * so its hash is not needed before its rows are read: `fileSha256InThread` computes it
 * on a thread of its own while they are (see run-import.ts). On two cores the import's
 * writer thread leaves a third of a core idle, which the hash then uses instead of
 * delaying the first row.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { compiledBeside, runThreadOnce } from '../shared/worker-thread.js';

/** Bytes read per step. */
const READ_BYTES = 1 << 20;

export function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let n: number;
    while ((n = readSync(fd, buffer, 0, READ_BYTES, null)) > 0) hash.update(n === READ_BYTES ? buffer : buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

const WORKER_FILE = new URL('./file-sha256-worker.js', import.meta.url);

/** Whether `fileSha256InThread` can run here: its compiled worker is beside this module (not under vitest's sources). */
export function hashThreadAvailable(): boolean {
  return compiledBeside(WORKER_FILE);
}

/** `fileSha256(path)` on a worker thread; rejects with the thread's error (the file gone, unreadable). */
export function fileSha256InThread(path: string): Promise<string> {
  // The thread holds one 1 MB buffer: a small heap is plenty.
  return runThreadOnce<string>(WORKER_FILE, { workerData: { path }, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } }, 'the file hash thread');
}
