/**
 * The worker thread of `loadConfigOffThread`: reads and checks one llmfin.yaml and posts
 * back the config, or the error as data (a thrown LlmfinError does not survive the trip
 * between threads as itself). Exits when it has answered, and YAML and zod with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config/load-config.js';
import { isLlmfinError } from '../shared/errors.js';
import type { ConfigThreadData, FromConfigThread } from './load-config-off-thread.js';

const port = parentPort;
if (!port) throw new Error('config-thread: run it as a worker thread');
const data = workerData as ConfigThreadData;

let reply: FromConfigThread;
try {
  reply = { ok: true, loaded: await loadConfig({ flag: data.path, env: {}, cwd: data.cwd }) };
} catch (error) {
  const stack = error instanceof Error ? error.stack : undefined;
  reply = isLlmfinError(error)
    ? { ok: false, message: error.message, exitCode: error.exitCode, hint: error.hint, stack }
    : { ok: false, message: error instanceof Error ? error.message : String(error), stack };
}
port.postMessage(reply);
