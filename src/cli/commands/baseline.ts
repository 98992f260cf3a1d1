/** `llmfin baseline save`: registration only; the work is in baseline-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { collect } from '../collect-option.js';
import { UsageError } from '../../shared/errors.js';

export function registerBaseline(program: Command, ctx: CliContext): void {
  program
    .command('baseline')
    .description('save the baseline that `llmfin check` compares against')
    .argument('[action]', 'save', 'save')
    .option('--by <dim>', 'group requests by feature, scenario (tag scenario, else the feature) or model (default: check.by in llmfin.yaml, else feature)')
    .option('--out <file>', 'where to write it (default: check.baseline in llmfin.yaml, else llmfin.baseline.json)')
    .option('--run <id>', 'only the rows the proxy tagged with this run id (default: $LLMFIN_RUN_ID; else every metered row)')
    .option('--since <when>', 'start: ISO date, UTC time, or 90d / 12w before today')
    .option('--until <when>', 'end (exclusive): ISO date or UTC time')
    .option('--prompts <glob>', 'record prompt templates instead of a run (repeatable), e.g. \'prompts/**/*.{md,txt,hbs}\'', collect, [])
    .option('--model <model>', 'the model prompt templates are tokenized and priced for (default: check.prompts.model, else gpt-4o)')
    .addHelpText(
      'after',
      `
The file has two sections, each rewritten alone: "usage" (a recorded run, per group:
requests, cost and tokens per request, cache hit ratio, model mix, and the token mix to
re-price it) and "prompts" (token counts of templates). Commit it; \`llmfin check\` reads it.

Examples:
  $ llmfin baseline save --run "$GITHUB_SHA"
  $ llmfin baseline save --by scenario --out ci/llmfin.baseline.json
  $ llmfin baseline save --prompts 'prompts/**/*.{md,txt,hbs}' --model gpt-4o`,
    )
    .action(async (action: string, opts: BaselineOptions) => {
      if (action !== 'save') throw new UsageError(`baseline: expected the action "save", got "${action}"`, { option: 'action' });
      const { baselineSaveCommand } = await import('./baseline-run.js');
      await baselineSaveCommand(ctx, opts);
    });
}

export interface BaselineOptions {
  by?: string;
  out?: string;
  run?: string;
  since?: string;
  until?: string;
  prompts: string[];
  model?: string;
}
