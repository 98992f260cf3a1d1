/** `llmfin forecast`: registration only; the work is in forecast-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { collect } from '../collect-option.js';
import { optionsGiven } from './options-given.js';

export function registerForecast(program: Command, ctx: CliContext): void {
  program
    .command('forecast')
    .description('spend forecasts per group with P10/P50/P90 bands, what-ifs, backtests and budget trajectories')
    .option('--by <dims>', 'dimensions to forecast, comma-separated (feature, team, customer, model, …)', 'feature')
    .option('--where <dim=value>', 'keep only rows where the dimension has this value (model=gpt-4o: its dated ids too, as a budget on it counts); repeatable', collect, [])
    .option('--since <when>', 'history start: ISO date or 90d / 12w before today', '120d')
    .option('--until <when>', 'history end (exclusive): ISO date or UTC time')
    .option('--basis <basis>', 'default (layer rule), billed, provider_usage or metered', 'default')
    .option('--horizon <days>', 'how far ahead: 30d, 4w or a number of days (1–365)', '30d')
    .option('--top <n>', 'show the N largest groups', '10')
    .option('--backtest', 'replay the forecaster on your own history: MASE vs seasonal naive and the combination alone, band coverage')
    .option('--chart', 'draw history and the forecast band in the terminal')
    .option('--traffic <xN>', 'what-if: requests multiplied (x2, 1.5, 50%)')
    .option('--prompt-growth <pct>', 'what-if: input tokens per request grow by this much (30%)')
    .option('--model <spec>', 'what-if: DIM=VALUE:MODEL runs that group on MODEL (or MODEL for all); with --new-feature: the model', collect, [])
    .option('--new-feature', 'pre-launch estimate from --requests-per-day, --input-tokens, --output-tokens and --model')
    .option('--requests-per-day <n>', 'new feature: expected requests per day')
    .option('--input-tokens <n>', 'new feature: input tokens per request')
    .option('--output-tokens <n>', 'new feature: output tokens per request')
    .option('--cache-read-tokens <n>', 'new feature: of the input tokens, how many are cache reads')
    .option('--provider <id>', 'new feature: the provider of --model when the name is ambiguous')
    .option('--headroom <pct>', 'new feature: recommended budget = P90 × (1 + headroom)', '20%')
    .addHelpText(
      'after',
      `
History is re-priced at today's catalogue prices before it is fitted, so a price cut or
a new rate does not look like a trend. The forecast is the mean of Theta, a damped trend
and the median of the last four same weekdays, or Theta or the damped trend alone when the
group's last eight weeks show it 15% closer, seasonal naive when 50% (METHOD says which);
bands come from that method's own past errors on your data. Under 14 days of history it falls back to the run
rate and says so.

A what-if re-prices tokens: money billed with no token counts stays at its level under
--model and --prompt-growth (--traffic scales it), and a warning says how much.
In --model DIM=VALUE:MODEL the value and the model may hold ':' (Bedrock ids end in :0):
the split whose value has spend and whose model has a price is taken; where two would
be, quote the value, which then reads one way: --model 'model="VALUE:WITH:COLONS":MODEL'.

A price change the catalogue has scheduled inside the horizon (or a pricing.discounts
entry that starts or ends there) applies from its day, and a line under the table names
it. Budgets in llmfin.yaml get a trajectory each, with the what-if and any scheduled
change applied to their days to come; a --new-feature estimate takes the change too.

Examples:
  $ llmfin forecast --by feature
  $ llmfin forecast --by team --horizon 60d --chart
  $ llmfin forecast --by feature --backtest
  $ llmfin forecast --by feature --traffic x2 --prompt-growth 30%
  $ llmfin forecast --by feature --model feature=checkout:claude-haiku-4-5
  $ llmfin forecast --new-feature --requests-per-day 5000 --input-tokens 1200 --output-tokens 300 --model gpt-4.1-mini`,
    )
    .action(async (opts: ForecastOptions, command: Command) => {
      const given = optionsGiven(command, opts);
      const { forecastCommand } = await import('./forecast-run.js');
      await forecastCommand(ctx, { ...opts, given });
    });
}

export interface ForecastOptions {
  by: string;
  where: string[];
  since?: string;
  until?: string;
  basis: string;
  horizon: string;
  top: string;
  backtest?: boolean;
  chart?: boolean;
  traffic?: string;
  promptGrowth?: string;
  model: string[];
  newFeature?: boolean;
  requestsPerDay?: string;
  inputTokens?: string;
  outputTokens?: string;
  cacheReadTokens?: string;
  provider?: string;
  headroom: string;
  /** The options given on the command line (not defaulted), by their camelCase keys. */
  given?: ReadonlySet<string>;
}
