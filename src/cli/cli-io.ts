/**
 * What a command may touch of the outside world. `run(argv, io)` takes it as a
 * parameter so that tests call the CLI in-process with captured streams, a fixed
 * environment and a temporary working directory.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  stdin?: NodeJS.ReadableStream | undefined;
}

/** The real process: what `bin/llmfin` passes. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), stdin: process.stdin };
}

/** A captured IO for tests and for commands that render into a string. */
export function memoryIO(options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean } = {}): CliIO & {
  out(): string;
  err(): string;
} {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false, columns: 100 },
    stderr: { write: (s: string) => (err += s), isTTY: options.tty ?? false, columns: 100 },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}
