/** `llmfin reconcile`: registration only; the work is in reconcile-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerReconcile(program: Command, ctx: CliContext): void {
  program
    .command('reconcile')
    .description("metered and provider-usage estimates against billed amounts and invoices, per provider and month, with the variance explained")
    .option('--month <YYYY-MM>', 'one calendar month (UTC)')
    .option('--since <when>', 'start: ISO date, UTC time, or 90d / 12w before today')
    .option('--until <when>', 'end (exclusive)')
    .option('--provider <id>', 'one provider only')
    .option('--fail-over <pct>', 'exit 1 when any unexplained variance exceeds this percentage of the bill (e.g. 2 or 2%)')
    .addHelpText(
      'after',
      `
The reference is what the provider billed (cost exports, CUR…; else the invoice's usage
lines); the estimate is provider usage priced by llmfin (else metered rows). Their
difference is broken into causes: billed lines without a model, models llmfin could not
price, models absent from the estimate — and per-model price differences, which are the
unexplained part (a discount or price llmfin does not know). Invoice credits, tax and
fees, and traffic that bypassed the proxy, are listed beside it.

Examples:
  $ llmfin reconcile --month 2026-10
  $ llmfin reconcile --provider openai --since 90d --format json
  $ llmfin reconcile --month 2026-10 --fail-over 2%     # in a monthly finance job`,
    )
    .action(async (opts: { month?: string; since?: string; until?: string; provider?: string; failOver?: string }) => {
      const { reconcileCommand } = await import('./reconcile-run.js');
      await reconcileCommand(ctx, opts);
    });
}
