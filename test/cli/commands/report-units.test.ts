// `report --metrics units --format csv`: each section as a CSV table of raw values under
// the JSON's names, as every other CSV, so a spreadsheet can sum them (it printed "$3.50"
// and "1,000,000", the text table's display values).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('report --metrics units --format csv', () => {
  it('prints raw values: gpt-4o at $2.50 / $10 per 1M, so 1M input = $2.50 and 100k output = $1.00', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const row = (id: string, team: string, input: number, output: number, trace: string) =>
      JSON.stringify({ id, ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: input, output_tokens: output, team, feature: `${team}-f`, trace_id: trace });
    writeFileSync(join(dir, 'rows.jsonl'), `${[row('a', 'search', 1_000_000, 0, 't1'), row('b', 'search', 0, 100_000, 't1'), row('c', 'platform', 1_000_000, 0, 't2')].join('\n')}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd: dir })).code).toBe(0);
    const r = await runCli(['report', '--db', db, '--metrics', 'units', '--format', 'csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const sections = r.stdout.trimEnd().split('\n\n');
    expect(sections[1]).toBe(
      [
        '# Cost per customer per feature',
        'customer,feature,cost_usd,requests,cost_per_request_usd,unpriced_rows',
        // search: $2.50 + $1.00 over 2 requests = $1.75 a request.
        '(unattributed),search-f,3.5,2,1.75,0',
        '(unattributed),platform-f,2.5,1,2.5,0',
      ].join('\n'),
    );
    expect(sections[0]).toContain('search-f,2,100000,1000000,1000000');
    expect(sections[3]).toBe('# Model tier mix\ntier,cost_usd,share,unpriced_rows\nworkhorse,6,1,0');
    expect(sections[4]).toBe('# Most expensive traces\ntrace,agent,steps,cost_usd,first_ts,unpriced_rows\nt1,(unattributed),2,3.5,2026-10-05T10:00:00.000Z,0\nt2,(unattributed),1,2.5,2026-10-05T10:00:00.000Z,0');
  });
});

describe('report --metrics units with rows of an unknown model', () => {
  it('shows their tier and trace as unpriced, not $0.00, and says how many rows have no price', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    // tr2: 1,000 gpt-4o input tokens at $2.50/1M = $0.0025; tr1: a model no catalogue knows.
    const rows = [
      { id: 't1', ts: '2026-10-03T10:00:00Z', provider: 'openai', model: 'mystery-model-9', input_tokens: 1000, trace_id: 'tr1', agent: 'bot' },
      { id: 't2', ts: '2026-10-03T10:01:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, trace_id: 'tr2', agent: 'bot' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), `${rows.map((x) => JSON.stringify(x)).join('\n')}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd: dir })).code).toBe(0);
    const r = await runCli(['report', '--db', db, '--metrics', 'units'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nworkhorse +\$0\.0025 +100\.0%\nunclassified +unpriced +0\.0%\n/);
    expect(r.stdout).toMatch(/\ntr2 +bot +1 +\$0\.0025 +2026-10-03 10:01:00\ntr1 +bot +1 +unpriced +2026-10-03 10:00:00\n/);
    expect(r.stderr).toContain('1 ledger row has no price');
    const j = JSON.parse((await runCli(['report', '--db', db, '--metrics', 'units', '--format', 'json'], { cwd: dir })).stdout) as {
      unpriced_rows: number;
      model_tier_mix: { rows: Array<{ tier: string; cost_usd: number; unpriced_rows: number }> };
      top_traces: Array<{ trace: string; cost_usd: number; unpriced_rows: number }>;
    };
    expect(j.unpriced_rows).toBe(1);
    expect(j.model_tier_mix.rows).toEqual([
      { tier: 'workhorse', cost_usd: 0.0025, share: 1, unpriced_rows: 0 },
      { tier: 'unclassified', cost_usd: 0, share: 0, unpriced_rows: 1 },
    ]);
    expect(j.top_traces.map((t) => [t.trace, t.cost_usd, t.unpriced_rows])).toEqual([
      ['tr2', 0.0025, 0],
      ['tr1', 0, 1],
    ]);
  });
});

describe('report --metrics units over a bill the metered rows explain in part', () => {
  it('names the bill money no row explains (unattributed) in the tier mix, not an "unknown" tier', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    // The bill: $6.00 of gpt-4o and $4.00 of gpt-4o-mini for the day. The proxy priced 1M
    // gpt-4o input tokens at $2.50/1M = $2.50 (workhorse); the other $7.50 is money no row
    // explains, of no one model.
    const rows = [
      { id: 'b1', ts: '2026-10-03T00:00:00Z', provider: 'openai', model: 'gpt-4o', granularity: 'day', provenance: 'billed', cost_usd: '6.00' },
      { id: 'b2', ts: '2026-10-03T00:00:00Z', provider: 'openai', model: 'gpt-4o-mini', granularity: 'day', provenance: 'billed', cost_usd: '4.00' },
      { id: 'm1', ts: '2026-10-03T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000 },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), `${rows.map((x) => JSON.stringify(x)).join('\n')}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd: dir })).code).toBe(0);
    const j = JSON.parse((await runCli(['report', '--db', db, '--metrics', 'units', '--month', '2026-10', '--format', 'json'], { cwd: dir })).stdout) as {
      model_tier_mix: { rows: Array<{ tier: string; cost_usd: number; share: number }> };
    };
    expect(j.model_tier_mix.rows).toEqual([
      { tier: '(unattributed)', cost_usd: 7.5, share: 0.75, unpriced_rows: 0 },
      { tier: 'workhorse', cost_usd: 2.5, share: 0.25, unpriced_rows: 0 },
    ]);
  });
});

describe('report --metrics units --format markdown on a window with nothing in it', () => {
  it('says each section is empty, as the text does, instead of a table of a footer alone', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    writeFileSync(join(dir, 'rows.jsonl'), `${JSON.stringify({ id: 'a', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 0 })}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd: dir })).code).toBe(0);
    const r = await runCli(['report', '--db', db, '--metrics', 'units', '--format', 'markdown', '--month', '2026-09'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const sections = r.stdout.trimEnd().split('\n\n### ');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections.slice(1)) expect(s.split('\n\n')[1]).toBe('_(none in this period)_');
    expect(r.stdout).not.toContain('| all');
  });
});
