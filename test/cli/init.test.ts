import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

/** What a user does to an example in the written llmfin.yaml: remove the "# " in front of its lines. */
function uncommentExamples(text: string, keep: (line: string) => boolean): string {
  return text
    .split('\n')
    .map((line) => (keep(line) ? line : line.replace(/^(\s*)# ((\s*)(- |[a-z_][a-z0-9_]*:( |$)).*)$/, '$1$2')))
    .join('\n');
}

describe('llmfin init', () => {
  it('writes an llmfin.yaml whose examples, uncommented, are a working config', async () => {
    const dir = tempDir();
    const init = await runCli(['init', '--db', './team.db'], { cwd: dir });
    expect(init.code).toBe(0);
    const file = join(dir, 'llmfin.yaml');
    expect(existsSync(join(dir, 'team.db'))).toBe(true);

    // The catalogue example names a folder this project does not have.
    writeFileSync(file, uncommentExamples(readFileSync(file, 'utf8'), (line) => line.includes('catalogue: ./pricing')));

    const budgets = await runJson<{ rows: Array<{ name: string; action: string }> }>(['budget', 'status'], { cwd: dir });
    expect(budgets.rows.map((b) => [b.name, b.action])).toEqual([['support-monthly', 'block']]);

    const route = await runCli(['route', 'explain', 'What is 2+2?'], { cwd: dir });
    expect(route.stderr).toBe('');
    expect(route.code).toBe(0);
    expect(route.stdout).toContain(`routing: in ${file}, mode shadow`);

    const report = await runCli(['report'], { cwd: dir });
    expect(report.code).toBe(0);
  });

  it('writes an absolute --db as given, and a relative one relative to the config', async () => {
    const dir = tempDir();
    const elsewhere = join(tempDir(), 'shared.db');
    const abs = await runCli(['init', '--db', elsewhere], { cwd: dir });
    expect(abs.code).toBe(0);
    // The ledger another folder holds stays that ledger wherever this project is moved or copied.
    expect(readFileSync(join(dir, 'llmfin.yaml'), 'utf8')).toContain(`path: ${JSON.stringify(elsewhere)}`);
    const again = await runCli(['init', '--force', '--db', 'here.db'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'llmfin.yaml'), 'utf8')).toContain('path: "./here.db"');
  });

  it('reads a ~ the shell left (--db=~/…, --config=~/…) as the home folder, not a folder named "~"', async () => {
    const dir = tempDir();
    const home = tempDir();
    const init = await runCli(['init', '--db=~/team.db', '--config=~/llmfin.yaml'], { cwd: dir, env: { HOME: home } });
    expect(init.code).toBe(0);
    expect(existsSync(join(home, 'team.db'))).toBe(true);
    expect(existsSync(join(dir, '~'))).toBe(false);
    // Written as given: llmfin.yaml reads ~ as the home folder too.
    expect(readFileSync(join(home, 'llmfin.yaml'), 'utf8')).toContain('path: "~/team.db"');
    const reprice = await runCli(['pricing', 'reprice', '--dry-run', '--format', 'json'], { cwd: dir, env: { HOME: home, LLMFIN_CONFIG: '~/llmfin.yaml' } });
    expect(reprice.code).toBe(0);
    expect(JSON.parse(reprice.stdout)).toMatchObject({ rows_read: 0 });
    expect(existsSync(join(dir, '~'))).toBe(false);
    // LLMFIN_DB as an .env file holds it, quoted.
    expect((await runCli(['pricing', 'reprice', '--dry-run'], { cwd: dir, env: { HOME: home, LLMFIN_DB: '~/team.db' } })).code).toBe(0);
    expect(existsSync(join(dir, '~'))).toBe(false);
  });

  it('writes the file LLMFIN_CONFIG names, the one later commands read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf'));
    const init = await runCli(['init', '--db', './team.db'], { cwd: dir, env: { LLMFIN_CONFIG: 'conf/llmfin.yaml' } });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(readFileSync(join(dir, 'conf', 'llmfin.yaml'), 'utf8')).toContain('path: "../team.db"');
    expect(existsSync(join(dir, 'llmfin.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'team.db'))).toBe(true);
  });

  it('refuses a --config in no folder, or naming a folder, with exit 2 and nothing written', async () => {
    const dir = tempDir();
    const missing = await runCli(['init', '--config', 'sub/x.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`llmfin: error: no folder ${join(dir, 'sub')} to write x.yaml in`);
    const folder = await runCli(['init', '--force', '--config', '.'], { cwd: dir });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`llmfin: error: ${dir} is a folder; give --config the path of a file`);
    expect(missing.stderr + folder.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('writes a --db holding "$$" or "$\'" into llmfin.yaml as given, and later commands open that ledger', async () => {
    const dir = tempDir();
    // String.replace would read "$$" as "$" and "$'" as the rest of the file.
    for (const db of ['./costs$$2026.db', "./q$'.db"]) {
      const init = await runCli(['init', '--force', '--db', db], { cwd: dir });
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(readFileSync(join(dir, 'llmfin.yaml'), 'utf8')).toContain(`  path: ${JSON.stringify(db)}\n`);
      const status = await runJson<{ rows: unknown[] }>(['budget', 'status'], { cwd: dir });
      expect(status.rows).toEqual([]);
    }
  });

  it('refuses a --db that llmfin.yaml would read as an environment variable, with exit 2 and nothing written', async () => {
    const dir = tempDir();
    const init = await runCli(['init', '--db', './$team/ledger.db'], { cwd: dir });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('llmfin: error: --db: expected a path llmfin.yaml can name');
    expect(init.stderr).toContain('"./$team/ledger.db"');
    expect(init.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(join(dir, 'llmfin.yaml'))).toBe(false);
    expect(existsSync(join(dir, '$team'))).toBe(false);
  });
});
