/** `llmfin attribute`: registration only; the work is in attribute-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerAttribute(program: Command, ctx: CliContext): void {
  program
    .command('attribute')
    .description('check attribution rules: which rule set which dimension for a ledger row or a set of identifiers')
    .option('--since <when>', 'coverage from: ISO date, UTC time, or 90d / 12w before today')
    .option('--until <when>', 'coverage until (exclusive): ISO date or UTC time')
    .option('--month <YYYY-MM>', 'coverage of one calendar month (UTC)')
    .option('--basis <basis>', 'coverage on the default basis (as reports count money) or one layer: billed, provider_usage, metered', 'default')
    .option('--explain <row|key>', 'a ledger row: its number, or its id as `llmfin export` writes it; or identifiers such as "api_key=sk-support-1,project=proj_web"')
    .addHelpText(
      'after',
      `
Rules live under attribution.rules in llmfin.yaml and apply to all history at report
time: edit a rule and the next report is re-attributed, no re-import needed.

Examples:
  $ llmfin attribute                       # the rules, and how much spend each dimension leaves unattributed
  $ llmfin attribute --month 2026-10       # the same for October, as \`llmfin report --by DIM --month 2026-10\` counts it
  $ llmfin attribute --explain 1042        # ledger row 1042
  $ llmfin attribute --explain req_5c033c115a92000003#1   # a row by the id \`llmfin export\` writes for it
  $ llmfin attribute --explain "api_key=sk-support-prod,model=gpt-4o"`,
    )
    .action(async (opts: { explain?: string; since?: string; until?: string; month?: string; basis: string }) => {
      const { attributeCommand } = await import('./attribute-run.js');
      await attributeCommand(ctx, opts);
    });
}
