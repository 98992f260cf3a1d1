/** `llmfin report`: registration only; the work is in report-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { collect } from '../collect-option.js';
import { optionsGiven } from './options-given.js';

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('spend and unit metrics grouped by any dimension, without counting any dollar twice')
    .option('--by <dims>', 'dimensions to group by, comma-separated (team, feature, customer, model, provider, agent, project, environment, api_key, workspace, user, trace, source, account, service_tier, day, week, month, custom tags)', 'provider')
    .option('--where <dim=value>', 'keep only rows where the dimension has this value (model=gpt-4o: its dated ids too, as a budget on it counts); repeatable; (unattributed) selects missing ones', collect, [])
    .option('--since <when>', 'start: ISO date, UTC time, or 90d / 12w before today')
    .option('--until <when>', 'end (exclusive): ISO date or UTC time')
    .option('--month <YYYY-MM>', 'one calendar month (UTC)')
    .option('--basis <basis>', 'default (one dollar counted once: billed > provider usage > metered), or one layer: billed, provider_usage, metered', 'default')
    .option('--top <n>', 'the N largest groups and one "(other)" row')
    .option('--sort <key>', 'cost, requests, tokens, cost_per_request or name', 'cost')
    .option('--chart', 'draw spend over time per group (sparklines) under the table')
    .option('--metrics <view>', 'units: tokens per request percentiles, agent loop length, model tier mix, costliest traces')
    .option('--chargeback', 'split shared costs (attribution.shared in llmfin.yaml) over teams: direct, shared and total per team')
    .option('--explain', 'say how the money was counted: which layer each provider-month came from and what attributed it')
    .option('--no-rollup', 'read the ledger rows instead of the daily rollup (slower; for checking)')
    .addHelpText(
      'after',
      `
The default basis takes each provider-month's money from the most authoritative layer
(invoice > billed export > provider usage > metered) and attributes it with the finest
layer that priced any of it; what that layer does not cover is "(unattributed)".
Grouped by routed_from or route_tier, each row also shows what the requested models
would have cost (ORIGINAL) and what the proxy's routing saved (SAVED).

Examples:
  $ llmfin report --by team --month 2026-10
  $ llmfin report --by feature,model --since 90d --top 10
  $ llmfin report --by day --since 2026-10-01 --chart
  $ llmfin report --by customer --where feature=checkout --format csv > checkout.csv
  $ llmfin report --by model --where model=gpt-4o --month 2026-10   # gpt-4o-2024-08-06 and every id priced as gpt-4o
  $ llmfin report --by team --basis metered --explain
  $ llmfin report --by routed_from,model --month 2026-11
  $ llmfin report --metrics units --month 2026-10
  $ llmfin report --chargeback --month 2026-10 --format csv`,
    )
    .action(async (opts: ReportOptions, command: Command) => {
      const given = optionsGiven(command, opts);
      const { reportCommand } = await import('./report-run.js');
      await reportCommand(ctx, { ...opts, given });
    });
}

export interface ReportOptions {
  by: string;
  where: string[];
  since?: string;
  until?: string;
  month?: string;
  basis: string;
  top?: string;
  sort: string;
  chart?: boolean;
  metrics?: string;
  chargeback?: boolean;
  explain?: boolean;
  rollup: boolean;
  /** The options given on the command line (not defaulted), by their camelCase keys. */
  given?: ReadonlySet<string>;
}
