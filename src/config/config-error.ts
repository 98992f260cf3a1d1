/**
 * A problem with `llmfin.yaml`: the file, the line and the option path, so that the
 * user can go straight to it. Always exit code 2.
 */
import { LlmfinError, ExitCode } from '../shared/errors.js';
import { basename } from 'node:path';

export class ConfigError extends LlmfinError {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly line: number | undefined;
  readonly optionPath: string | undefined;

  constructor(file: string, line: number | undefined, message: string, options: { hint?: string; optionPath?: string } = {}) {
    // Name the file as the user knows it; the full path goes in the hint when it is elsewhere.
    super(`${basename(file)}${line === undefined ? '' : `:${line}`}: ${message}`, {
      exitCode: ExitCode.badInput,
      hint: options.hint ?? `in ${file}`,
    });
    this.file = file;
    this.line = line;
    this.optionPath = options.optionPath;
  }
}
