// `forecast --until` in the past judges the budget trajectories there, as `budget status --at`
// does, not at today: a forecast of last month with this month's budgets answers nothing.
// The four-layer month (test/fixtures/reports/layers-2026-10): by 2026-10-03 the search team
// has spent $43.50, support $10.50 and the organisation $100.00 (the invoice).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const fx = (name: string) => fileURLToPath(new URL(`../../fixtures/reports/layers-2026-10/${name}`, import.meta.url));

describe('llmfin forecast --until with budgets', () => {
  it('judges the budgets at --until, with the figures budget status --at gives there', async () => {
    const dir = tempDir();
    expect((await runCli(['import', '--db', join(dir, 'l.db'), fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')])).code).toBe(0);
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      'ledger: { path: l.db }\nbudgets:\n  - { name: org, limit_usd: 1000 }\n  - { name: search, scope: { team: search }, limit_usd: 50 }\n  - { name: support, scope: { team: support }, limit_usd: 10 }\n',
    );
    const f = await runCli(['forecast', '--by', 'team', '--until', '2026-10-03', '--format', 'json'], { cwd: dir });
    expect(f.code, f.stderr).toBe(0);
    const forecast = JSON.parse(f.stdout);
    const spent = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((b) => [b.name, [b.period_start, b.spent_usd]]));
    expect(spent(forecast.budgets)).toEqual({
      org: ['2026-10-01T00:00:00.000Z', 100],
      search: ['2026-10-01T00:00:00.000Z', 43.5],
      support: ['2026-10-01T00:00:00.000Z', 10.5],
    });
    // Judged at --until, the ledger is not weeks behind: no stale-ledger note.
    expect(forecast.notes.join('\n')).not.toContain("the ledger's latest usage is from");
    const b = await runCli(['budget', 'status', '--at', '2026-10-03', '--format', 'json'], { cwd: dir });
    expect(b.code, b.stderr).toBe(0);
    const status = JSON.parse(b.stdout).rows as Record<string, unknown>[];
    const trajectory = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [r.name, [r.projected_p50_usd, r.projected_p90_usd, r.breach_probability]]));
    expect(trajectory(forecast.budgets)).toEqual(trajectory(status));
  });
});
