// `forecast`'s budget trajectory lines: names of any length keep the columns, and a budget
// forecast from 14–27 days of history (no band yet) is not labelled a run rate.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('llmfin forecast budget trajectory lines', () => {
  it('aligns long names and says "no band yet" for a forecast without calibration', async () => {
    const dir = tempDir();
    const DAY = 86_400_000;
    const today = Math.floor(Date.now() / DAY) * DAY;
    // $1.00 a day for the 20 days before today: forecast (14+ days), no P10/P90 yet (under 28).
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `d-${i}`, ts: new Date(today - (20 - i) * DAY).toISOString(), provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: 10, feature: 'f' }));
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'ledger.db');
    expect((await runCli(['import', '--db', db, join(dir, 'bill.jsonl')])).code).toBe(0);
    const config = join(dir, 'llmfin.yaml');
    writeFileSync(config, ['budgets:', '  - name: a-rather-long-budget-name', '    limit_usd: 1000', '  - name: short', '    scope: { feature: f }', '    limit_usd: 2000', ''].join('\n'));
    const r = await runCli(['forecast', '--db', db, '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const budgetLines = r.stdout.split('\n').filter((l) => / of \$/.test(l));
    expect(budgetLines).toHaveLength(2);
    expect(new Set(budgetLines.map((l) => l.indexOf('$')))).toEqual(new Set([budgetLines[0]!.indexOf('$')]));
    for (const l of budgetLines) {
      expect(l).toContain('no band yet');
      expect(l).not.toContain('run rate');
    }
  });

  it('applies a what-if to the trajectories: JSON what_if_factor, the table marks it, and a switch it cannot apply is a note', async () => {
    const dir = tempDir();
    const DAY = 86_400_000;
    const today = Math.floor(Date.now() / DAY) * DAY;
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `d-${i}`, ts: new Date(today - (20 - i) * DAY).toISOString(), provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: 10, input_tokens: 100000, output_tokens: 10000, feature: 'f', team: 't' }));
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'ledger.db');
    expect((await runCli(['import', '--db', db, join(dir, 'bill.jsonl')])).code).toBe(0);
    const config = join(dir, 'llmfin.yaml');
    writeFileSync(config, ['budgets:', '  - name: f', '    scope: { feature: f }', '    limit_usd: 2000', ''].join('\n'));
    const plain = JSON.parse((await runCli(['forecast', '--db', db, '--config', config, '--format', 'json'])).stdout);
    const r = await runCli(['forecast', '--db', db, '--config', config, '--format', 'json', '--traffic', 'x3']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(plain.budgets[0].what_if_factor).toBe(1);
    expect(j.budgets[0].what_if_factor).toBe(3);
    // The spend to come triples; what is spent does not.
    const toCome = (b: { projected_p50_usd: number; spent_usd: number }) => b.projected_p50_usd - b.spent_usd;
    expect(toCome(j.budgets[0])).toBeCloseTo(3 * toCome(plain.budgets[0]), 6);
    const t = await runCli(['forecast', '--db', db, '--config', config, '--traffic', 'x3', '--by', 'team', '--model', 'team=t:gpt-4o-mini']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('Budget trajectories (most at risk first, what-if applied to the days to come)');
    expect(t.stdout).toMatch(/end P50 \$[\d,.]+ P90 \$[\d,.]+ \(×3\.000\)/);
    expect(t.stderr).toContain('what-if: --model team=t:gpt-4o-mini is not applied to the trajectory of f (feature=f): its scope does not pin team, and its spend is not split by it');
  });
});
