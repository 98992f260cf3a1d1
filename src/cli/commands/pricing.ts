/**
 * `llmfin pricing list|show|cost|update|reprice`: browse the catalogue, price one usage,
 * refresh the catalogue from a newer public dataset file, price the ledger again.
 */
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';

const SERVICE_TIERS_CLI = ['standard', 'batch', 'flex', 'priority', 'fast'] as const;

export function registerPricing(program: Command, ctx: CliContext): void {
  const pricing = program
    .command('pricing')
    .description('the price catalogue: list, show, cost, update, reprice')
    .addHelpText(
      'after',
      `
Examples:
  $ llmfin pricing list --provider openai
  $ llmfin pricing show claude-sonnet-4-5
  $ llmfin pricing cost --model gpt-4o --input 2006 --cache-read 1920 --output 300
  $ llmfin pricing update model_prices_and_context_window.json
  $ llmfin pricing reprice --dry-run`,
    );

  pricing
    .command('list')
    .description('list priced models with their current per-1M-token rates')
    .option('--provider <id>', 'only this provider (openai, anthropic, google, bedrock, …)')
    .option('--search <text>', 'only models with an id, alias or name containing this text')
    .option('--at <time>', 'prices in force at this ISO date/time (default: now)')
    .addHelpText('after', '\nExamples:\n  $ llmfin pricing list --provider anthropic\n  $ llmfin pricing list --search flash --format json')
    .action(async (opts: { provider?: string; search?: string; at?: string }) => {
      const { pricingList } = await import('./pricing-list.js');
      await pricingList(ctx, opts);
    });

  pricing
    .command('show')
    .description('everything the catalogue knows about one model: ids, offerings, periods, tiers, modifiers')
    .argument('<model>', 'model id as any provider or SDK writes it')
    .option('--provider <id>', 'provider, when the id alone is ambiguous')
    .addHelpText(
      'after',
      '\nEach price period is marked ended, current (the one prices are found in today) or scheduled\n(it starts later: `forecast` counts a price change from its day).\n\nExamples:\n  $ llmfin pricing show claude-sonnet-4-5\n  $ llmfin pricing show us.anthropic.claude-sonnet-4-6-v1:0 --format json',
    )
    .action(async (model: string, opts: { provider?: string }) => {
      const { pricingShow } = await import('./pricing-show.js');
      await pricingShow(ctx, model, opts);
    });

  pricing
    .command('cost')
    .description('price one usage exactly, with its breakdown')
    .option('--provider <id>', 'provider (default: inferred from the model id)')
    .requiredOption('--model <id>', 'model id as the provider reported it')
    .option('--input <n>', "input tokens as the provider reported them, in its own convention (OpenAI/Gemini include cached tokens; Anthropic's exclude them)")
    .option('--uncached-input <n>', 'uncached input tokens only, whatever the convention (instead of --input)')
    .option('--output <n>', 'output tokens as reported (OpenAI/Anthropic include reasoning)')
    .option('--cache-read <n>', 'tokens read from the prompt cache')
    .option('--cache-write-5m <n>', 'tokens written to the 5-minute cache (or a cache with no stated TTL)')
    .option('--cache-write-1h <n>', 'tokens written to the 1-hour cache')
    .option('--reasoning <n>', 'reasoning/thinking tokens (part of output, except Gemini where they are added)')
    .option('--requests <n>', 'requests this usage covers (per-request fees; default 1)')
    .option('--web-searches <n>', "server-side web searches (Anthropic's server_tool_use.web_search_requests, OpenAI's web_search_call items), priced per search")
    .option('--at <time>', 'when the request was made, ISO 8601 UTC (default: now)')
    .addOption(new Option('--service-tier <tier>', 'tier that served the request').choices([...SERVICE_TIERS_CLI]))
    .option('--region <geo>', 'geo / data-residency uplift key, e.g. us or eu')
    .option('--offering <scope>', 'offering scope, e.g. global or regional (Bedrock), eu (Azure)')
    .addHelpText(
      'after',
      `
The price period used is marked as \`pricing show\` marks it: ended, current (the one prices
are found in today) or scheduled (it starts later).

Examples:
  $ llmfin pricing cost --model gpt-4o --input 2006 --cache-read 1920 --output 300
  $ llmfin pricing cost --model claude-opus-5 --cache-write-1h 344139
  $ llmfin pricing cost --model claude-sonnet-4-5 --input 41000 --output 6200 --web-searches 3
  $ llmfin pricing cost --provider bedrock --model us.anthropic.claude-sonnet-4-6 --input 1000000 --output 1000000
  $ llmfin pricing cost --model gpt-5.6-terra --input 100000 --output 10000 --at 2026-07-29 --format json`,
    )
    .action(async (opts: Record<string, string | undefined>) => {
      const { pricingCost } = await import('./pricing-cost.js');
      await pricingCost(ctx, opts);
    });

  pricing
    .command('reprice')
    .description('price the ledger again with the current catalogue and llmfin.yaml (after `pricing update`, a discount, a custom model)')
    .option('--since <when>', 'start: ISO date, UTC time, or 90d / 12w before today')
    .option('--until <when>', 'end (exclusive)')
    .option('--month <YYYY-MM>', 'one calendar month (UTC)')
    .option('--dry-run', 'say what would change, write nothing')
    .addHelpText(
      'after',
      `
Rows llmfin priced (metered, provider usage) are priced again from their tokens at their own
time; billed rows keep the bill and get a new estimate beside it. Unpriced rows whose model is
now known get a price. Nothing else changes, and reports pick the new prices up at once.

Examples:
  $ llmfin pricing update litellm-prices.json && llmfin pricing reprice --dry-run
  $ llmfin pricing reprice --month 2026-10`,
    )
    .action(async (opts: { since?: string; until?: string; month?: string; dryRun?: boolean }) => {
      const { pricingReprice } = await import('./pricing-reprice.js');
      await pricingReprice(ctx, opts);
    });

  pricing
    .command('update')
    .description('rebuild the catalogue from a newer LiteLLM or genai-prices data file')
    .argument('<files...>', 'model_prices_and_context_window.json and/or genai-prices data.json')
    .option('--out <dir>', 'where to write the catalogue (default: your data directory, used automatically)')
    .option('--dry-run', 'show what would change without writing')
    .option('--allow-removals', 'write it even when it drops over a quarter of the models priced now (a partial dataset, by default refused)')
    .addHelpText('after', '\nExamples:\n  $ llmfin pricing update ~/Downloads/model_prices_and_context_window.json\n  $ llmfin pricing update litellm.json genai-data.json --dry-run')
    .action(async (files: string[], opts: { out?: string; dryRun?: boolean; allowRemovals?: boolean }) => {
      const { pricingUpdate } = await import('./pricing-update.js');
      await pricingUpdate(ctx, files, opts);
    });
}
