/** `llmfin insights`: registration only; the work is in insights-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerInsights(program: Command, ctx: CliContext): void {
  program
    .command('insights')
    .description('ranked savings opportunities and risks, each with $ impact per month, action and effort')
    .option('--since <when>', 'usage to read: ISO date or 30d (default: the 30 days up to the last day in the ledger, from the first day of an invoice they would cut)')
    .option('--until <when>', 'end (exclusive): ISO date or UTC time')
    .option('--top <n>', 'show the N most important (in the table, JSON and CSV alike; the savings total counts them all)', '20')
    .addHelpText(
      'after',
      `
Finders: concentration risk, a cheaper model of the same class (priced on your actual
token mix), flagship models on short requests, caching, batch for offline features,
anomalies and budgets at risk. Priority: High at >= 10% of monthly spend or $1,000 a
month, Medium at >= 2% or $100, else Low.

Examples:
  $ llmfin insights
  $ llmfin insights --since 2026-10-01 --until 2026-11-01
  $ llmfin insights --format json | jq '.rows[] | select(.priority == "High")'`,
    )
    .action(async (opts: InsightsOptions) => {
      const { insightsCommand } = await import('./insights-run.js');
      await insightsCommand(ctx, opts);
    });
}

export interface InsightsOptions {
  since?: string;
  until?: string;
  top: string;
}
