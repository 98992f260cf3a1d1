/** `llmfin budget status`: registration only; the work is in budget-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../../shared/errors.js';

export function registerBudget(program: Command, ctx: CliContext): void {
  program
    .command('budget')
    .description('budgets from llmfin.yaml: spent, limit, state, projected period end and breach date')
    .argument('[action]', 'status', 'status')
    .option('--at <time>', 'judge the budgets at this moment instead of now (ISO date or UTC time)')
    .option('--fail-on-breach', 'exit 1 when any budget is at or past its limit (for cron and CI)')
    .addHelpText(
      'after',
      `
States: green below the soft limit, amber from it (default 80%), red at or past the limit.
END P50 and END P90 are the period-end spend forecast from the ledger's history (the run
rate of the period so far when there is too little), P(BREACH) the chance of ending past
the limit and BREACH the day the median path crosses it.

Examples:
  $ llmfin budget status
  $ llmfin budget status --format json
  $ llmfin budget status --fail-on-breach     # in a cron job`,
    )
    .action(async (action: string, opts: { at?: string; failOnBreach?: boolean }) => {
      if (action !== 'status') throw new UsageError(`budget: expected the action "status", got "${action}"`, { option: 'action' });
      const { budgetStatusCommand } = await import('./budget-run.js');
      await budgetStatusCommand(ctx, opts);
    });
}
