/** `llmfin check`: registration only; the work is in check-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { collect } from '../collect-option.js';

export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('CI gate: fail when cost (or tokens) per request regresses against a committed baseline')
    .option('--baseline <file>', 'the baseline (default: check.baseline in llmfin.yaml, else llmfin.baseline.json)')
    .option('--run <id>', 'the current run: rows the proxy tagged with this run id (default: $LLMFIN_RUN_ID; else every metered row)')
    .option('--since <when>', 'start of the current run: ISO date, UTC time, or 90d / 12w before today')
    .option('--until <when>', 'end (exclusive): ISO date or UTC time')
    .option('--max-increase <percent>', 'allowed growth of cost per request, e.g. 10% (default: check.max_increase, else 10%)')
    .option('--max-token-increase <percent>', 'allowed growth of tokens per request (default: the cost tolerance)')
    .option('--max-cost-per-request <group=usd>', 'absolute cap at current prices, e.g. checkout=0.002 (repeatable; a bare amount caps every group)', collect, [])
    .option('--strict', 'a group (or template) without a baseline fails instead of warning (default: check.strict)')
    .option('--no-strict', 'warn about such a group for this run, whatever check.strict says')
    .option('--prompts <glob>', 'check prompt templates instead of a run, no API call (repeatable)', collect, [])
    .option('--model <model>', 'the model templates are tokenized and priced for (default: check.prompts.model, then the baseline\'s, then gpt-4o)')
    .addHelpText(
      'after',
      `
A group fails when its cost per request at the baseline's prices, or its tokens per
request, grew past the tolerance (exactly at it passes), or when it costs more per
request than its cap; cost at today's prices is shown beside, and a price change alone
is never a regression. A group without a baseline warns (fails with --strict or
check.strict: true in llmfin.yaml; --no-strict warns for one run whatever the config), and a
run that shares no group with the baseline is warned about: nothing was compared.
With $GITHUB_STEP_SUMMARY set, the Markdown report is appended to it.
Exit codes: 0 pass · 1 regression · 2 missing or invalid baseline, bad option.

Examples:
  $ llmfin check --run "$GITHUB_RUN_ID" --format markdown
  $ llmfin check --max-increase 5% --max-cost-per-request checkout=0.002 --strict
  $ llmfin check --prompts 'prompts/**/*.{md,txt,hbs}' --model gpt-4o`,
    )
    .action(async (opts: CheckOptions) => {
      const { checkCommand } = await import('./check-run.js');
      await checkCommand(ctx, opts);
    });
}

export interface CheckOptions {
  baseline?: string;
  run?: string;
  since?: string;
  until?: string;
  maxIncrease?: string;
  maxTokenIncrease?: string;
  maxCostPerRequest: string[];
  strict?: boolean;
  prompts: string[];
  model?: string;
}
