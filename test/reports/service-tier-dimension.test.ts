// service_tier is a report-only dimension: the tier each row records it was served at, a row
// recording none shown as `standard`. Report, forecast, anomalies and export group or filter by
// it; an attribution rule cannot set it.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';
import { ConfigSchema } from '../../src/config/config-schema.js';

/**
 * 2026-10-01 to 10, openai gpt-4o ($2.50 in / $10.00 out per 1M; batch ×0.5, priority ×1.7), a day each:
 *   team a, chat, no tier:          1,000,000 in + 100,000 out = $2.50 + $1.00 = $3.50
 *   team b, digest, batch:          the same tokens × 0.5                        = $1.75
 *   team a, chat, priority:           100,000 in +  10,000 out = ($0.25 + $0.10) × 1.7 = $0.595
 *   team c, chat, `standard` said:     200,000 in +  20,000 out = $0.50 + $0.20 = $0.70
 * Over 10 days: standard $35.00 + $7.00 = $42.00, batch $17.50, priority $5.95; $65.45 in all.
 */
function usageLines(): string {
  const lines: object[] = [];
  for (let d = 1; d <= 10; d++) {
    const ts = `2026-10-${String(d).padStart(2, '0')}T00:00:00Z`;
    const row = { ts, granularity: 'day', provider: 'openai', model: 'gpt-4o', provenance: 'metered' };
    lines.push({ ...row, id: `s-${d}`, requests: 100, input_tokens: 1_000_000, output_tokens: 100_000, team: 'a', feature: 'chat' });
    lines.push({ ...row, id: `b-${d}`, requests: 100, input_tokens: 1_000_000, output_tokens: 100_000, team: 'b', feature: 'digest', service_tier: 'batch' });
    lines.push({ ...row, id: `p-${d}`, requests: 10, input_tokens: 100_000, output_tokens: 10_000, team: 'a', feature: 'chat', service_tier: 'priority' });
    lines.push({ ...row, id: `t-${d}`, requests: 20, input_tokens: 200_000, output_tokens: 20_000, team: 'c', feature: 'chat', service_tier: 'standard' });
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

let dir: string;
let db: string;
beforeAll(async () => {
  dir = tempDir();
  db = join(dir, 'ledger.db');
  writeFileSync(join(dir, 'usage.jsonl'), usageLines());
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
});

const OCTOBER = ['--since', '2026-10-01', '--until', '2026-11-01'];
type ReportJson = { rows: Array<Record<string, string | number>>; total: { cost_usd: number } };

describe('llmfin report by service_tier', () => {
  it('groups by the recorded tier, a row with none as standard, to the cent', async () => {
    const j = await runJson<ReportJson>(['report', '--db', db, '--by', 'service_tier', ...OCTOBER, '--format', 'json']);
    expect(j.rows.map((r) => [r.service_tier, r.cost_usd, r.requests])).toEqual([
      ['standard', 42, 1200],
      ['batch', 17.5, 1000],
      ['priority', 5.95, 100],
    ]);
    expect(j.total.cost_usd).toBe(65.45);
  });

  it('--where service_tier=standard keeps the rows recording none and those recording standard', async () => {
    const j = await runJson<ReportJson>(['report', '--db', db, '--by', 'team', '--where', 'service_tier=standard', ...OCTOBER, '--format', 'json']);
    expect(j.rows.map((r) => [r.team, r.cost_usd])).toEqual([
      ['a', 35],
      ['c', 7],
    ]);
    const batch = await runJson<ReportJson>(['report', '--db', db, '--by', 'team,service_tier', '--where', 'service_tier=batch', ...OCTOBER, '--format', 'json']);
    expect(batch.rows.map((r) => [r.team, r.service_tier, r.cost_usd])).toEqual([['b', 'batch', 17.5]]);
  });

  it("puts an invoice's money no row explains under (unattributed), not under standard", async () => {
    const copy = join(dir, 'invoiced.db');
    copyFileSync(db, copy);
    // $80.00 billed for October against $65.45 metered: $14.55 no row explains.
    writeFileSync(join(dir, 'invoice.yaml'), 'provider: openai\nnumber: INV-T-10\nissued_at: 2026-11-03\nperiod: { start: 2026-10-01, end: 2026-11-01 }\ncurrency: usd\nlines:\n  - description: API usage\n    amount: "80.00"\ntotal: "80.00"\n');
    expect((await runCli(['import', '--db', copy, join(dir, 'invoice.yaml')])).code).toBe(0);
    const j = await runJson<ReportJson>(['report', '--db', copy, '--by', 'service_tier', ...OCTOBER, '--format', 'json']);
    expect(Object.fromEntries(j.rows.map((r) => [r.service_tier, r.cost_usd]))).toEqual({ standard: 42, batch: 17.5, '(unattributed)': 14.55, priority: 5.95 });
    expect(j.total.cost_usd).toBe(80);
  });
});

describe('forecast, anomalies and export by service_tier', () => {
  it('forecast --by service_tier: each tier its own run rate (10 days of history)', async () => {
    const j = await runJson<{ rows: Array<{ service_tier: string; last_28d_cost_usd: number; p50_cost_usd: number }> }>(['forecast', '--db', db, '--by', 'service_tier', '--format', 'json']);
    // $4.20 a day standard, $1.75 batch, $0.595 priority: × 30 days ahead.
    expect(Object.fromEntries(j.rows.map((r) => [r.service_tier, [r.last_28d_cost_usd, r.p50_cost_usd]]))).toEqual({ standard: [42, 126], batch: [17.5, 52.5], priority: [5.95, 17.85] });
    const batch = await runJson<{ rows: Array<{ team: string; last_28d_cost_usd: number }> }>(['forecast', '--db', db, '--by', 'team', '--where', 'service_tier=batch', '--format', 'json']);
    expect(batch.rows.map((r) => [r.team, r.last_28d_cost_usd])).toEqual([['b', 17.5]]);
  });

  it('anomalies take --by and --where service_tier', async () => {
    const by = await runCli(['anomalies', '--db', db, '--by', 'service_tier']);
    expect(by.code, by.stderr).toBe(0);
    expect(by.stdout).toContain('Anomalies by service_tier');
    expect(by.stderr).toContain('no anomalies in 3 service_tier series');
    const where = await runCli(['anomalies', '--db', db, '--by', 'team', '--where', 'service_tier=standard']);
    expect(where.code, where.stderr).toBe(0);
    expect(where.stderr).toContain('no anomalies in 2 team series');
  });

  it('export --where service_tier=standard writes the rows recording none or standard', async () => {
    const r = await runCli(['export', '--db', db, '--format', 'jsonl', '--where', 'service_tier=standard']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { team: string; cost_usd: string | number; service_tier: string | null });
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((x) => x.service_tier))).toEqual(new Set([null, 'standard']));
    // 10 × $3.50 + 10 × $0.70 = $42.00.
    expect(rows.reduce((s, x) => s + Number(x.cost_usd) * 100, 0) / 100).toBe(42);
    const priority = await runCli(['export', '--db', db, '--format', 'jsonl', '--where', 'service_tier=priority']);
    expect(priority.stdout.trim().split('\n')).toHaveLength(10);
  });
});

