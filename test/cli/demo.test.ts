import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openLedger } from '../../src/ledger/index.js';
import { dec } from '../../src/shared/money.js';
import { runCli, tempDir } from '../helpers/cli.js';

interface DemoJson {
  ledger: string;
  imported: Array<{ rows_imported: number; status: string; unpriced_rows: number }>;
  total: { cost_usd: number; requests: number; rows: number; unpriced_rows: number };
  by_provider: Array<{ provider: string; cost_usd: number; share: number }>;
  by_team: Array<{ team: string; cost_usd: number }>;
  by_model: Array<{ model: string }>;
  forecast: { since: string; rows: Array<{ p10_cost_usd: number; p50_cost_usd: number; p90_cost_usd: number }> };
  insights: Array<{ priority: string; impact_usd_per_month: number }>;
}

describe('llmfin demo', () => {
  const cwd = tempDir();
  const db = join(cwd, 'demo.db');

  it('builds a priced ledger from the bundled month and shows its views', async () => {
    const r = await runCli(['demo', '--db', db, '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as DemoJson;
    expect(json.ledger).toBe(db);
    expect(json.imported[0]).toMatchObject({ status: 'imported', rows_imported: 2108, unpriced_rows: 0 });
    expect(json.total.unpriced_rows).toBe(0);
    expect(json.by_provider.map((p) => p.provider).sort()).toEqual(['anthropic', 'bedrock', 'google', 'openai']);
    expect(json.by_team).toHaveLength(5);
    expect(json.by_model).toHaveLength(9);
    // The views partition the total exactly.
    const sum = json.by_provider.reduce((s, p) => s.plus(dec(p.cost_usd)), dec(0));
    expect(sum.toFixed()).toBe(dec(json.total.cost_usd).toFixed());
    expect(json.forecast.since).toBe('2026-11-01');
    expect(json.forecast.rows).toHaveLength(5);
    for (const f of json.forecast.rows) expect(f.p10_cost_usd <= f.p50_cost_usd && f.p50_cost_usd <= f.p90_cost_usd).toBe(true);
    expect(json.insights.length).toBeGreaterThan(0);
  });

  it("its forecast rows name their method as forecast's JSON does", async () => {
    type Row = { feature: string; method: string; selected_method: string | null; p50_cost_usd: number };
    const demo = JSON.parse((await runCli(['demo', '--db', db, '--format', 'json'], { cwd })).stdout) as { forecast: { rows: Row[] } };
    const args = ['forecast', '--db', db, '--by', 'feature', '--horizon', '30d', '--format', 'json'];
    const forecast = JSON.parse((await runCli(args, { cwd })).stdout) as { rows: Row[] };
    expect(demo.forecast.rows).toHaveLength(5);
    for (const row of demo.forecast.rows) {
      expect(['combination', 'run-rate', 'mean-rate']).toContain(row.method);
      expect(['combination', 'theta', 'damped-trend', 'seasonal-naive', null]).toContain(row.selected_method);
    }
    // The demo prices its history as of the day after its sample ends, forecast at today's
    // prices, so a price change between the two can move a group's figures and its choice of
    // method. A group whose P50 is the same in both was forecast from the same figures: its
    // methods must be the same too (support-agent's models have no price change since).
    const same = demo.forecast.rows.filter((row) => forecast.rows.find((r) => r.feature === row.feature)!.p50_cost_usd === row.p50_cost_usd);
    expect(same.map((r) => r.feature)).toContain('support-agent');
    for (const row of same) {
      const f = forecast.rows.find((r) => r.feature === row.feature)!;
      expect({ feature: row.feature, method: row.method, selected_method: row.selected_method }).toEqual({ feature: f.feature, method: f.method, selected_method: f.selected_method });
    }
  });

  it("its window and shares read as report's: until is the end (exclusive) of the last day, shares to six places", async () => {
    const json = JSON.parse((await runCli(['demo', '--db', db, '--format', 'json'], { cwd })).stdout) as DemoJson & { since: string; until: string; by_team: Array<{ team: string; share: number }> };
    const report = JSON.parse((await runCli(['report', '--db', db, '--by', 'team', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ team: string; share: number }> };
    expect(json.until).toBe('2026-11-01T00:00:00.000Z');
    expect(json.since.slice(0, 10)).toBe('2026-08-01');
    for (const t of json.by_team) expect(t.share).toBe(report.rows.find((r) => r.team === t.team)!.share);
  });

  it('shows the sample budgets as budget status would on 2026-10-24: spent is report\'s total for the scope from October 1', async () => {
    type Budget = { name: string; scope: string; spent_usd: number; limit_usd: number; percent: number; state: string };
    const json = JSON.parse((await runCli(['demo', '--db', db, '--format', 'json'], { cwd })).stdout) as { budgets: { at: string; rows: Budget[] } };
    expect(json.budgets.at).toBe('2026-10-24T00:00:00.000Z');
    expect(json.budgets.rows.map((b) => b.name)).toEqual(['research-agent-monthly', 'support-monthly', 'org-monthly', 'platform-monthly', 'search-monthly']);
    const spent = async (by: string, value: string | undefined) => {
      const args = ['report', '--db', db, '--since', '2026-10-01', '--until', '2026-10-24', '--format', 'json', ...(by ? ['--by', by] : [])];
      const r = JSON.parse((await runCli(args, { cwd })).stdout) as { rows: Array<Record<string, unknown>>; total: { cost_usd: number } };
      return value === undefined ? r.total.cost_usd : (r.rows.find((x) => x[by] === value)!.cost_usd as number);
    };
    const row = (name: string) => json.budgets.rows.find((b) => b.name === name)!;
    expect(row('support-monthly').spent_usd).toBe(await spent('team', 'support'));
    expect(row('research-agent-monthly').spent_usd).toBe(await spent('feature', 'research-agent'));
    expect(row('org-monthly').spent_usd).toBe(await spent('', undefined));
    // $430.13 of $500: amber from 80%.
    expect(row('research-agent-monthly')).toMatchObject({ limit_usd: 500, state: 'amber' });
  });

  it('prices a fixture row exactly as by hand', async () => {
    // claude-haiku-4-5 (1 / 5 / read 0.1 / write 1.25): input 6,000,083 of which 2,950,136 cache
    // read and 124,084 cache write → uncached 2,925,863; output 519,570.
    // 2,925,863×1 + 2,950,136×0.1 + 124,084×1.25 + 519,570×5 = 5,973,831.6 per 1M → $5.9738316
    const ledger = await openLedger(db);
    const row = await ledger.db
      .selectFrom('usage_entries')
      .select(['cost_usd', 'uncached_input_tokens', 'cost_status'])
      .where('dedupe_key', '=', 'demo-2026-10-01-ticket-summary-acme-production')
      .executeTakeFirstOrThrow();
    await ledger.close();
    expect(row).toEqual({ cost_usd: '5.9738316', uncached_input_tokens: 2925863, cost_status: 'priced' });
  });

  it('prices a day of agent requests at base rates: the tier is per request, not per day', async () => {
    // claude-sonnet-4-5, 875 requests, 12,541,865 input (~14,333 per request, far below 200K):
    // uncached 12,541,865 − 7,916,526 read − 915,712 1h-write = 3,709,627
    // 3,709,627×3 + 7,916,526×0.3 + 915,712×6 + 549,844×15 = 27,245,770.8 per 1M → $27.2457708
    const ledger = await openLedger(db);
    const row = await ledger.db
      .selectFrom('usage_entries')
      .select(['cost_usd'])
      .where('dedupe_key', '=', 'demo-2026-10-01-support-agent-acme-production')
      .executeTakeFirstOrThrow();
    await ledger.close();
    expect(row.cost_usd).toBe('27.2457708');
  });

  it('running it again on the same ledger adds nothing', async () => {
    const first = JSON.parse((await runCli(['demo', '--db', db, '--format', 'json'], { cwd })).stdout) as DemoJson;
    expect(first.imported[0]).toMatchObject({ status: 'already-imported', rows_imported: 0 });
    expect(first.total.rows).toBe(2108 + 3944 + 174);
  });

  it('without --db it uses a fresh temporary ledger and prints where', async () => {
    const r = await runCli(['demo'], { cwd });
    expect(r.code).toBe(0);
    const path = /ledger\s+(\S+)/.exec(r.stdout)?.[1];
    expect(path).toMatch(/llmfin-demo-.*ledger\.db$/);
    expect(existsSync(path!)).toBe(true);
    expect(r.stdout).toContain('Spend by team');
    expect(r.stdout).toContain('support-agent');
    // Forecast and insights views (PRODUCT.md: report, forecast, budgets, insights).
    expect(r.stdout).toContain('Forecast, next 30 days from 2026-11-01');
    expect(r.stdout).toContain('Insights (top 6)');
    expect(r.stdout).toMatch(/High\s+\S/);
  });

  it('without --db it leaves the sample budgets in llmfin.yaml beside the ledger, and budget status there shows them as the demo did', async () => {
    const r = await runCli(['demo', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    const demo = JSON.parse(r.stdout) as { ledger: string; config: string; budgets: { rows: Array<{ name: string; spent_usd: number; limit_usd: number }> } };
    expect(demo.config).toBe(join(dirname(demo.ledger), 'llmfin.yaml'));
    // The config names the ledger, so --config alone opens it, from any folder.
    const s = await runCli(['budget', 'status', '--config', demo.config, '--at', '2026-10-24', '--format', 'json'], { cwd });
    expect(s.code).toBe(0);
    const status = JSON.parse(s.stdout) as { rows: Array<{ name: string; spent_usd: number; limit_usd: number }> };
    const pick = (rows: Array<{ name: string; spent_usd: number; limit_usd: number }>) => rows.map((b) => [b.name, b.spent_usd, b.limit_usd]).sort();
    expect(status.rows).toHaveLength(5);
    expect(pick(status.rows)).toEqual(pick(demo.budgets.rows));
    const text = await runCli(['demo'], { cwd });
    expect(text.stdout).toMatch(/llmfin budget status --config \S+llmfin-demo-\S+\/llmfin\.yaml --at 2026-10-24/);
  });

  it('with --db it writes no llmfin.yaml, and says so in its JSON', async () => {
    const dir = tempDir();
    const r = await runCli(['demo', '--db', join(dir, 'mine.db'), '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { config: unknown }).config).toBeNull();
    expect(existsSync(join(dir, 'llmfin.yaml'))).toBe(false);
  });

  it('refuses a ledger that holds real data, from --db or LLMFIN_DB, and leaves it as it was', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.db');
    writeFileSync(join(dir, 'mine.jsonl'), JSON.stringify({ id: 'req-1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, team: 'search' }) + '\n');
    expect((await runCli(['import', '--db', real, join(dir, 'mine.jsonl')], { cwd: dir })).code).toBe(0);
    for (const [args, env, named] of [
      [['--db', real], {}, '--db'],
      [[], { LLMFIN_DB: real }, 'LLMFIN_DB'],
    ] as const) {
      const r = await runCli(['demo', ...args], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${named}: ${real} already holds 1 ledger row not from the demo's sample data`);
      expect(r.stderr).toContain('hint: give the demo a new file with --db demo.db');
    }
    const ledger = await openLedger(real);
    try {
      const rows = await ledger.db.selectFrom('usage_entries').select(['dedupe_key']).execute();
      expect(rows).toEqual([{ dedupe_key: 'req-1' }]);
    } finally {
      await ledger.close();
    }
  });

  it('names what a refused ledger holds as it is: an invoice is not a ledger row', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.db');
    writeFileSync(join(dir, 'inv.yaml'), 'provider: openai\nnumber: INV-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: API usage, amount: "10.00" }\ntotal: "10.00"\n');
    expect((await runCli(['import', '--db', real, join(dir, 'inv.yaml')], { cwd: dir })).code).toBe(0);
    const invoiceOnly = await runCli(['demo', '--db', real], { cwd: dir });
    expect(invoiceOnly.code).toBe(2);
    expect(invoiceOnly.stderr).toContain(`--db: ${real} already holds 1 invoice not from the demo's sample data`);
    const rows = ['a', 'b'].map((id) => JSON.stringify({ id, ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100 })).join('\n');
    writeFileSync(join(dir, 'mine.jsonl'), `${rows}\n`);
    expect((await runCli(['import', '--db', real, join(dir, 'mine.jsonl')], { cwd: dir })).code).toBe(0);
    const both = await runCli(['demo', '--db', real], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`--db: ${real} already holds 2 ledger rows and 1 invoice not from the demo's sample data`);
  });

  it('an unwritable --db is exit 2 naming the path', async () => {
    const blocker = join(cwd, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const r = await runCli(['demo', '--db', join(blocker, 'ledger.db')], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(blocker, 'ledger.db'));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('llmfin init', () => {
  it('writes a commented llmfin.yaml that llmfin itself accepts, and creates the ledger', async () => {
    const cwd = tempDir();
    const r = await runCli(['init', '--db', 'team.db', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { config: string; ledger: string };
    expect(json.config).toBe(join(cwd, 'llmfin.yaml'));
    expect(json.ledger).toBe(join(cwd, 'team.db'));
    expect(existsSync(json.ledger)).toBe(true);
    // The written config loads: a later command reads it without complaint.
    expect((await runCli(['pricing', 'list', '--provider', 'anthropic'], { cwd })).code).toBe(0);
  });
  it('refuses to overwrite without --force', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), '{}\n');
    const r = await runCli(['init'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect((await runCli(['init', '--force', '--db', 'x.db'], { cwd })).code).toBe(0);
  });

  it('points the config it writes at the --db ledger, so later commands there open it without the flag', async () => {
    const cwd = tempDir();
    expect((await runCli(['init', '--db', 'team.db'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'llmfin.yaml'), 'utf8')).toContain('\n  path: "./team.db"\n');
    writeFileSync(join(cwd, 'rows.jsonl'), JSON.stringify({ id: 'r1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0 }) + '\n');
    expect((await runCli(['import', join(cwd, 'rows.jsonl')], { cwd })).code).toBe(0);
    // 1M input tokens of gpt-4o at $2.50 per 1M, read back from team.db with no --db.
    const report = await runCli(['report', '--format', 'json'], { cwd });
    expect(JSON.parse(report.stdout).total.cost_usd).toBe(2.5);
    // A config in a sub-folder names the ledger relative to itself.
    mkdirSync(join(cwd, 'sub'));
    expect((await runCli(['init', '--config', join('sub', 'llmfin.yaml'), '--db', join('data', 'l.db')], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'sub', 'llmfin.yaml'), 'utf8')).toContain('\n  path: "../data/l.db"\n');
  });

  it('leaves no llmfin.yaml behind (and an overwritten one as it was) when the ledger cannot be created', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'a-folder'));
    const r = await runCli(['init', '--db', 'a-folder'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot open ledger ${join(cwd, 'a-folder')}: it is a directory, not a ledger file`);
    expect(existsSync(join(cwd, 'llmfin.yaml'))).toBe(false);
    // Fixing the path then works without --force.
    expect((await runCli(['init', '--db', 'ok.db'], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'llmfin.yaml'), 'mine: true\n');
    expect((await runCli(['init', '--force', '--db', 'a-folder'], { cwd })).code).toBe(2);
    expect(readFileSync(join(cwd, 'llmfin.yaml'), 'utf8')).toBe('mine: true\n');
  });
});
