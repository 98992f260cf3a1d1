/** `llmfin init`: write a commented starter llmfin.yaml and create the ledger. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('write a starter llmfin.yaml here and create the ledger')
    .option('--force', 'overwrite an existing llmfin.yaml')
    .addHelpText('after', '\nExamples:\n  $ llmfin init\n  $ llmfin init --db ./team-ledger.db')
    .action(async (opts: { force?: boolean }) => {
      const { existsSync, writeFileSync } = await import('node:fs');
      const { resolve } = await import('node:path');
      const { STARTER_CONFIG } = await import('../../config/starter-config.js');
      const { LlmfinError } = await import('../../shared/errors.js');
      const target = resolve(ctx.io.cwd, ctx.globals.config ?? 'llmfin.yaml');
      if (existsSync(target) && !opts.force) {
        throw new LlmfinError(`${target} already exists`, { hint: 'use --force to overwrite it' });
      }
      writeFileSync(target, STARTER_CONFIG);
      const ledger = await ctx.openLedger({ create: true });
      const ledgerPath = ledger.path;
      await ledger.close();
      const out = ctx.io.stdout;
      if (ctx.globals.format === 'json') {
        out.write(`${JSON.stringify({ config: target, ledger: ledgerPath }, null, 2)}\n`);
        return;
      }
      out.write(`${ctx.chalk.green('✓')} wrote ${target}\n`);
      out.write(`${ctx.chalk.green('✓')} ledger ready at ${ledgerPath}\n`);
      out.write('\nNext: `llmfin demo` to see a sample ledger, or `llmfin pricing cost --help` to price a request.\n');
    });
}
