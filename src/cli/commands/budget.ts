/** `llmfin budget status`: registration only; the work is in budget-run.ts. */
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../../shared/errors.js';
import type { WindowOptions } from './budget-window-error.js';

export function registerBudget(program: Command, ctx: CliContext): void {
  program
    .command('budget')
    .description('budgets from llmfin.yaml: spent, limit, state, projected period end and breach date')
    .argument('[action]', 'status', 'status')
    .option('--at <time>', 'judge the budgets at this moment instead of now (ISO date or UTC time)')
    .option('--fail-on-breach', 'exit 1 when any budget is at or past its limit (for cron and CI)')
    // Taken only to be refused with the --at they meant (budget-window-error.ts).
    .addOption(new Option('--since <when>').hideHelp())
    .addOption(new Option('--until <when>').hideHelp())
    .addOption(new Option('--month <YYYY-MM>').hideHelp())
    .addHelpText(
      'after',
      `
States: green below the soft limit, amber from it (default 80%), red at or past the limit.
END P50 and END P90 are the period-end spend forecast from the ledger's history by the
method \`llmfin forecast\` chooses for the scope (JSON selected_method; the run rate of the
period so far when there is too little), P(BREACH) the chance of ending past
the limit and BREACH the day the median path crosses it. Days from a price change the
catalogue has scheduled inside the period are at its new rates, and a line under the table
names the change. Each budget's period is its own day, week (from Monday) or month, so
there is no --since/--until: --at picks the moment.

Examples:
  $ llmfin budget status
  $ llmfin budget status --format json
  $ llmfin budget status --fail-on-breach     # in a cron job
  $ llmfin budget status --at 2026-10-31T23:59:59Z   # October's budgets as October ended`,
    )
    .action(async (action: string, opts: { at?: string; failOnBreach?: boolean } & WindowOptions) => {
      if (action !== 'status') throw new UsageError(`budget: expected the action "status", got "${action}"`, { option: 'action' });
      const { budgetStatusCommand } = await import('./budget-run.js');
      await budgetStatusCommand(ctx, opts);
    });
}
