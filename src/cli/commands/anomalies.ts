/** `llmfin anomalies`: registration only; the work is in anomalies-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { collect } from '../collect-option.js';

export function registerAnomalies(program: Command, ctx: CliContext): void {
  program
    .command('anomalies')
    .description('spend spikes, level shifts, prompt-size creep, runaway sessions and agent loops, with their excess $')
    .option('--by <dims>', 'dimensions to watch, comma-separated (feature, team, customer, model, agent, …; "" for the total)', 'feature')
    .option('--where <dim=value>', 'keep only rows where the dimension has this value (model=gpt-4o: its dated ids too, as a budget on it counts); repeatable', collect, [])
    .option('--since <when>', 'history to read: ISO date or 90d / 12w before today', '90d')
    .option('--until <when>', 'end (exclusive): ISO date or UTC time')
    .option('--basis <basis>', 'default (layer rule), billed, provider_usage or metered', 'default')
    .option('--kind <kinds>', 'only these kinds, comma-separated: spike, level_shift, creep, runaway_session, agent_loop')
    .option('--sensitivity <level>', 'low, medium or high (default: anomalies.sensitivity in llmfin.yaml, else medium)')
    .option('--min-impact <usd>', 'smallest excess $ worth an alert (default: anomalies.min_impact_usd, else 10)')
    .option('--detected-since <when>', 'only alerts first raised on or after this day (ISO date or 1d / 2w before today; before --until); the history before it is still the baseline')
    .option('--fail-on-anomaly', 'exit 1 when anything is found (for cron and CI)')
    .addHelpText(
      'after',
      `
Each day is judged with only its past in view, against a weekday- and growth-aware baseline
(alike weekdays pooled, a Huber-mean level; the median of the last four same weekdays in a
series' first weeks) with a robust z-score (a MAD-reweighted scale); a level shift is four
days above baseline together; creep watches tokens per request against a lagged reference.
Each alert must also cost at least the minimum impact. Loops: the same call repeated
anomalies.loop_repeats times (4) in a trace; runaway: a trace over
anomalies.runaway_session_usd ($25).

Examples:
  $ llmfin anomalies
  $ llmfin anomalies --by team,model --since 60d
  $ llmfin anomalies --kind agent_loop,runaway_session --format json
  $ llmfin anomalies --detected-since 1d --fail-on-anomaly   # in a daily cron job: only what is new`,
    )
    .action(async (opts: AnomaliesOptions) => {
      const { anomaliesCommand } = await import('./anomalies-run.js');
      await anomaliesCommand(ctx, opts);
    });
}

export interface AnomaliesOptions {
  by: string;
  where: string[];
  since: string;
  until?: string;
  basis: string;
  kind?: string;
  sensitivity?: string;
  minImpact?: string;
  detectedSince?: string;
  failOnAnomaly?: boolean;
}
