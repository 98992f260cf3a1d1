/**
 * Commands of the contract that a later release fills in. They are registered so
 * that `--help` shows the whole tool, and they exit 2 with a clear message rather
 * than pretending to work.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { NotYetAvailableError } from '../../shared/errors.js';

export function registerPending(name: string, description: string, args = '[args...]') {
  return (program: Command, _ctx: CliContext): void => {
    program
      .command(name)
      .description(`${description} (not yet available)`)
      .arguments(args)
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .helpOption(false)
      .action(() => {
        throw new NotYetAvailableError(name);
      });
  };
}
