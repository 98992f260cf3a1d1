// A dimension named as a field forecast or anomalies write on every row (`method`, `kind`)
// would be hidden by it: grouping by one is exit 2 naming --by, not a column of the wrong values.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';
import { FORECAST_ROW_FIELDS } from '../../src/cli/commands/forecast-run.js';

const metered = (id: string, day: string, tokens = 1_000_000) => ({ id, ts: `${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'metered', input_tokens: tokens, output_tokens: 0, requests: 1 });

describe('--by a dimension named as a row field', () => {
  const rules = 'attribution:\n  rules:\n    - match: { model: "gpt-*" }\n      set: { method: m1, kind: chat, tier: gold }\n';

  it('forecast --by method is exit 2 naming --by; another dimension of the same rule is grouped by', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), rules);
    const db = await ledgerOf([metered('a', '2026-10-05'), metered('b', '2026-10-06')]);
    const r = await runCli(['forecast', '--db', db, '--by', 'method', '--format', 'json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--by: method is a field of every forecast row, written beside its dimensions');
    expect(r.stdout).toBe('');
    const ok = await runCli(['forecast', '--db', db, '--by', 'tier', '--format', 'json'], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { rows: Array<{ tier: string; method: string }> }).rows.map((row) => row.tier)).toEqual(['gold']);
  });

  it('forecast --by price_changes is exit 2 naming --by and every key a forecast row reserves', async () => {
    // price_changes sits beside the dimensions in each JSON row (PRODUCT.md: rows keep their
    // dimension values as keys of their own), so the dimension is refused rather than nested.
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'attribution:\n  rules:\n    - match: { model: "gpt-*" }\n      set: { price_changes: p1 }\n');
    const db = await ledgerOf([metered('a', '2026-10-05')]);
    const r = await runCli(['forecast', '--db', db, '--by', 'feature,price_changes', '--format', 'json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--by: price_changes is a field of every forecast row, written beside its dimensions');
    expect(r.stderr).toContain(`(reserved: ${FORECAST_ROW_FIELDS.join(', ')})`);
    expect(r.stderr).toContain('reserved: method, selected_method, history_days, last_28d_cost_usd, requests_per_day, tokens_per_request, cost_per_request_usd, what_if_factor, p10_cost_usd, p50_cost_usd, p90_cost_usd, daily, price_changes, backtest');
  });

  it('anomalies --by kind is exit 2 naming --by', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), rules);
    const db = await ledgerOf([metered('a', '2026-10-05')]);
    const r = await runCli(['anomalies', '--db', db, '--by', 'team,kind'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--by: kind is a field of every anomalies row, written beside its dimensions');
  });

  it('every field a forecast row writes in JSON is among those refused', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), rules);
    const db = await ledgerOf(Array.from({ length: 120 }, (_, i) => metered(`r${i}`, new Date(Date.UTC(2026, 6, 1 + i)).toISOString().slice(0, 10), 1_000_000 + ((i * 37) % 11) * 50_000 + (i % 7) * 100_000)));
    const r = await runCli(['forecast', '--db', db, '--by', 'tier', '--since', '2026-07-01', '--backtest', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const row = (JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>> }).rows[0]!;
    expect(row.backtest).toBeDefined();
    const fields: readonly string[] = FORECAST_ROW_FIELDS;
    expect(Object.keys(row).filter((k) => k !== 'tier' && !fields.includes(k))).toEqual([]);
  });
});
