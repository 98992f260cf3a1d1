// Rows whose cost is unknown never read as $0 in what `llmfin import` prints: the summary's
// line per provider and `import --list` say "unpriced" for them, and JSON counts them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const HEADER = 'id,ts,provider,model,input_tokens,output_tokens';

/** One folder with: all.csv, two rows of a model the catalogue does not know; mixed.csv, one of those and one gpt-4o-mini row. */
function files(): string {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'all.csv'), `${HEADER}\na1,2026-10-01T10:00:00Z,openai,house-model-7,1000,100\na2,2026-10-01T11:00:00Z,openai,house-model-7,2000,200\n`);
  // gpt-4o-mini: 1,000,000 x $0.15/1M + 100,000 x $0.60/1M = $0.15 + $0.06 = $0.21
  writeFileSync(join(cwd, 'mixed.csv'), `${HEADER}\nm1,2026-10-02T10:00:00Z,anthropic,house-model-8,1000,100\nm2,2026-10-02T11:00:00Z,anthropic,claude-haiku-4-5,1000000,100000\n`);
  return cwd;
}

describe('unpriced rows in import output', () => {
  it('the summary line of a provider whose rows all lack a price says unpriced, not $0.00', async () => {
    const cwd = files();
    const r = await runCli(['import', 'all.csv', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  openai       metered                 2 rows      unpriced\n');
    expect(r.stdout).not.toMatch(/openai .*\$0\.00/);
    const json = await runJson<{ rows: Array<{ by_provider: unknown[] }> }>(['import', 'all.csv', '--db', 'j.db'], { cwd });
    expect(json.rows[0]!.by_provider).toEqual([{ provider: 'openai', provenance: 'metered', rows: 2, cost_usd: 0, unpriced_rows: 2 }]);
  });

  it('import --list shows a batch of unpriced rows as unpriced and a partly priced one with its count', async () => {
    const cwd = files();
    expect((await runCli(['import', 'all.csv', '--db', 'l.db'], { cwd })).code).toBe(0);
    const mixed = await runCli(['import', 'mixed.csv', '--db', 'l.db'], { cwd });
    // claude-haiku-4-5: 1,000,000 x $1/1M + 100,000 x $5/1M = $1.00 + $0.50 = $1.50
    expect(mixed.stdout).toContain('  anthropic    metered                 2 rows  $1.50 + 1 unpriced\n');
    const list = await runCli(['import', '--list', '--db', 'l.db'], { cwd });
    // BATCH, SOURCE, IMPORTED, ROWS, COST, FILE (no account): cells apart by two spaces or more.
    const cells = list.stdout.split('\n').slice(1, 3).map((line) => line.trim().split(/ {2,}/));
    expect(cells.map((c) => [c[0], c[1], c[3], c[4], c[5]])).toEqual([
      ['1', 'llmfin', '2', 'unpriced', 'all.csv'],
      ['2', 'llmfin', '2', '$1.50 + 1 unpriced', 'mixed.csv'],
    ]);
    const json = await runJson<{ rows: Array<{ id: number; cost_usd: number; unpriced_rows: number; rows_now: number }> }>(['import', '--list', '--db', 'l.db'], { cwd });
    expect(json.rows.map((b) => [b.id, b.rows_now, b.cost_usd, b.unpriced_rows])).toEqual([
      [1, 2, 0, 2],
      [2, 2, 1.5, 1],
    ]);
  });
});
