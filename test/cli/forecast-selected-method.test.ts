// `forecast` names the method its P50 comes from: a team growing $2 a day, whose own backtest
// shows Theta well ahead of the combination, is forecast by Theta, and says so in the table
// (METHOD) and in JSON (`selected_method`); --backtest gives the combination's MASE beside it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodForecastFrom } from '../../src/forecast/select-method.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('forecast on a growing team', () => {
  const dir = tempDir();
  const db = join(dir, 'growing.db');
  /** Team grow: $100 + $2 a day on weekdays, half at weekends, 70 days from 2026-08-03 (a Monday). */
  const WEEK = [1, 1, 1, 1, 1, 0.5, 0.5];
  const grow = Array.from({ length: 70 }, (_, i) => (100 + 2 * i) * WEEK[i % 7]!);
  beforeAll(async () => {
    const lines = grow.map((cost, i) => {
      const day = new Date(Date.UTC(2026, 7, 3) + i * 86_400_000).toISOString().slice(0, 10);
      return JSON.stringify({ id: `g-${day}`, ts: `${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost.toFixed(2), requests: 100, team: 'grow' });
    });
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'bill.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("is forecast by Theta, named in METHOD and selected_method, and the total is the team's own P50", async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--horizon', '14d', '--since', '2026-08-03', '--until', '2026-10-12', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const row = j.rows[0];
    expect([row.team, row.method, row.selected_method, row.history_days]).toEqual(['grow', 'combination', 'theta', 70]);
    // P50 is Theta's 14 days, summed and rounded to the cent (≈ $3,102: weekdays ~$240–$266, weekends half).
    const theta = methodForecastFrom(grow, 'theta')(70, 14);
    expect(row.p50_cost_usd).toBe(Math.round(theta.reduce((a, b) => a + b, 0) * 100) / 100);
    // One group: the total series is the team's, no what-if: the total is the team's P50 exactly, ×1.
    expect(j.total.what_if_factor).toBe(1);
    expect(j.total.p50_cost_usd).toBe(row.p50_cost_usd);
    expect(j.total.selected_method).toBe('theta');
    const text = await runCli(['forecast', '--db', db, '--by', 'team', '--horizon', '14d', '--since', '2026-08-03', '--until', '2026-10-12']);
    expect(text.stdout).toMatch(/^grow .* theta \(70d\)\s*$/m);
  });

  it('--backtest reports the selecting forecaster and the combination alone', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-08-03', '--until', '2026-10-12', '--backtest', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const b = JSON.parse(r.stdout).rows[0].backtest;
    expect(b.origins).toBe(6);
    expect(b.mase_h7).toBeLessThan(b.combination_mase_h7);
    expect(b.relative_mase_h7).toBeCloseTo(b.mase_h7 / b.seasonal_naive_mase_h7, 2);
    const text = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-08-03', '--until', '2026-10-12', '--backtest']);
    expect(text.stdout).toContain(`MASE ${b.mase_h7.toFixed(3)} vs seasonal naive ${b.seasonal_naive_mase_h7.toFixed(3)} at h≤7 (relative ${b.relative_mase_h7.toFixed(3)}; the combination alone ${b.combination_mase_h7.toFixed(3)})`);
  });
});
