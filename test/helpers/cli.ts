// Runs the CLI in-process with captured output and a hermetic environment
// (aesthetics.md rule 8): no colour, a temp HOME so the user's data directory is never touched.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIO } from '../../src/cli/cli-io.js';
import { run } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const made: string[] = [];
// Temp folders live until the test file ends, then go: a test run leaves nothing behind.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'llmfin-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function runCli(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {}): Promise<CliResult> {
  const cwd = options.cwd ?? tempDir();
  const io = memoryIO({
    cwd,
    tty: options.tty ?? false,
    env: { HOME: cwd, XDG_DATA_HOME: join(cwd, '.data'), NO_COLOR: '1', ...options.env },
  });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

export async function runJson<T = Record<string, unknown>>(argv: string[], options: Parameters<typeof runCli>[1] = {}): Promise<T> {
  const r = await runCli([...argv, '--format', 'json'], options);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
