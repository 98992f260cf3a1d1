/**
 * Writes a file so that it is either complete or absent: the text goes to a hidden
 * temporary file beside the target, which is synced and renamed over the target only
 * when everything was written. A failed or interrupted export leaves the previous file
 * (if any) untouched and no half file behind: a Ctrl-C, or a kill from a CI job's timeout,
 * removes the temporary file before the process ends.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExportSink } from './write-export.js';

export interface AtomicFile extends ExportSink {
  /** The target path. */
  readonly path: string;
  /** Makes the file visible under its name (same directory, so the rename is atomic). */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is left as it was. */
  abort(): Promise<void>;
}

/** The signals that end a command line program: Ctrl-C, kill, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function createAtomicFile(path: string): Promise<AtomicFile> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle: FileHandle = await open(temp, 'wx');
  // A signal would end the process before any `finally`: the temporary file goes first
  // (synchronously), then the signal is raised again so the process ends as it would have.
  const onSignal = (signal: NodeJS.Signals) => {
    forgetSignals();
    rmSync(temp, { force: true });
    process.kill(process.pid, signal);
  };
  const forgetSignals = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path,
    async write(text) {
      await handle.write(text);
    },
    async commit() {
      // Synced before the rename, so a crash right after cannot leave a renamed but empty file.
      await handle.sync();
      await close();
      await rename(temp, path);
      forgetSignals();
    },
    async abort() {
      forgetSignals();
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
