/**
 * What happens when the reader of llmfin's output goes away. `llmfin pricing list
 * --format json | head` closes stdout after a few lines; Node then reports EPIPE on
 * the next write as an unhandled 'error' event, and the user sees a stack trace for
 * an ordinary shell idiom.
 *
 * - stdout: the reader is gone, so nothing the command would still print can be read.
 *   The process ends at once with the exit code it has so far (0 unless something
 *   already failed). A command writing the ledger has not committed by then, so the
 *   ledger stays as it was (SQLite rolls the open transaction back).
 * - stderr: further messages are dropped and the command carries on, so a proxy whose
 *   log reader went away keeps serving and flushing its rows instead of dying with
 *   requests in flight.
 * - stdout that cannot be written for another reason (`llmfin export > file` on a full
 *   disk: ENOSPC, EIO): the output is incomplete, so the command fails with exit 2 and
 *   one line saying why, not a stack trace.
 */
export interface PipedProcess {
  stdout: NodeJS.EventEmitter;
  stderr: NodeJS.EventEmitter & { write(text: string): unknown };
  exitCode?: number | string | null | undefined;
  exit(code?: number): never;
}

// A write after the first EPIPE meets a destroyed stream: the same closed pipe.
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function handleClosedPipes(proc: PipedProcess = process): void {
  proc.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (CLOSED.has(error.code ?? '')) return proc.exit(typeof proc.exitCode === 'number' ? proc.exitCode : 0);
    try {
      proc.stderr.write(`llmfin: error: cannot write to standard output (${error.message}); the output is incomplete\n`);
    } catch {
      // stderr is gone too: the exit code still says it failed.
    }
    proc.exit(2);
  });
  proc.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (!CLOSED.has(error.code ?? '')) throw error;
  });
}
