/**
 * Named errors that carry data. Every error a user can cause is an `LlmfinError`
 * with exit code 2 and a message that names the file, line or option and what was
 * expected; anything else that escapes is an internal error (exit 3).
 */

/** Exit codes, everywhere (PRODUCT.md): 0 ok, 1 check/policy failed, 2 bad input, 3 internal. */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  badInput: 2,
  internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class LlmfinError extends Error {
  override readonly name: string = 'LlmfinError';
  readonly exitCode: ExitCode;
  /** One line telling the user what to do next, printed after the message. */
  readonly hint: string | undefined;
  /** Already told the user (in a log's own format, say): only the exit code is left to give. */
  readonly reported: boolean;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown; reported?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? ExitCode.badInput;
    this.hint = options.hint;
    this.reported = options.reported ?? false;
  }
}

/** A command line that cannot be carried out: unknown option value, missing argument. */
export class UsageError extends LlmfinError {
  override readonly name = 'UsageError';
  readonly option: string | undefined;
  constructor(message: string, options: { option?: string; hint?: string } = {}) {
    super(message, { exitCode: ExitCode.badInput, ...(options.hint ? { hint: options.hint } : {}) });
    this.option = options.option;
  }
}

/** A file the user gave us is not what we expected: names the file and, when known, the line. */
export class InputError extends LlmfinError {
  override readonly name = 'InputError';
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`, { exitCode: ExitCode.badInput, ...options });
    this.file = file;
    this.line = line;
  }
}

/** A policy or check failed (exit 1): not a crash, a verdict. */
export class CheckFailedError extends LlmfinError {
  override readonly name = 'CheckFailedError';
  constructor(message: string) {
    super(message, { exitCode: ExitCode.checkFailed });
  }
}

export function isLlmfinError(error: unknown): error is LlmfinError {
  return error instanceof LlmfinError;
}
