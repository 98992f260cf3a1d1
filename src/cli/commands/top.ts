/** `llmfin top`: registration only; the work is in top-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { optionsGiven } from './options-given.js';

export function registerTop(program: Command, ctx: CliContext): void {
  program
    .command('top')
    .description('live terminal dashboard: spend today and this month, budget bars, top groups, request feed, loop flags')
    .option('--by <dim>', 'group spend by team, agent, feature, customer or model (g cycles)', 'team')
    .option('--refresh <interval>', 'how often to read new rows: 1s, 500ms, 2s (250ms to 60s)', '1s')
    .option('--demo', 'replay the bundled sample month into a temporary ledger (or a new one at --db / LLMFIN_DB, never one holding other rows), as a proxy would write it (no provider key needed)')
    .option('--demo-rate <n>', 'requests per second the demo writes', '25')
    .addHelpText(
      'after',
      `
Reads the ledger that proxies (or imports) write, read-only and incrementally: only the
rows added since the last refresh are read, so it stays cheap on a busy ledger. Needs a
terminal; in a pipe or a script use \`llmfin report\` or \`llmfin budget status\`.

Keys: q quit · tab/←→ switch views · 1-5 go to a view · g cycle grouping · p pause
      / filter · ? help

Examples:
  $ llmfin top --demo                         watch the sample month play (no key needed)
  $ llmfin top --db ./ledger.db --by agent
  $ llmfin top --refresh 2s`,
    )
    .action(async (opts: { by: string; refresh: string; demo?: boolean; demoRate: string }, command: Command) => {
      const { topCommand } = await import('./top-run.js');
      await topCommand(ctx, { ...opts, given: optionsGiven(command, opts) });
    });
}
