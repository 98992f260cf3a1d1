import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const DEMO = resolve('fixtures/demo/metered-2026-10.jsonl');

describe('an export that matched no rows', () => {
  it('as csv (its header alone) imports as nothing, as a FOCUS one does, instead of being refused', async () => {
    const dir = tempDir();
    expect((await runCli(['import', DEMO, '--db', 'a.db'], { cwd: dir })).code).toBe(0);
    const exported = await runCli(['export', '--db', 'a.db', '--format', 'csv', '--month', '2020-01', '--out', 'none.csv'], { cwd: dir });
    expect(exported.code).toBe(0);
    expect(readFileSync(join(dir, 'none.csv'), 'utf8').split('\r\n')).toEqual([expect.stringMatching(/^id,source,provenance,provider,/), '']);

    const imported = await runJson<{ rows: Array<{ rows_read: number; rows_imported: number; cost_usd: number }> }>(['import', 'none.csv', '--db', 'b.db'], { cwd: dir });
    expect(imported.rows).toMatchObject([{ rows_read: 0, rows_imported: 0, cost_usd: 0 }]);
  });

  it('a CSV header without the columns a row needs is still refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.csv'), 'id,ts,provider\r\n');
    const r = await runCli(['import', 'bad.csv', '--db', 'b.db', '--source', 'llmfin'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a JSON object per line, or a CSV header with ts, provider, model');
  });

  it('names a --where value no row records, with the values stored and the one meant, instead of a bare empty file', async () => {
    const dir = tempDir();
    const row = (id: string, team: string | null, customer: string | null) =>
      JSON.stringify({ id, ts: '2026-10-02T00:00:00Z', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, team, customer });
    writeFileSync(join(dir, 'rows.jsonl'), `${row('a', 'search', 'Acme, Inc.')}\n${row('b', null, null)}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', 'a.db'], { cwd: dir })).code).toBe(0);

    const typo = await runCli(['export', '--db', 'a.db', '--where', 'team=Search'], { cwd: dir });
    expect(typo.code).toBe(0);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain(
      'warning: --where team=Search: no ledger row records this value (did you mean search?); the values of team as stored are (unattributed), search (an export reads the columns as stored',
    );
    const comma = await runCli(['export', '--db', 'a.db', '--where', 'customer=acme, inc.'], { cwd: dir });
    expect(comma.stderr).toContain('(did you mean Acme, Inc.?); the values of customer as stored are (unattributed), "Acme, Inc."');

    // A value rows have, emptied by the window instead, is not called missing.
    const window = await runCli(['export', '--db', 'a.db', '--where', 'team=search', '--month', '2020-01'], { cwd: dir });
    expect(window.stderr).not.toContain('no ledger row records');
    expect(window.stderr).toContain('note: no ledger rows match');
  });
});
