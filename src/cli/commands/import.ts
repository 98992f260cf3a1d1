/** `llmfin import FILE...` and `llmfin sources`: registration only; the work is in import-run.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import usage exports, cost exports and logs; the source is detected from the content')
    .argument('[files...]', 'files to import (.csv, .json, .jsonl, also gzipped)')
    .option('--source <id>', 'skip detection and read every file as this source (see `llmfin sources`)')
    .option('--dry-run', 'read, price and count everything as the import would (duplicates, replaced rows), then write nothing')
    .option('--skip-invalid', 'import the good rows and write the bad ones, with reasons, to a rejects file')
    .option('--rejects <file>', 'where --skip-invalid writes rejected rows (default FILE.rejects.jsonl)')
    .option('--account <name>', 'the organisation the files come from, for exports that do not name it (Anthropic Console CSVs): keeps two organisations\' files of a period apart')
    .option('--allow-overlap', 'import files beside earlier imports of their source that look like the same usage grouped otherwise (another project\'s export): they are other usage')
    .option('--list', 'list the import batches in the ledger')
    .option('--undo <batch>', 'remove one import batch and its rows (one per command)', (id: string, given: string[] | undefined) => [...(given ?? []), id])
    .addHelpText(
      'after',
      `
Importing the same file twice changes nothing. For cost exports (which are the whole truth
for their period), a corrected export replaces what an earlier one said about that period.
A file with a bad row imports nothing unless --skip-invalid is given. An empty file
(0 bytes or blank lines only) is passed over with a warning, not an error. Exports that do not
name their organisation (every Anthropic organisation has a workspace "Default") need
--account NAME when you import more than one organisation's, or the second replaces the first.

Examples:
  $ llmfin import usage-2026-10.json costs-2026-10.json
  $ llmfin import cur-2026-10.csv.gz --dry-run
  $ llmfin import spend_logs.csv --source litellm --skip-invalid
  $ llmfin import claude_api_cost_eu.csv --account acme-eu
  $ llmfin import --list
  $ llmfin import --undo 7`,
    )
    .action(async (files: string[], opts: { source?: string; dryRun?: boolean; skipInvalid?: boolean; rejects?: string; account?: string; allowOverlap?: boolean; list?: boolean; undo?: string[] }) => {
      const { importCommand } = await import('./import-run.js');
      await importCommand(ctx, files, opts);
    });

  program
    .command('sources')
    .description('list import sources: what each reads and where to get the file')
    .addHelpText('after', '\nExamples:\n  $ llmfin sources\n  $ llmfin sources --format json')
    .action(async () => {
      const { sourcesCommand } = await import('./import-run.js');
      await sourcesCommand(ctx);
    });
}
