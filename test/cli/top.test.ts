// `llmfin top` without a terminal, and its option checks (in-process).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { insertRows } from '../tui/helpers/insert-rows.js';
import { parseRefresh } from '../../src/cli/commands/top-run.js';

describe('llmfin top', () => {
  it('exits 2 when stdout is not a terminal, pointing at report and budget status', async () => {
    const r = await runCli(['top']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('llmfin top draws a live dashboard and needs a terminal');
    expect(r.stderr).toContain('llmfin report');
    expect(r.stderr).toContain('llmfin budget status');
  });

  it('checks --by and --refresh before drawing anything', async () => {
    const by = await runCli(['top', '--by', 'provider'], { tty: true });
    expect(by.code).toBe(2);
    expect(by.stderr).toContain('--by: expected one of team, agent, feature, customer, model, got "provider"');
    const refresh = await runCli(['top', '--refresh', '10ms'], { tty: true });
    expect(refresh.code).toBe(2);
    expect(refresh.stderr).toContain('--refresh: expected an interval from 250ms to 60s');
  });

  it('--format json, csv or markdown is exit 2 naming the option, rather than a dashboard drawn where a script expects data', async () => {
    for (const format of ['json', 'csv', 'markdown']) {
      const r = await runCli(['top', '--format', format], { tty: true });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: --format ${format}: llmfin top draws a live dashboard and prints no ${format}`);
      expect(r.stderr).toContain(`llmfin budget status --format ${format}`);
    }
  });

  it('--demo-rate without --demo is exit 2 rather than a dashboard that ignores it', async () => {
    const cwd = tempDir();
    const r = await runCli(['top', '--demo-rate', '50', '--db', join(cwd, 'l.db')], { cwd, tty: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('llmfin: error: --demo-rate: only with --demo, which writes the sample requests at that rate');
    expect(r.stderr).toContain('hint: add --demo, or drop --demo-rate');
  });

  it('--demo never writes its sample company into a ledger that holds real rows (--db or LLMFIN_DB)', async () => {
    const cwd = tempDir();
    const path = join(cwd, 'real.db');
    await (await openLedger(path)).close();
    insertRows(path, [{ ts: '2026-11-30T12:00:00.000Z', costTicks: 35_000_000n, team: 'support' }]);
    const count = () => {
      const db = new Database(path, { readonly: true });
      try {
        return (db.prepare('select count(*) as n from usage_entries').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const flag = await runCli(['top', '--demo', '--db', path], { cwd, tty: true });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`--db: ${path} already holds 1 ledger row not written by the demo`);
    expect(flag.stderr).toContain('no --db (and no LLMFIN_DB) for a temporary ledger');
    const env = await runCli(['top', '--demo'], { cwd, tty: true, env: { LLMFIN_DB: path } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain(`LLMFIN_DB: ${path} already holds 1 ledger row not written by the demo`);
    expect(count()).toBe(1);
  });

  it('reads refresh intervals', () => {
    expect(parseRefresh('1s')).toBe(1000);
    expect(parseRefresh('500ms')).toBe(500);
    expect(parseRefresh('2.5s')).toBe(2500);
    expect(parseRefresh('3')).toBe(3000);
    // The upper bound said as a minute is the upper bound.
    expect(parseRefresh('1m')).toBe(60_000);
    expect(parseRefresh('0.5m')).toBe(30_000);
    expect(() => parseRefresh('2m')).toThrow(/from 250ms to 60s/);
    expect(() => parseRefresh('fast')).toThrow(/--refresh/);
  });

  it('is listed with its keys in --help', async () => {
    const r = await runCli(['top', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--by <dim>');
    expect(r.stdout).toContain('--demo');
    expect(r.stdout).toContain('q quit');
  });
});
