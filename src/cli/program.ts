/**
 * Builds the commander program: global options, every command of the contract
 * (PRODUCT.md), help with examples. Command files register themselves and load
 * their heavy dependencies only when they run.
 */
import { Command, Help, Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { CliIO } from './cli-io.js';
import { CliContext, OUTPUT_FORMATS } from './cli-context.js';
import { COMMANDS } from './commands/index.js';
import { LLMFIN_VERSION } from './version.js';

const EXAMPLES = `
Examples:
  $ llmfin demo                                   build a sample ledger and show it
  $ llmfin init                                   write a starter llmfin.yaml
  $ llmfin pricing cost --model gpt-4o --input 2006 --cache-read 1920 --output 300
  $ llmfin pricing list --provider anthropic
  $ llmfin import usage.json costs.csv            (sources: llmfin sources)
  $ llmfin report --by team,feature --month 2026-10
  $ llmfin reconcile --month 2026-10
  $ llmfin proxy --port 8787                      then point your SDK's base URL at it
  $ llmfin top                                    live spend and budget bars
  $ llmfin check --baseline llmfin.baseline.json  in CI

Exit codes: 0 ok · 1 a check or policy failed · 2 bad usage, input or config · 3 internal error
Environment: LLMFIN_DB (ledger path), LLMFIN_CONFIG (config file), NO_COLOR, FORCE_COLOR
Docs: README.md`;

export function buildProgram(io: CliIO, chalk: ChalkInstance): Command {
  const program = new Command('llmfin');
  const ctx = new CliContext(io, chalk, program);
  program
    .description('AI FinOps in a terminal and in CI: one local ledger for every LLM dollar.')
    .version(LLMFIN_VERSION, '-V, --version', 'print the version')
    .addOption(new Option('--db <path>', 'ledger file (default: $LLMFIN_DB, then llmfin.yaml, then your data directory)'))
    .addOption(new Option('--config <path>', 'config file (default: $LLMFIN_CONFIG, then llmfin.yaml here or in a parent)'))
    .addOption(new Option('--format <format>', `output format: ${OUTPUT_FORMATS.join(', ')}`).default('table'))
    .addOption(new Option('--debug', 'print stack traces and internals on errors'))
    .showHelpAfterError('(run with --help for usage)')
    // Every command's --help lists --db, --config and --format too: they are the root's
    // options, and a user reading `llmfin report --help` should not have to know that.
    .configureHelp({
      showGlobalOptions: true,
      // Not --version (it belongs to `llmfin` alone), nor a root option the command
      // redefines (export's own --format).
      visibleGlobalOptions(this: Help, cmd: Command) {
        const own = new Set(cmd.options.map((o) => o.long));
        return Help.prototype.visibleGlobalOptions.call(this, cmd).filter((o) => o.long !== '--version' && !own.has(o.long));
      },
    })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's own errors ("error: unknown option '--bogus'") read as every other error does.
      outputError: (s, write) => write(chalk.red(s.startsWith('error: ') ? `llmfin: ${s}` : s)),
    })
    .addHelpText('after', EXAMPLES);
  for (const register of COMMANDS) register(program, ctx);
  // The root's --format is parsed wherever it stands on the line, so it cannot refuse a
  // value itself: a command with formats of its own (export: focus, csv, jsonl) declares
  // its own --format and reads it; every other command is held to the output formats here.
  program.hook('preAction', (_root, action) => {
    if (action.options.some((o) => o.long === '--format')) return;
    const format = program.getOptionValue('format') as unknown;
    if (typeof format === 'string' && !(OUTPUT_FORMATS as readonly string[]).includes(format)) {
      program.error(`error: option '--format <format>' argument '${format}' is invalid. Allowed choices are ${OUTPUT_FORMATS.join(', ')}.`, {
        code: 'commander.invalidArgument',
        exitCode: 2,
      });
    }
  });
  return program;
}
