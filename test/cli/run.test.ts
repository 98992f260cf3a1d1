import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runCli, tempDir } from '../helpers/cli.js';
import { memoryIO } from '../../src/cli/cli-io.js';
import { makeChalk } from '../../src/cli/color.js';
import { buildProgram } from '../../src/cli/program.js';

describe('llmfin (program)', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists every command of the contract, with examples', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['init', 'demo', 'import', 'sources', 'report', 'reconcile', 'forecast', 'budget', 'anomalies', 'insights', 'proxy', 'route', 'top', 'check', 'baseline', 'pricing', 'export']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes:');
  });

  it('every command has examples in its help, and lists the global options', async () => {
    // Every leaf of the command tree, so that a new command is held to this too.
    const program = buildProgram(memoryIO(), makeChalk(memoryIO()));
    const leaves: string[][] = [];
    const walk = (cmd: Command, path: string[]) => {
      if (cmd.commands.length === 0) leaves.push(path);
      for (const sub of cmd.commands) walk(sub, [...path, sub.name()]);
    };
    walk(program, []);
    expect(leaves.length).toBeGreaterThanOrEqual(24);
    for (const argv of leaves) {
      const r = await runCli([...argv, '--help']);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout, argv.join(' ')).toMatch(/Examples:\n {2}\$ .*llmfin /);
      expect(r.stdout, argv.join(' ')).toMatch(/Global Options:\n(.*\n)* {2}--db <path>/);
      expect(r.stdout, argv.join(' ')).not.toContain('--version');
      // A root option a command defines itself (export's --format) is listed once.
      expect(r.stdout.match(/^ {2}--format </gm)?.length ?? 0, argv.join(' ')).toBeLessThanOrEqual(1);
    }
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['pricing', 'cost', '--model', 'x', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("llmfin: error: unknown option '--bogus'");
    expect((await runCli(['frobnicate'])).stderr).toMatch(/^llmfin: error: unknown command 'frobnicate'/);
  });

  it('--format accepts only the documented formats', async () => {
    const r = await runCli(['pricing', 'list', '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^llmfin: error: option '--format <format>' argument 'yaml' is invalid\. Allowed choices are table, json, csv, markdown/);
  });

  it('a broken llmfin.yaml gives file:line, the option, and exit 2 — no stack trace', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  discounts:\n    - provider: openai\n      percent: lots\n');
    const r = await runCli(['pricing', 'list'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin.yaml:4: pricing.discounts.0.percent: expected number, got string "lots"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('colour follows NO_COLOR and FORCE_COLOR', async () => {
    const plain = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '10'], { env: { NO_COLOR: '1' }, tty: true });
    expect(plain.stdout.includes('\u001b[')).toBe(false);
    const forced = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '10'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout.includes('\u001b[')).toBe(true);
  });
});
