// A ledger in a temp folder holding the given rows, imported through the CLI from a file
// in llmfin's own JSONL format: the setup the report and reconcile tests share.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** Imports `rows` (one JSON object a line) into a fresh ledger and returns its path. */
export async function ledgerOf(rows: readonly object[]): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'rows.jsonl');
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const db = join(dir, 'l.db');
  const imported = await runCli(['import', '--db', db, file]);
  expect(imported.code, imported.stderr).toBe(0);
  return db;
}

/** `llmfin report … --format json` on `db`, which must exit 0 and say nothing on stderr. */
export async function reportJson<T>(db: string, args: string[], cwd?: string): Promise<T> {
  const r = await runCli(['report', '--db', db, ...args, '--format', 'json'], cwd ? { cwd } : {});
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}
