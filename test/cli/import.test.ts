import { describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../helpers/cli.js';

const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));

describe('llmfin import', () => {
  it('detects the source, imports, lists, re-imports as a no-op, and undoes', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'usage.jsonl'));
    const first = await runCli(['import', 'usage.jsonl', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(first.code).toBe(0);
    const row = (JSON.parse(first.stdout) as { rows: Array<Record<string, unknown>> }).rows[0]!;
    expect(row).toMatchObject({ source: 'llmfin', status: 'imported', rows_read: 2108, rows_imported: 2108, rows_rejected: 0, unpriced_models: [] });

    const again = await runCli(['import', 'usage.jsonl', '--db', 'l.db'], { cwd });
    expect(again.stdout).toContain('already imported, nothing changed');

    const list = JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ id: number; rows_now: number; cost_usd: number }> };
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]!.rows_now).toBe(2108);
    expect(list.rows[0]!.cost_usd).toBe(row.cost_usd);

    const undo = await runCli(['import', '--undo', String(list.rows[0]!.id), '--db', 'l.db'], { cwd });
    expect(undo.stdout).toBe(`removed batch ${list.rows[0]!.id} and its 2,108 rows\n`);
    expect(JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows).toEqual([]);
    expect((await runCli(['import', '--undo', '99', '--db', 'l.db'], { cwd })).code).toBe(2);
  });

  it('--dry-run reports and writes nothing', async () => {
    const cwd = tempDir();
    const r = await runCli(['import', DEMO, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ status: 'dry-run', rows_imported: 2108 });
    expect(JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows).toEqual([]);
  });

  it('an unrecognised file says which sources were tried and why each refused', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'notes.txt'), 'hello world\n');
    const r = await runCli(['import', 'notes.txt', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notes.txt: not a file any import source recognises; tried:');
    expect(r.stderr).toMatch(/llmfin: first line is not a JSON object/);
    expect(r.stderr).toContain('--source ID');
  });

  it('missing files and unknown sources are exit 2 before anything is imported', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'ok.jsonl'));
    const missing = await runCli(['import', 'ok.jsonl', 'nope.csv', '--db', 'l.db'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.csv: no such file');
    expect(JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows).toEqual([]);
    const bad = await runCli(['import', 'ok.jsonl', '--source', 'nosuch', '--db', 'l.db'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--source: unknown source "nosuch" \(known: .*llmfin/);
  });

  it('llmfin sources lists every source with where to get its file', async () => {
    const r = JSON.parse((await runCli(['sources', '--format', 'json'])).stdout) as { rows: Array<{ id: string; obtain: string }> };
    expect(r.rows.map((s) => s.id)).toContain('llmfin');
    for (const s of r.rows) expect(s.obtain.length).toBeGreaterThan(10);
  });
});
