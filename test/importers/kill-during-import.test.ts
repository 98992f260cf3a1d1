// A `kill -9` in the middle of a large import must leave the ledger exactly as it was
// before the import started: one transaction per file, and SQLite's WAL recovery.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openLedger } from '../../src/ledger/index.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { tempDir } from '../helpers/cli.js';
import { runCli } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../bin/llmfin', import.meta.url));

function bigFile(path: string, rows: number): void {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(JSON.stringify({ id: `big-${i}`, ts: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(), provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 100, team: `t${i % 5}` }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('kill -9 during an import', () => {
  it('leaves the ledger as it was before the import started', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    // Some prior state: one small import.
    writeFileSync(join(cwd, 'small.jsonl'), `${JSON.stringify({ id: 'small-1', ts: '2026-09-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000 })}\n`);
    expect((await runCli(['import', 'small.jsonl', '--db', db], { cwd })).code).toBe(0);
    const before = await openLedger(db);
    const totalsBefore = await ledgerTotals(before);
    await before.close();
    expect(totalsBefore).toMatchObject({ rows: 1, cost_usd: '2.5', batches: 1 });

    bigFile(join(cwd, 'big.jsonl'), 150_000);
    const child = spawn(process.execPath, [BIN, 'import', 'big.jsonl', '--db', db], { cwd, env: { ...process.env, HOME: cwd, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Wait until rows are being written (the WAL grows past 2 MB), then kill without warning.
    const wal = `${db}-wal`;
    const deadline = Date.now() + 30_000;
    while (!(existsSync(wal) && statSync(wal).size > 2_000_000)) {
      if (Date.now() > deadline) throw new Error('the import never started writing');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = await openLedger(db);
    const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(after.db);
    expect(rows[0]?.integrity_check).toBe('ok');
    const totalsAfter = await ledgerTotals(after);
    await after.close();
    expect(totalsAfter).toEqual(totalsBefore);
  }, 60_000);
});
