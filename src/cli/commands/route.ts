/** `llmfin route explain|score|simulate|feedback`: registration only; the work is in route-*.ts. */
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { ROUTE_OUTCOMES } from '../../ledger/ledger-schema.js';

export function registerRoute(program: Command, ctx: CliContext): void {
  const route = program
    .command('route')
    .description('model routing: explain a decision, score prompts in bulk, replay history under a policy, record outcomes')
    .addHelpText(
      'after',
      `
Routing is configured under routing: in llmfin.yaml (tiers of models, rules, mode shadow|enforce).
Without tiers there, explain, score and simulate use a built-in example policy and say so.

Examples:
  $ llmfin route explain "Refactor this function to be async" --agent coder
  $ cat prompts.jsonl | llmfin route score > scores.jsonl
  $ llmfin route simulate --since 30d --policy candidate.yaml
  $ llmfin route feedback --request-id req_123 --outcome bad`,
    );

  route
    .command('explain')
    .description('score one prompt and show the tier, model and why')
    .argument('<prompt>', 'the prompt text (quote it), or - to read it from stdin (a long prompt, a file)')
    .option('--agent <agent>', 'agent id (cohort priors and per-agent rules)')
    .option('--feature <feature>', 'feature id (cohort priors and per-feature rules)')
    .option('--system <text>', 'the system prompt the request carries: its hash is part of the cohort, its length of the context, as in the proxy')
    .option('--model <model>', 'the model the request asks for (default: the top tier\'s priciest model)')
    .addOption(new Option('--dialect <dialect>', 'the API dialect the client speaks').choices(['openai', 'anthropic']).default('openai'))
    .option('--policy <file>', 'a routing policy file instead of llmfin.yaml')
    .option('--no-priors', 'ignore the cohort outcomes learned from the ledger')
    .addHelpText('after', `
Examples:
  $ llmfin route explain "Summarise this ticket in two lines"
  $ llmfin route explain - --agent coder < prompt.txt
  $ llmfin route explain "Prove that the algorithm terminates" --agent planner --model gpt-4o
  $ llmfin route explain "Where is my order?" --agent support --system "$(cat support-prompt.txt)"
  $ llmfin route explain "Fix the failing test" --dialect anthropic --policy candidate.yaml --format json`)
    .action(async (prompt: string, opts: ExplainOptions) => {
      const { routeExplainCommand } = await import('./route-explain.js');
      await routeExplainCommand(ctx, prompt, opts);
    });

  route
    .command('score')
    .description('JSONL on stdin, one {"prompt"|"messages", "agent"?, "feature"?, "model"?} per line → JSONL {"score","tier","model"} on stdout')
    .option('--input <file>', 'read this file instead of stdin')
    .addOption(new Option('--dialect <dialect>', 'the API dialect of the requests').choices(['openai', 'anthropic']).default('openai'))
    .option('--policy <file>', 'a routing policy file instead of llmfin.yaml')
    .option('--no-priors', 'ignore the cohort outcomes learned from the ledger')
    .addHelpText('after', `
Examples:
  $ echo '{"prompt":"What is 2+2?"}' | llmfin route score
  $ llmfin route score --input prompts.jsonl --policy candidate.yaml > scores.jsonl
  $ llmfin route score --input chats.jsonl --dialect anthropic --no-priors`)
    .action(async (opts: ScoreOptions) => {
      const { routeScoreCommand } = await import('./route-score.js');
      await routeScoreCommand(ctx, opts);
    });

  route
    .command('simulate')
    .description('replay recorded requests under a policy: $ saved, share per tier, by agent')
    .option('--since <when>', 'start: ISO date, UTC time, or 30d / 4w before today (default: the 30 days before --until, else 30d)')
    .option('--until <when>', 'end (exclusive; default now)')
    .option('--policy <file>', 'the policy to replay (default: routing: in llmfin.yaml)')
    .option('--no-priors', 'ignore the cohort outcomes learned from the ledger')
    .addHelpText('after', `
Examples:
  $ llmfin route simulate --since 30d
  $ llmfin route simulate --since 2026-10-01 --until 2026-11-01 --policy candidate.yaml
  $ llmfin route simulate --since 7d --format json
  $ llmfin route simulate --until 2026-11-01        the 30 days before November`)
    .action(async (opts: SimulateOptions) => {
      const { routeSimulateCommand } = await import('./route-simulate.js');
      await routeSimulateCommand(ctx, opts);
    });

  route
    .command('feedback')
    .description('record how a routed request turned out; cohort priors learn from it')
    .requiredOption('--request-id <id>', 'the x-llmfin-request-id the proxy returned')
    .addOption(new Option('--outcome <outcome>', 'how the answer was').choices([...ROUTE_OUTCOMES]).makeOptionMandatory())
    .option('--note <text>', 'a short note kept with the feedback (at most 1,000 characters)')
    .addHelpText('after', `
Examples:
  $ llmfin route feedback --request-id req_123 --outcome bad --note "missed the edge case"
  $ llmfin route feedback --request-id req_456 --outcome good`)
    .action(async (opts: { requestId: string; outcome: (typeof ROUTE_OUTCOMES)[number]; note?: string }) => {
      const { routeFeedbackCommand } = await import('./route-feedback.js');
      await routeFeedbackCommand(ctx, opts);
    });
}

export interface PolicyOptions {
  policy?: string;
  priors: boolean;
}
export interface ExplainOptions extends PolicyOptions {
  agent?: string;
  feature?: string;
  system?: string;
  model?: string;
  dialect: 'openai' | 'anthropic';
}
export interface ScoreOptions extends PolicyOptions {
  input?: string;
  dialect: 'openai' | 'anthropic';
}
export interface SimulateOptions extends PolicyOptions {
  since?: string;
  until?: string;
}
