// `budget status` projects a scope with the method `forecast` chooses for the same history
// (select-method.ts), so the same team shows one P50 in both: a steadily growing team is
// projected by Theta, a team whose weekly shape changed by seasonal naive, and a flat noisy
// team keeps the combination, with the figures it had before.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointForecast } from '../../src/forecast/combine-forecast.js';
import { methodForecastFrom } from '../../src/forecast/select-method.js';
import { runCli, tempDir } from '../helpers/cli.js';

const DAY = 86_400_000;
/** Weekdays, then the weekend at half: day 0 is a Monday. */
const WEEK = [1, 1, 1, 1, 1, 0.5, 0.5];
/** Team grow: $100 + $2 a day on weekdays, half at weekends, 70 days from Monday 2026-08-03 to 2026-10-11. */
const GROW = Array.from({ length: 70 }, (_, i) => (100 + 2 * i) * WEEK[i % 7]!);
/**
 * Team shift: 84 days from Monday 2026-07-20, $100 weekdays and $10 weekends for seven weeks,
 * then from Monday 2026-09-07 $10 Mondays and Tuesdays and $100 the other days.
 */
const BEFORE = [100, 100, 100, 100, 100, 10, 10];
const AFTER = [10, 10, 100, 100, 100, 100, 100];
const SHIFT = Array.from({ length: 84 }, (_, i) => (i < 49 ? BEFORE : AFTER)[i % 7]!);
/** Team flat: $100 a weekday, half at weekends, ±30% noise (seeded), to the cent, 70 days from 2026-08-03. */
const FLAT = (() => {
  let x = 12345;
  const r = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: 70 }, (_, i) => Math.round(100 * WEEK[i % 7]! * (0.7 + 0.6 * r()) * 100) / 100);
})();

