// `llmfin import --list` and `--undo` import nothing: a file or an import option given with
// them was ignored without a word, and `--undo N --dry-run` removed the batch it was meant
// to preview. Each is now exit 2 naming the option, the ledger unchanged. `--rejects`
// without `--skip-invalid` (which alone writes rejects) is refused the same way.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

/** A ledger holding one batch: one gpt-4o request, 1,000 input and 100 output tokens ($0.0035). */
async function ledgerWithOneBatch(): Promise<{ cwd: string; db: string }> {
  const cwd = tempDir();
  const db = join(cwd, 'ledger.db');
  writeFileSync(join(cwd, 'rows.jsonl'), '{"id":"a","ts":"2026-10-01T00:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}\n');
  const r = await runCli(['import', 'rows.jsonl', '--db', db], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return { cwd, db };
}

async function total(cwd: string, db: string): Promise<{ cost_usd: number; requests: number }> {
  const r = await runCli(['report', '--db', db, '--format', 'json'], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).total;
}

describe('import --undo N --dry-run', () => {
  it('is exit 2 and leaves the batch and its rows in the ledger', async () => {
    const { cwd, db } = await ledgerWithOneBatch();
    const r = await runCli(['import', '--undo', '1', '--dry-run', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('llmfin: error: --dry-run: not with --undo, which has no dry run: it removes the batch');
    expect(r.stderr).toContain('hint: see the batch and its rows with `llmfin import --list` first');
    expect(await total(cwd, db)).toMatchObject({ cost_usd: 0.0035, requests: 1 });
    const list = await runCli(['import', '--list', '--db', db, '--format', 'json'], { cwd });
    expect(JSON.parse(list.stdout).rows.map((b: { id: number }) => b.id)).toEqual([1]);
  });

  it('without --dry-run still removes the batch', async () => {
    const { cwd, db } = await ledgerWithOneBatch();
    const r = await runCli(['import', '--undo', '1', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(await total(cwd, db)).toMatchObject({ cost_usd: 0, requests: 0 });
  });
});

describe('import --list / --undo with something to import', () => {
  const cases: Array<[string[], string]> = [
    [['--list', 'more.jsonl'], '--list imports nothing, but was given a file (more.jsonl)'],
    [['--undo', '1', 'more.jsonl', 'other.jsonl'], '--undo imports nothing, but was given files (more.jsonl, …)'],
    [['--list', '--undo', '1'], '--list: not with --undo; give one of them'],
    [['--list', '--dry-run'], '--dry-run: not with --list, which imports no file'],
    [['--list', '--source', 'llmfin'], '--source: not with --list, which imports no file'],
    [['--undo', '1', '--skip-invalid'], '--skip-invalid: not with --undo, which imports no file'],
    [['--list', '--rejects', 'r.jsonl'], '--rejects: not with --list, which imports no file'],
    // Commander kept the last of a repeated option: this undid batch 1 and never batch 2.
    [['--undo', '2', '--undo', '1'], '--undo: one batch per command, got 2 and 1'],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}: exit 2, "${message}", nothing imported or removed`, async () => {
      const { cwd, db } = await ledgerWithOneBatch();
      writeFileSync(join(cwd, 'more.jsonl'), '{"id":"b","ts":"2026-10-02T00:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}\n');
      const r = await runCli(['import', ...args, '--db', db], { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${message}`);
      expect(await total(cwd, db)).toMatchObject({ cost_usd: 0.0035, requests: 1 });
    });
  }
});

describe('import --rejects without --skip-invalid', () => {
  it('is exit 2 naming both options, writes no rejects file and imports nothing', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    writeFileSync(join(cwd, 'rows.jsonl'), '{"id":"a","ts":"2026-10-01T00:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}\n{"id":"b","ts":"bad"}\n');
    const r = await runCli(['import', 'rows.jsonl', '--rejects', 'bad.jsonl', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin: error: --rejects: only with --skip-invalid, which writes the rejected rows there');
    expect(r.stderr).toContain('hint: add --skip-invalid, or drop --rejects');
    expect(existsSync(join(cwd, 'bad.jsonl'))).toBe(false);
    expect(existsSync(db)).toBe(false);
  });

  it('with --skip-invalid imports the good row ($0.0035) and writes the bad one there', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    writeFileSync(join(cwd, 'rows.jsonl'), '{"id":"a","ts":"2026-10-01T00:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}\n{"id":"b","ts":"bad"}\n');
    const r = await runCli(['import', 'rows.jsonl', '--skip-invalid', '--rejects', 'bad.jsonl', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'bad.jsonl'))).toBe(true);
    expect(await total(cwd, db)).toMatchObject({ cost_usd: 0.0035, requests: 1 });
  });
});
