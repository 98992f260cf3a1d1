import type { Command } from 'commander';

/**
 * The options the command line gave, as opposed to their defaults (`--by provider`,
 * `--demo-rate 40`…), by their camelCase keys: an option the chosen view or mode would not
 * read is refused when given, and its default never is.
 */
export function optionsGiven(command: Command, opts: object): ReadonlySet<string> {
  return new Set(Object.keys(opts).filter((key) => command.getOptionValueSource(key) === 'cli'));
}