describe('budget status projects with the method forecast chose', () => {
  const dir = tempDir();
  const rows = (team: string, values: number[], from: number) =>
    values.map((cost, i) => {
      const day = new Date(from + i * DAY).toISOString().slice(0, 10);
      return JSON.stringify({ id: `${team}-${day}`, ts: `${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost.toFixed(2), requests: 100, team });
    });
  let budgets: Record<string, Record<string, unknown>>;
  let forecast: Record<string, Record<string, unknown>>;
  let forecastBudgets: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    const lines = [...rows('grow', GROW, Date.UTC(2026, 7, 3)), ...rows('shift', SHIFT, Date.UTC(2026, 6, 20)), ...rows('flat', FLAT, Date.UTC(2026, 7, 3))];
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    expect((await runCli(['import', '--db', 'l.db', 'bill.jsonl'], { cwd: dir })).code).toBe(0);
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      'ledger: { path: l.db }\nbudgets:\n' + ['grow', 'shift', 'flat'].map((t) => `  - { name: ${t}, scope: { team: ${t} }, limit_usd: 5000 }\n`).join(''),
    );
    // Judged at midnight on Monday 12 October, the ledger recorded to the end of the 11th:
    // October's days to come are the 12th to the 31st, 20 whole days, `forecast --horizon 20d`'s.
    const b = await runCli(['budget', 'status', '--at', '2026-10-12', '--format', 'json'], { cwd: dir });
    expect(b.code, b.stderr).toBe(0);
    budgets = Object.fromEntries((JSON.parse(b.stdout).rows as Record<string, unknown>[]).map((r) => [r.name, r]));
    const f = await runCli(['forecast', '--by', 'team', '--horizon', '20d', '--since', '2026-07-20', '--until', '2026-10-12', '--format', 'json'], { cwd: dir });
    expect(f.code, f.stderr).toBe(0);
    const j = JSON.parse(f.stdout);
    forecast = Object.fromEntries((j.rows as Record<string, unknown>[]).map((r) => [r.team, r]));
    forecastBudgets = Object.fromEntries((j.budgets as Record<string, unknown>[]).map((r) => [r.name, r]));
  });

  it("projects the growing team by Theta: $2,048.00 spent + forecast's 20-day P50 of $4,347.74 = $6,395.74", () => {
    expect(forecast.grow).toMatchObject({ method: 'combination', selected_method: 'theta', history_days: 70, p50_cost_usd: 4347.74 });
    // Spent, 1–11 October (days 59–69): 218 + 220 + 111 + 112 + 226 + 228 + 230 + 232 + 234 + 118 + 119 = $2,048.00.
    expect(budgets.grow).toMatchObject({ spent_usd: 2048, projection_method: 'forecast', selected_method: 'theta' });
    // Theta's 20 days from day 70, as forecast gives them (to the cent there, to the tick here).
    const theta = methodForecastFrom(GROW, 'theta')(70, 20).reduce((a, b) => a + b, 0);
    expect(budgets.grow!.projected_p50_usd).toBeCloseTo(2048 + theta, 6);
    expect(budgets.grow!.projected_p50_usd).toBeCloseTo(6395.74, 2);
    // Hand check: the trend itself, days 70–89 (12 October a Monday to 31 October a Saturday), is
    // 15 weekdays at $100 + $2 a day, $1,220 + $1,290 + $1,360 = $3,870, and 5 weekend days at
    // half, $125 + $126 + $132 + $133 + $139 = $655: $4,525. Theta is 3.9% under it; the
    // combination, whose median of four weekdays lags two weeks behind, $4,095.31, 9.5% under
    // (END P50 $6,143.31, which budget status showed before).
    const trend = Array.from({ length: 20 }, (_, h) => (100 + 2 * (70 + h)) * WEEK[(70 + h) % 7]!).reduce((a, b) => a + b, 0);
    expect(trend).toBe(4525);
    expect(theta / trend - 1).toBeCloseTo(-0.039, 3);
    const combination = pointForecast(GROW, 20).values.reduce((a, b) => a + b, 0);
    expect(combination).toBeCloseTo(4095.31, 2);
    // The band is Theta's own errors': P90 above P50.
    expect(budgets.grow!.projected_p90_usd).toBeGreaterThan(budgets.grow!.projected_p50_usd as number);
  });

  it('projects the team whose weekly shape changed by seasonal naive: $920 + $1,460 = $2,380.00', () => {
    expect(forecast.shift).toMatchObject({ selected_method: 'seasonal-naive', history_days: 84, p50_cost_usd: 1460 });
    // Spent, 1–11 October (Thursday to Sunday, Monday and Tuesday at $10, Wednesday to Sunday): 9 × $100 + 2 × $10 = $920.
    // To come, 12–31 October: the last week again, twice ($520 each), then Monday to Saturday ($420): $1,460.
    expect(budgets.shift).toMatchObject({ spent_usd: 920, selected_method: 'seasonal-naive' });
    expect(budgets.shift!.projected_p50_usd).toBeCloseTo(2380, 9);
  });

  it("keeps the combination for the flat team, P50 the combination's as before", () => {
    expect(forecast.flat).toMatchObject({ selected_method: 'combination' });
    expect(budgets.flat).toMatchObject({ selected_method: 'combination', projection_method: 'forecast' });
    const spent = FLAT.slice(59).reduce((a, b) => a + b, 0);
    const combination = pointForecast(FLAT, 20).values.reduce((a, b) => a + b, 0);
    expect(budgets.flat!.spent_usd).toBeCloseTo(spent, 9);
    expect(budgets.flat!.projected_p50_usd).toBeCloseTo(spent + combination, 6);
    expect(budgets.flat!.projected_p50_usd).toBeCloseTo(spent + (forecast.flat!.p50_cost_usd as number), 2);
  });

  it("forecast's budget trajectories are budget status's", () => {
    for (const name of ['grow', 'shift', 'flat']) {
      const { what_if_factor: factor, ...rest } = forecastBudgets[name]!;
      expect(factor).toBe(1);
      expect(rest).toEqual(budgets[name]);
    }
  });
});
