/** `llmfin init`: write a commented starter llmfin.yaml and create the ledger. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('write a starter llmfin.yaml here and create the ledger')
    .option('--force', 'overwrite an existing llmfin.yaml')
    .addHelpText('after', '\nWith --db, the llmfin.yaml written points at that ledger. With --config (or LLMFIN_CONFIG),\nthat file is written instead of ./llmfin.yaml.\n\nExamples:\n  $ llmfin init\n  $ llmfin init --db ./team-ledger.db')
    .action(async (opts: { force?: boolean }) => {
      const { existsSync, readFileSync, rmSync, statSync, writeFileSync } = await import('node:fs');
      const { basename, dirname, isAbsolute, relative, resolve } = await import('node:path');
      const { STARTER_CONFIG, withLedgerPath } = await import('../../config/starter-config.js');
      const { LlmfinError, UsageError } = await import('../../shared/errors.js');
      const { namesEnvironmentVariable } = await import('../../config/names-environment-variable.js');
      // The file later commands will read: --config, else LLMFIN_CONFIG (which they read
      // before any llmfin.yaml here), else llmfin.yaml in this folder.
      const { expandHome } = await import('../../config/expand-home.js');
      const target = resolve(ctx.io.cwd, expandHome(ctx.globals.config ?? (ctx.io.env.LLMFIN_CONFIG || undefined) ?? 'llmfin.yaml', ctx.io.env));
      const folder = dirname(target);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) {
        throw new LlmfinError(`no folder ${folder} to write ${basename(target)} in`, { hint: 'create the folder first, or give --config a path in an existing one' });
      }
      if (existsSync(target) && statSync(target).isDirectory()) {
        throw new LlmfinError(`${target} is a folder; give --config the path of a file`);
      }
      if (existsSync(target) && !opts.force) {
        throw new LlmfinError(`${target} already exists`, { hint: 'use --force to overwrite it' });
      }
      // `--db` given here is where this project's ledger lives: the config says so, relative
      // to itself, so later commands in this folder open the same ledger without the flag.
      let text = STARTER_CONFIG;
      // An absolute --db is written as given: a ledger outside the project stays that
      // ledger when the project folder is moved or copied. So is one in the home folder
      // (`~/…`), which llmfin.yaml reads as such.
      if (ctx.globals.db !== undefined) {
        const given = ctx.globals.db;
        const rel = relative(dirname(target), resolve(ctx.io.cwd, given));
        const inHome = /^~(\/|$)/.test(given);
        const ledgerPath = inHome ? given : isAbsolute(given) ? resolve(given) : isAbsolute(rel) || rel.startsWith('..') ? rel : `./${rel}`;
        // The config every later command reads would refuse it: say so before anything is written.
        if (namesEnvironmentVariable(ledgerPath)) {
          throw new UsageError(`--db: expected a path llmfin.yaml can name (it expands no environment variables), got ${JSON.stringify(ctx.globals.db)}`, {
            option: '--db',
            hint: 'give the path with the variable expanded (let the shell do it: --db "$HOME/x.db"), or set LLMFIN_DB instead of writing the ledger into llmfin.yaml',
          });
        }
        text = withLedgerPath(STARTER_CONFIG, ledgerPath);
      }
      const previous = existsSync(target) ? readFileSync(target) : undefined;
      try {
        writeFileSync(target, text);
      } catch (error) {
        // A read-only folder or a full disk is about the path given, not a fault of llmfin's.
        throw new LlmfinError(`cannot write ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      let ledgerPath: string;
      try {
        const ledger = await ctx.openLedger({ create: true });
        ledgerPath = ledger.path;
        await ledger.close();
      } catch (error) {
        // No half-done init: without a ledger, the config file goes back to what it was.
        if (previous === undefined) rmSync(target, { force: true });
        else writeFileSync(target, previous);
        throw error;
      }
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
