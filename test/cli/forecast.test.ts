// llmfin forecast, anomalies and insights end to end on the demo ledger (92 days of daily
// rows plus a few request-level traces), in-process.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('llmfin forecast / anomalies / insights', () => {
  const cwd = tempDir();
  const db = join(cwd, 'demo.db');
  beforeAll(async () => {
    const r = await runCli(['demo', '--db', db, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
  }, 30_000);

  it('forecasts every feature with P10 <= P50 <= P90 and a total', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'feature', '--since', '2026-08-01', '--horizon', '14d', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.forecast_since).toBe('2026-11-01');
    expect(json.horizon_days).toBe(14);
    expect(json.rows).toHaveLength(9);
    for (const row of json.rows) {
      expect(row.p10_cost_usd).toBeLessThanOrEqual(row.p50_cost_usd);
      expect(row.p50_cost_usd).toBeLessThanOrEqual(row.p90_cost_usd);
      expect(row.daily.p50).toHaveLength(14);
      expect(row.method).toBe('combination');
    }
  });

  it('what-ifs: x2 traffic doubles every group exactly', async () => {
    const base = JSON.parse((await runCli(['forecast', '--db', db, '--since', '2026-08-01', '--format', 'json'], { cwd })).stdout);
    const x2 = JSON.parse((await runCli(['forecast', '--db', db, '--since', '2026-08-01', '--traffic', 'x2', '--format', 'json'], { cwd })).stdout);
    for (const [i, row] of x2.rows.entries()) expect(row.p50_cost_usd).toBeCloseTo(base.rows[i].p50_cost_usd * 2, 1);
  });

  it('what-if: a cheaper model for one feature lowers only that feature', async () => {
    const base = JSON.parse((await runCli(['forecast', '--db', db, '--since', '2026-08-01', '--format', 'json'], { cwd })).stdout);
    const r = await runCli(['forecast', '--db', db, '--since', '2026-08-01', '--model', 'feature=support-agent:claude-haiku-4-5', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const swapped = JSON.parse(r.stdout);
    const get = (j: { rows: Array<{ feature: string; what_if_factor: number; p50_cost_usd: number }> }, f: string) => j.rows.find((x) => x.feature === f)!;
    // Sonnet 4.5 ($3/$15) → Haiku 4.5 ($1/$5): every rate a third, so the factor is 1/3.
    expect(get(swapped, 'support-agent').what_if_factor).toBeCloseTo(1 / 3, 3);
    expect(get(swapped, 'ticket-summary').p50_cost_usd).toBe(get(base, 'ticket-summary').p50_cost_usd);
  });

  it('what-if on a Bedrock group by its id, colon and all: the same forecast as the id quoted', async () => {
    const sonnet = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const args = ['forecast', '--db', db, '--by', 'model', '--since', '2026-08-01', '--format', 'json', '--model'];
    // Split at the first colon, this named a model "…-v1" with no spend and was refused.
    const r = await runCli([...args, `model=${sonnet}:gpt-4.1-mini`], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.what_if.models).toEqual([{ dimension: 'model', value: sonnet, model: 'gpt-4.1-mini' }]);
    const quoted = await runCli([...args, `model="${sonnet}":gpt-4.1-mini`], { cwd });
    expect(quoted.code, quoted.stderr).toBe(0);
    expect(j).toEqual(JSON.parse(quoted.stdout));
    expect(j.rows.find((x: { model: string }) => x.model === sonnet).what_if_factor).not.toBe(1);
  });

  it('refuses a what-if that would change nothing: a group that is not there, or a model with no price', async () => {
    const cases = [
      [['--model', 'feature=support-agnet:claude-haiku-4-5'], '--model: "feature=support-agnet:claude-haiku-4-5" names feature "support-agnet", which has no spend in the history being forecast'],
      [['--model', 'gpt-nonexistent'], '--model: unpriced model "gpt-nonexistent": the catalogue has no current price for it'],
      [['--model', 'feature=support-agent:gpt-nonexistent'], '--model: unpriced model "gpt-nonexistent" in "feature=support-agent:gpt-nonexistent"'],
    ] as const;
    for (const [args, message] of cases) {
      const r = await runCli(['forecast', '--db', db, '--by', 'feature', '--since', '2026-08-01', ...args], { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
  });

  it('what-if: a group named by --model wins over a model for all, whichever is given first', async () => {
    const args = ['forecast', '--db', db, '--since', '2026-08-01', '--format', 'json'];
    const one = await runCli([...args, '--model', 'gpt-4.1-mini', '--model', 'feature=support-agent:claude-haiku-4-5'], { cwd });
    const other = await runCli([...args, '--model', 'feature=support-agent:claude-haiku-4-5', '--model', 'gpt-4.1-mini'], { cwd });
    expect(one.code, one.stderr).toBe(0);
    const get = (j: { rows: Array<{ feature: string; what_if_factor: number }> }, f: string) => j.rows.find((x) => x.feature === f)!.what_if_factor;
    // Sonnet 4.5 → Haiku 4.5: a third, as above; before, the model for all took support-agent and the named one was refused.
    expect(get(JSON.parse(one.stdout), 'support-agent')).toBeCloseTo(1 / 3, 3);
    expect(JSON.parse(one.stdout).rows).toEqual(JSON.parse(other.stdout).rows);
  });

  it('what-if: two models for the same group, or a switch every group of which an earlier one took, are refused by name', async () => {
    const cases = [
      [['--model', 'feature=support-agent:gpt-4.1-mini', '--model', 'feature=support-agent:claude-haiku-4-5'], '--model: feature=support-agent is given two models (gpt-4.1-mini, claude-haiku-4-5): give it one'],
      [['--model', 'gpt-4.1-mini', '--model', 'claude-haiku-4-5'], '--model: every group is given two models (gpt-4.1-mini, claude-haiku-4-5): give it one'],
      [['--by', 'team,feature', '--model', 'feature=support-agent:gpt-4.1-mini', '--model', 'team=support:claude-haiku-4-5', '--where', 'feature=support-agent'], '--model: "team=support:claude-haiku-4-5" changes nothing: every group it names is switched by another --model'],
    ] as const;
    for (const [args, message] of cases) {
      const r = await runCli(['forecast', '--db', db, '--since', '2026-08-01', ...args], { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
  });

  it('with under 14 days of history it says so and uses the run rate', async () => {
    const r = await runCli(['forecast', '--db', db, '--since', '2026-10-25'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('run rate (7d)');
    expect(r.stderr).toContain('fewer than 14 days of history');
  });

  it('--backtest prints MASE against seasonal naive and the band coverage', async () => {
    const r = await runCli(['forecast', '--db', db, '--since', '2026-08-01', '--backtest', '--chart'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backtest on your history \(\d+ origins\): MASE [\d.]+ vs seasonal naive [\d.]+/);
    expect(r.stdout).toContain('● P50 · ░ P10–P90 band');
  });

  it('--backtest: the total pools every group over the same 28 steps whatever --horizon is', async () => {
    const backtest = async (horizon: string) => {
      const r = await runCli(['forecast', '--db', db, '--by', 'team', '--where', 'team=support', '--since', '2026-08-01', '--horizon', horizon, '--backtest', '--format', 'json'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { rows: Array<{ backtest: Record<string, number> }>; total: { backtest: Record<string, number> } };
    };
    const short = await backtest('3d');
    const long = await backtest('30d');
    // One group: the pooled total is that group's own backtest, at h ≤ 7 and h ≤ 28 (before,
    // --horizon 3 cut the total's steps to 3 and printed them as h ≤ 7).
    expect(short.total.backtest).toEqual(short.rows[0]!.backtest);
    expect(short.total.backtest).toEqual(long.total.backtest);
    const text = await runCli(['forecast', '--db', db, '--where', 'team=support', '--since', '2026-08-01', '--horizon', '3d', '--backtest'], { cwd });
    expect(text.stdout).toMatch(/at h≤7 \(relative [\d.]+; the combination alone [\d.]+\), [\d.]+ at h≤28;/);
  });

  it('--new-feature: requests × tokens × price, by hand', async () => {
    // claude-haiku-4-5 at $1 / $5 per 1M: 1,000 in + 200 out = $0.001 + $0.001 = $0.002 a request;
    // 1,000 a day → $2 a day → $60 over 30 days; P10 ×0.6 = $36, P90 ×1.6 = $96; budget $96 × 1.2 = $115.20.
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '1000', '--input-tokens', '1000', '--output-tokens', '200', '--model', 'claude-haiku-4-5', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.cost_per_request_usd, j.cost_per_day_usd, j.p10_cost_usd, j.p50_cost_usd, j.p90_cost_usd, j.recommended_budget_usd]).toEqual([0.002, 2, 36, 60, 96, 115.2]);
  });

  it('--new-feature: a small feature keeps its cents and less in JSON instead of rounding to $0', async () => {
    // gpt-4.1-nano at $0.10 / $0.40 per 1M: 100 in + 20 out = $0.00001 + $0.000008 = $0.000018 a request;
    // 10 a day → $0.00018 a day → $0.0054 over 30 days; P10 ×0.6 = $0.00324, P90 ×1.6 = $0.00864; budget × 1.2 = $0.010368.
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '10', '--input-tokens', '100', '--output-tokens', '20', '--model', 'gpt-4.1-nano', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.cost_per_request_usd, j.cost_per_day_usd, j.p10_cost_usd, j.p50_cost_usd, j.p90_cost_usd, j.recommended_budget_usd]).toEqual([0.000018, 0.00018, 0.00324, 0.0054, 0.00864, 0.010368]);
  });

  it('--new-feature lines up its figures whatever the --horizon', async () => {
    for (const horizon of ['7d', '365d']) {
      const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '1000', '--input-tokens', '1000', '--output-tokens', '200', '--model', 'claude-haiku-4-5', '--horizon', horizon], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const starts = r.stdout.split('\n').slice(1, 5).map((l) => /^ {2}recommended budget |^ {2}\S.*?\s{2,}/.exec(l)![0].length);
      expect(starts, horizon).toEqual([21, 21, 21, 21]);
    }
  });

  it('--new-feature refuses a negative --headroom: the recommended budget would sit below P90 (at -50%, below P50)', async () => {
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '1000', '--input-tokens', '1000', '--output-tokens', '200', '--model', 'claude-haiku-4-5', '--headroom', '-50%'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--headroom: expected 0% or more (the budget is P90 plus the headroom), got "-50%"');
  });

  it('--new-feature refuses a request of no tokens rather than a $0.00 estimate and budget', async () => {
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '1000', '--input-tokens', '0', '--output-tokens', '0', '--model', 'claude-haiku-4-5'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--input-tokens: expected the tokens of one request, got 0 in and 0 out (--output-tokens)');
  });

  it('--new-feature says that --model is one model there, not a what-if of a group, rather than "unpriced model"', async () => {
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '1000', '--input-tokens', '1000', '--output-tokens', '200', '--model', 'feature=chat:claude-haiku-4-5'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--model: expected the new feature\'s model, such as --model claude-haiku-4-5, got "feature=chat:claude-haiku-4-5": a group\'s what-if needs history');
  });

  it('bad options exit 2 naming the option', async () => {
    for (const [args, option] of [
      [['--horizon', 'soon'], '--horizon'],
      [['--traffic', 'lots'], '--traffic'],
      [['--by', 'colour'], '--by'],
      [['--model', 'team=x:claude-haiku-4-5'], '--model'],
      [['--new-feature', '--input-tokens', '10', '--output-tokens', '1', '--model', 'gpt-4o'], '--requests-per-day'],
    ] as const) {
      const r = await runCli(['forecast', '--db', db, ...args], { cwd });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(option);
    }
  });

  it('anomalies: the demo spike, runaway session and agent loop, each with evidence; --fail-on-anomaly exits 1', async () => {
    const r = await runCli(['anomalies', '--db', db, '--since', '2026-08-01', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const kinds = j.rows.map((a: { kind: string }) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['spike', 'runaway_session', 'agent_loop']));
    const spike = j.rows.find((a: { kind: string }) => a.kind === 'spike');
    expect(spike).toMatchObject({ feature: 'research-agent', since: '2026-10-21' });
    const loop = j.rows.find((a: { kind: string }) => a.kind === 'agent_loop');
    expect(loop).toMatchObject({ trace: 'run-1021-loop', observed: 18 });
    expect(loop.evidence).toContain('flagged at call 10 of 24');
    const fail = await runCli(['anomalies', '--db', db, '--since', '2026-08-01', '--fail-on-anomaly'], { cwd });
    expect(fail.code).toBe(1);
    const bad = await runCli(['anomalies', '--db', db, '--kind', 'meteor'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--kind');
  });

  it('insights: ranked, each with priority, $ per month, action and effort', async () => {
    const r = await runCli(['insights', '--db', db, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows.length).toBeGreaterThan(3);
    const rank = { High: 0, Medium: 1, Low: 2 } as Record<string, number>;
    for (let i = 1; i < j.rows.length; i++) expect(rank[j.rows[i].priority]).toBeGreaterThanOrEqual(rank[j.rows[i - 1].priority]!);
    for (const row of j.rows) {
      expect(row.impact_usd_per_month).toBeGreaterThan(0);
      expect(['Low', 'Medium', 'High']).toContain(row.effort);
      expect(row.action.length).toBeGreaterThan(10);
    }
    expect(j.rows.map((x: { kind: string }) => x.kind)).toEqual(expect.arrayContaining(['model_arbitrage', 'batch', 'anomaly']));
  });
});
