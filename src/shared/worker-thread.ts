/**
 * The two things every llmfin worker thread needs from its caller. Each thread is a
 * compiled `.js` file beside the module that starts it: under vitest the sources run as
 * `.ts` and no such file exists, so each caller asks `compiledBeside` and does the work
 * in-process instead (with the same results). A thread that answers once and exits (a
 * file's hash, the config read at start) is `runThreadOnce`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Whether the worker file `url` exists: compiled next to its caller, not under vitest's sources. */
export function compiledBeside(url: URL): boolean {
  return existsSync(fileURLToPath(url));
}

/**
 * Starts the worker at `url` and settles with its first message. It rejects with the
 * thread's error as thrown there (the Worker's `error` event keeps its `code`), or, if
 * the thread exits without a word, with an error naming `what` and the exit code. A
 * promise settles once: the exit that follows an answer changes nothing.
 */
export function runThreadOnce<T>(url: URL, options: WorkerOptions, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(url, options);
    worker.once('message', (message: T) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${what} stopped (exit code ${code})`)));
  });
}