describe('an attribution rule cannot set service_tier', () => {
  it('is a config error naming the rule, its line and the dimension; nothing is read', async () => {
    const cwd = tempDir();
    copyFileSync(db, join(cwd, 'l.db'));
    writeFileSync(
      join(cwd, 'llmfin.yaml'),
      'ledger: { path: l.db }\nattribution:\n  rules:\n    - match: { api_key: "sk-a-*" }\n      set: { team: a }\n    - name: nightly-batch\n      match: { feature: digest }\n      set: { service_tier: batch }\n',
    );
    const r = await runCli(['report', '--by', 'service_tier'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('llmfin.yaml:8: attribution.rules.1.set.service_tier: rule "nightly-batch": service_tier is recorded on each row');
    expect(r.stderr).toContain('an attribution rule cannot set it');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unnamed rule by its number', () => {
    const parsed = ConfigSchema.safeParse({ attribution: { rules: [{ match: { feature: 'x' }, set: { team: 'a' } }, { match: { feature: 'y' }, set: { team: 'b', service_tier: 'flex' } }] } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      "attribution.rules.1.set.service_tier: rule 2: service_tier is recorded on each row (the tier the provider served and billed it at; none is standard) and reported as recorded: an attribution rule cannot set it — remove service_tier from the rule's set",
    ]);
  });
});
