/** The thread of `fileSha256InThread` (file-sha256.ts): hashes one file and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { fileSha256 } from './file-sha256.js';

const port = parentPort;
if (!port) throw new Error('file-sha256-worker: run it as a worker thread');
const { path } = workerData as { path: string };
try {
  port.postMessage({ hash: fileSha256(path) });
} catch (error) {
  const e = error as Error & { code?: unknown };
  port.postMessage({ error: { name: e.name, message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) } });
}
