/** The thread of `fileSha256InThread` (file-sha256.ts): hashes one file and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { fileSha256 } from './file-sha256.js';

const port = parentPort;
if (!port) throw new Error('file-sha256-worker: run it as a worker thread');
const { path } = workerData as { path: string };
// An error (the file gone, unreadable) reaches the caller as the worker's 'error' event, its code kept.
port.postMessage(fileSha256(path));
