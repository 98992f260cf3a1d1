/** `llmfin demo`: the first thing a new user runs. Registration only; the work is in demo-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('build a ledger from the bundled sample data and show the main views')
    .addHelpText(
      'after',
      `
The sample is three months (August–October 2026) of metered usage for a SaaS company: five teams,
nine features, six customers, four providers, nine models. Nothing leaves this machine.

Examples:
  $ llmfin demo                      ledger in a fresh temporary folder (path printed)
  $ llmfin demo --db ./demo.db       keep the ledger where you want it
  $ llmfin demo --format json        the same views as one JSON document`,
    )
    .action(async () => {
      const { runDemo } = await import('./demo-run.js');
      await runDemo(ctx);
    });
}
