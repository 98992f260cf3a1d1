/**
 * `loadConfig` for a command that runs for hours (`llmfin proxy`), with llmfin.yaml read
 * and checked on a worker thread that exits once it has answered. Imported, YAML, zod and
 * the config's schemas stay in the heap for the life of the process — ~3 MB live that a
 * busy proxy's old generation holds about twice over before each full collection — for a
 * file read once at start and on SIGHUP. The thread costs ~20 ms of start-up, once. Where
 * the thread's compiled file is missing (the sources run under vitest), it reads the file
 * in-process, with the same results.
 */
import { findConfigFile, loadConfig, type ConfigLocation, type LoadedConfig } from '../config/load-config.js';
import { defaultConfig } from '../config/default-config.js';
import { LlmfinError, type ExitCode } from '../shared/errors.js';
import { compiledBeside, runThreadOnce } from '../shared/worker-thread.js';

export interface ConfigThreadData {
  /** The file to read, already found (and known to exist) on the calling thread. */
  path: string;
  cwd: string;
}

export type FromConfigThread =
  | { ok: true; loaded: LoadedConfig }
  /** `stack` is the thread's, for --debug. */
  | { ok: false; message: string; exitCode?: ExitCode; hint?: string | undefined; stack?: string | undefined };

const THREAD_FILE = new URL('./config-thread.js', import.meta.url);

export async function loadConfigOffThread(location: ConfigLocation): Promise<LoadedConfig> {
  // Finding the file needs neither YAML nor zod, and its errors name the flag or variable.
  const path = findConfigFile(location);
  if (path === undefined) return { config: defaultConfig(), path: undefined };
  if (!compiledBeside(THREAD_FILE)) return loadConfig(location);
  const reply = await runThreadOnce<FromConfigThread>(THREAD_FILE, { workerData: { path, cwd: location.cwd } satisfies ConfigThreadData }, 'the config reader thread');
  if (reply.ok) return reply.loaded;
  // A user's mistake keeps its message, hint and exit code; anything else stays an internal error.
  const error =
    reply.exitCode === undefined ? new Error(reply.message) : new LlmfinError(reply.message, { exitCode: reply.exitCode, ...(reply.hint === undefined ? {} : { hint: reply.hint }) });
  if (reply.stack !== undefined) error.stack = reply.stack;
  throw error;
}
