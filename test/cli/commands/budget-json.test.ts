// A budget row is one JSON shape wherever it is printed: `budget status`, `forecast` and
// `demo` each carry `unpriced_rows` beside `spent_usd`, so a script reading one reads all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('budget rows in JSON', () => {
  it('forecast gives the same keys as budget status, unpriced_rows included', async () => {
    const dir = tempDir();
    // 1M input tokens of gpt-4o ($2.50) and one row of a model no catalogue prices.
    const row = (id: string, model: string) => JSON.stringify({ id, ts: '2026-10-02T10:00:00Z', provider: 'openai', model, input_tokens: 1_000_000, output_tokens: 0, team: 'search' });
    writeFileSync(join(dir, 'rows.jsonl'), `${row('a', 'gpt-4o')}\n${row('b', 'gpt-nonesuch-9')}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', 'l.db'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets:\n  - { name: org, limit_usd: 100 }\n');
    const b = await runCli(['budget', 'status', '--at', '2026-10-03', '--format', 'json'], { cwd: dir });
    expect(b.code, b.stderr).toBe(0);
    const [status] = JSON.parse(b.stdout).rows as Record<string, unknown>[];
    expect(status).toMatchObject({ name: 'org', spent_usd: 2.5, unpriced_rows: 1 });
    const f = await runCli(['forecast', '--by', 'team', '--until', '2026-10-03', '--format', 'json'], { cwd: dir });
    expect(f.code, f.stderr).toBe(0);
    const [budget] = JSON.parse(f.stdout).budgets as Record<string, unknown>[];
    expect(budget).toMatchObject({ name: 'org', spent_usd: 2.5, unpriced_rows: 1, what_if_factor: 1 });
    expect(Object.keys(budget!).filter((k) => k !== 'what_if_factor')).toEqual(Object.keys(status!));
  });

  it('demo gives each budget row unpriced_rows, in budget status order of keys', async () => {
    const r = await runCli(['demo', '--db', join(tempDir(), 'demo.db'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).budgets.rows as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).slice(0, 7)).toEqual(['name', 'scope', 'period', 'period_start', 'period_end', 'spent_usd', 'unpriced_rows']);
      expect(row.unpriced_rows).toBe(0);
    }
  });
});
