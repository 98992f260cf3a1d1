// `llmfin proxy` as users run it: the built bin as a child process in `dir`, its stderr
// collected, and a wait for what it prints. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../bin/llmfin');

export interface ProxyChild {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Started in `dir` (its HOME too), without the caller's llmfin environment. */
export function startProxyChild(dir: string, args: string[], env: Record<string, string> = {}): ProxyChild {
  const proc = spawn(process.execPath, [BIN, 'proxy', ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, '.data'), LLMFIN_CONFIG: '', LLMFIN_DB: '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, stderr: () => err, exited };
}

/** Polls `get` every 20 ms until it gives a value; throws after `ms`. */
export async function until<T>(get: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
