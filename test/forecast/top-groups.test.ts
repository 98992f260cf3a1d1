// --top on many groups: the largest groups are the ones shown even when their P50s round to
// the same cent, and the table says the total counts the groups it leaves out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('forecast --top', () => {
  const dir = tempDir();
  const db = join(dir, 'teams.db');
  beforeAll(async () => {
    // Billed rows keep their cost when re-priced: teams a, b and c spend $0.01000, $0.01001
    // and $0.01002 a day, 2026-10-01 to 2026-10-03.
    const lines: string[] = [];
    for (const day of ['01', '02', '03']) {
      for (const [team, cost] of [['a', '0.01000'], ['b', '0.01001'], ['c', '0.01002']] as const) {
        lines.push(JSON.stringify({ id: `${team}-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost, requests: 1, team }));
      }
    }
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'bill.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('ranks on the unrounded P50: c ($0.3006), b ($0.3003), a ($0.3000) all print as $0.30', async () => {
    const j = JSON.parse((await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--format', 'json'])).stdout);
    // Run rate × 30 days: 0.01002 × 30 = 0.3006, 0.01001 × 30 = 0.3003, 0.01000 × 30 = 0.3000.
    expect(j.rows.map((x: { team: string; p50_cost_usd: number }) => [x.team, x.p50_cost_usd])).toEqual([
      ['c', 0.3],
      ['b', 0.3],
      ['a', 0.3],
    ]);
  });

  it('shows the largest group and says the total counts all three', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--top', '1']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^[abc] /.test(l));
    expect(rows.map((l) => l[0])).toEqual(['c']);
    // The total: $0.03003 a day × 30 = $0.9009.
    expect(r.stdout).toMatch(/^total .*\$0\.90 +\$0\.90 +\$0\.90 /m);
    expect(r.stderr).toContain('showing the 1 largest of 3 team groups by P50; the total counts all 3 (--top 3 shows every one; --format json lists them all)');
  });

  it('--format csv prints every group (its rows are the JSON rows), so it does not claim to show only the largest', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--top', '1', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
    expect(r.stderr).not.toContain('showing the 1 largest');
  });
});
