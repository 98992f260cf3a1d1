/**
 * `run(argv, io)`: parse, dispatch, and turn every outcome into an exit code.
 * User mistakes (LlmfinError) print one message and a hint, exit 2; a check that
 * fails exits 1; anything unexpected exits 3 with a hint to rerun with --debug,
 * and only --debug prints a stack trace.
 */
import { CommanderError } from 'commander';
import type { CliIO } from './cli-io.js';
import { makeChalk } from './color.js';
import { buildProgram } from './program.js';
import { ExitCode, isLlmfinError } from '../shared/errors.js';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const chalk = makeChalk(io);
  const debug = argv.includes('--debug');
  const program = buildProgram(io, chalk);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "exit" through here with code 0; usage errors were already printed.
      if (error.exitCode === 0) return ExitCode.ok;
      return ExitCode.badInput;
    }
    if (isLlmfinError(error)) {
      if (error.reported) return error.exitCode;
      io.stderr.write(`${chalk.red('llmfin: error:')} ${error.message}\n`);
      if (error.hint) io.stderr.write(`${chalk.dim('hint:')} ${error.hint}\n`);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${chalk.red('llmfin: internal error:')} ${message}\n`);
    if (debug) io.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    else io.stderr.write(`${chalk.dim('hint:')} rerun with --debug for details, and report it if it persists\n`);
    return ExitCode.internal;
  }
}
