import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { Chalk } from 'chalk';
import { CliContext, parseTimeOption } from '../../src/cli/cli-context.js';
import { memoryIO } from '../../src/cli/cli-io.js';
import { tempDir } from '../helpers/cli.js';

function context(argv: string[], env: Record<string, string>, cwd: string): CliContext {
  const root = new Command().option('--db <path>').option('--config <path>').allowExcessArguments(true);
  root.parse(argv, { from: 'user' });
  return new CliContext(memoryIO({ env, cwd }), new Chalk({ level: 0 }), root);
}

describe('ledger path precedence: --db > LLMFIN_DB > llmfin.yaml > data directory', () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'llmfin.yaml'), 'ledger:\n  path: ./from-config.db\n');
  const env = { HOME: cwd, XDG_DATA_HOME: join(cwd, 'xdg') };

  it('flag wins', async () => {
    expect(await context(['--db', 'flag.db'], { ...env, LLMFIN_DB: 'env.db' }, cwd).ledgerPath()).toBe(join(cwd, 'flag.db'));
  });
  it('then the environment', async () => {
    expect(await context([], { ...env, LLMFIN_DB: 'env.db' }, cwd).ledgerPath()).toBe(join(cwd, 'env.db'));
  });
  it('then the config file, relative to the file', async () => {
    const sub = join(cwd, 'sub');
    await import('node:fs').then((fs) => fs.mkdirSync(sub, { recursive: true }));
    expect(await context([], env, sub).ledgerPath()).toBe(join(cwd, 'from-config.db'));
  });
  it('an empty --db is refused naming it, not read as no --db (another ledger than the one meant)', async () => {
    await expect(context(['--db', ''], { ...env, LLMFIN_DB: 'env.db' }, cwd).ledgerPath()).rejects.toThrow("--db: expected the ledger file's path, got an empty string");
  });
  it('then the data directory', async () => {
    const bare = tempDir();
    expect(await context([], { HOME: bare, XDG_DATA_HOME: join(bare, 'xdg') }, bare).ledgerPath()).toBe(join(bare, 'xdg', 'llmfin', 'ledger.db'));
  });
});

describe('parseTimeOption', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads dates and times as UTC', () => {
    expect(parseTimeOption('--at', '2026-07-30', now).toISOString()).toBe('2026-07-30T00:00:00.000Z');
    expect(parseTimeOption('--at', '2026-07-30T12:30', now).toISOString()).toBe('2026-07-30T12:30:00.000Z');
    expect(parseTimeOption('--at', '2026-07-30T12:30:00+02:00', now).toISOString()).toBe('2026-07-30T10:30:00.000Z');
    expect(parseTimeOption('--at', undefined, now)).toBe(now);
  });
  it('rejects anything else with exit 2', () => {
    for (const bad of ['yesterday', '30/07/2026', '2026-02-30', '2026-02-30T10:00:00Z', '2026-13-01', '']) expect(() => parseTimeOption('--at', bad, now)).toThrow(/--at: expected an ISO 8601/);
  });
  it('says how to ask for a whole month when given one alone, December into the next year', () => {
    const hint = (value: string) => {
      try {
        parseTimeOption('--since', value, now);
      } catch (error) {
        return (error as { hint?: string }).hint;
      }
      return 'accepted';
    };
    expect(hint('2026-10')).toBe('a whole month is --since 2026-10-01 --until 2026-11-01 (or --month 2026-10, where the command has it)');
    expect(hint('2026-12')).toBe('a whole month is --since 2026-12-01 --until 2027-01-01 (or --month 2026-12, where the command has it)');
    expect(hint('2026-13')).toBeUndefined();
    expect(hint('yesterday')).toBeUndefined();
  });
});
