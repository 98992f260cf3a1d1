import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/index.js';
import { ledgerTotals, spendBy } from '../../src/ledger/queries/spend-summary.js';
import { runCli, runJson, tempDir } from '../helpers/cli.js';
import { dec, usdToTicks } from '../../src/shared/money.js';
import { parse } from 'csv-parse/sync';

const DEMO = resolve('fixtures/demo/metered-2026-10.jsonl');
const BILLED = resolve('test/fixtures/importers/openai-costs/costs-2026-10.json');
const FOCUS = resolve('test/fixtures/importers/focus/focus-1.2-ai-2026-10.csv');

interface Imported {
  rows: Array<{ source: string; status: string; rows_imported: number; rows_skipped: number; rows_rejected: number; cost_usd: number }>;
}

/** What `llmfin report` adds up (spend-summary): whole ledger, per layer, per provider and team. */
async function totals(path: string) {
  const ledger = await openLedger(path, { create: false });
  try {
    const { batches: _b, invoices: _i, ...all } = await ledgerTotals(ledger);
    return {
      all,
      byLayer: await spendBy(ledger, { by: ['provider', 'source', 'account'], provenance: ['billed', 'provider_usage', 'metered'] }),
      byTeam: await spendBy(ledger, { by: ['team', 'feature', 'customer', 'environment'] }),
    };
  } finally {
    await ledger.close();
  }
}

describe('llmfin export', () => {
  const cwd = tempDir();
  const db = join(cwd, 'ledger.db');
  beforeAll(async () => {
    const r = await runCli(['import', DEMO, BILLED, FOCUS, '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
  });

  it('--help explains the formats, the round trip and gives examples', async () => {
    const r = await runCli(['export', '--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--format <format>');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(/lossless/);
  });

  it('a bad --format is exit 2 naming the option; the other commands keep their own formats', async () => {
    const xml = await runCli(['export', '--format', 'xml', '--db', db], { cwd });
    expect(xml.code).toBe(2);
    expect(xml.stderr).toContain('--format: expected focus, csv or jsonl, got "xml"');
    expect(xml.stdout).toBe('');
    // The global --format placed before the command is the same option.
    expect((await runCli(['--format', 'table', 'export', '--db', db], { cwd })).stderr).toContain('got "table"');
    const sources = await runCli(['sources', '--format', 'focus'], { cwd });
    expect(sources.code).toBe(2);
    expect(sources.stderr).toMatch(/Allowed choices are table, json, csv, markdown/);
    expect((await runCli(['sources', '--format', 'json'], { cwd })).code).toBe(0);
  });

  it('other bad options are exit 2 and name the option', async () => {
    const cases: Array<[string[], string]> = [
      // The period and --where read as report reads them (src/cli/report-period.ts).
      [['--month', '2026-13'], '--month: expected a month such as 2026-10, got "2026-13"'],
      [['--month', '2026-10', '--since', '2026-10-02'], '--month: expected either --month or --since/--until'],
      [['--since', 'last-week'], 'or days / weeks before today such as 90d or 12w, got "last-week"'],
      [['--since', '2026-10-32'], '--since: expected an ISO 8601 date'],
      [['--since', '2026-10-05', '--until', '2026-10-01'], '--until: expected a time after --since'],
      [['--provenance', 'billed,invoiced'], '--provenance: expected billed, provider_usage or metered, got "invoiced"'],
      [['--where', 'colour=red'], '--where: expected one of '],
      [['--where', 'team'], '--where: expected dimension=value such as team=search, got "team"'],
      [['--where', 'team=a,team=b'], '--where: expected one value per dimension, got team=a and team=b'],
      [['--where', 'team='], '--where: expected a value after "team=", got nothing'],
      [['--out', join(cwd, 'missing-dir', 'x.csv')], '--out: no directory'],
      [['--out', cwd], 'is a directory'],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(['export', ...argv, '--db', db], { cwd });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toContain(message);
    }
  });

  it('a ledger that does not exist is exit 2, and none is created', async () => {
    const missing = join(cwd, 'nope.db');
    const r = await runCli(['export', '--db', missing], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no ledger there');
    expect(existsSync(missing)).toBe(false);
  });

  it('jsonl to stdout by default: one object per row, filters applied', async () => {
    const r = await runCli(['export', '--db', db, '--month', '2026-10', '--provenance', 'metered', '--where', 'team=search', '--where', 'provider=openai'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ provenance: 'metered', team: 'search', provider: 'openai', source: 'llmfin' });
      expect(String(row.ts) >= '2026-10-01' && String(row.ts) < '2026-11-01').toBe(true);
    }
    expect(r.stderr).toBe('');
    // The comma form, as report takes it, selects the same rows.
    const comma = await runCli(['export', '--db', db, '--month', '2026-10', '--provenance', 'metered', '--where', 'team=search,provider=openai'], { cwd });
    expect(comma.code, comma.stderr).toBe(0);
    expect(comma.stdout).toBe(r.stdout);
  });

  it('an empty selection: a header only for csv and focus, nothing for jsonl, with a note on stderr', async () => {
    const none = ['--db', db, '--month', '2020-01'];
    const csv = await runCli(['export', '--format', 'csv', ...none], { cwd });
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')).toEqual([expect.stringMatching(/^id,source,provenance,provider,/), '']);
    expect(csv.stderr).toContain('no ledger rows match; only the header was written');
    const focus = await runCli(['export', '--format', 'focus', ...none], { cwd });
    expect(focus.stdout).toMatch(/^BilledCost,BillingAccountId,.*x_llmfin_status_code\r\n$/);
    const jsonl = await runCli(['export', '--format', 'jsonl', ...none], { cwd });
    expect(jsonl.stdout).toBe('');
    expect(jsonl.stderr).toContain('nothing was written');
  });

  it('--out writes the file atomically and says what it wrote', async () => {
    const out = join(cwd, 'focus.csv');
    const r = await runCli(['export', '--format', 'focus', '--db', db, '--provenance', 'billed', '--out', 'focus.csv'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    // openai-costs: 4 rows; the FOCUS fixture: 24
    expect(r.stderr).toContain('exported 28 rows as focus to focus.csv');
    expect(readFileSync(out, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(29);
  });

  /** The rows of a CSV export as objects. */
  const focusRows = (stdout: string) => parse(stdout, { columns: true }) as Array<Record<string, string>>;

  it('a FOCUS export counts each dollar once, as report does: one layer per provider-month, with a note naming the rows left out', async () => {
    // October's Bedrock spend is in the ledger as the bill (the FOCUS fixture) and as the demo's metered requests.
    const r = await runCli(['export', '--format', 'focus', '--db', db, '--month', '2026-10'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('more than once');
    expect(r.stderr).toContain('note: one layer per provider-month, as `llmfin report` counts money: left out the usage rows of a less authoritative layer in bedrock 2026-10 (62 metered rows); --basis LAYER exports one layer whole');
    const usage = focusRows(r.stdout).filter((row) => row.x_llmfin_charge_category === 'usage');
    expect(new Set(usage.filter((row) => row.ProviderName === 'bedrock').map((row) => row.x_llmfin_provenance))).toEqual(new Set(['billed']));
    // A sum of BilledCost over the usage rows is the report's total for the month, to the tick.
    const ticks = usage.reduce((sum, row) => sum + usdToTicks(dec(row.BilledCost!)), 0n);
    const report = await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--month', '2026-10', '--by', 'provider'], { cwd });
    expect(ticks).toBe(usdToTicks(dec(String(report.total.cost_usd))));
    // The metered Bedrock rows are what report --basis metered counts.
    const metered = await runCli(['export', '--format', 'focus', '--db', db, '--month', '2026-10', '--basis', 'metered'], { cwd });
    expect(metered.code, metered.stderr).toBe(0);
    expect(metered.stderr).toBe('');
    const meteredRows = focusRows(metered.stdout);
    expect(meteredRows.filter((row) => row.ProviderName === 'bedrock')).toHaveLength(62);
    expect(new Set(meteredRows.map((row) => row.x_llmfin_provenance))).toEqual(new Set(['metered']));
  });

  it('--provenance with several layers writes them all, and warns that summing BilledCost counts that spend more than once', async () => {
    const all = await runCli(['export', '--format', 'focus', '--db', db, '--month', '2026-10', '--provenance', 'billed,metered'], { cwd });
    expect(all.code).toBe(0);
    expect(all.stderr).toContain(
      'warning: a sum of BilledCost counts the same spend more than once: bedrock 2026-10 is in 2 layers (billed, metered); leave out --provenance to export one layer per provider-month as `llmfin report` counts it',
    );
    for (const args of [['--provenance', 'billed'], ['--provenance', 'metered'], ['--where', 'provider=openai']]) {
      const one = await runCli(['export', '--format', 'focus', '--db', db, '--month', '2026-10', ...args], { cwd });
      expect(one.code).toBe(0);
      expect(one.stderr).not.toContain('more than once');
    }
    // jsonl and csv move the ledger as it is, layers and all: nothing left out, nothing to warn about.
    const csv = await runCli(['export', '--format', 'csv', '--db', db, '--month', '2026-10', '--where', 'provider=bedrock'], { cwd });
    expect(csv.stderr).toBe('');
    expect(new Set(focusRows(csv.stdout).map((row) => row.provenance))).toEqual(new Set(['billed', 'metered']));
  });

  it('--basis is checked as report checks it, and goes with --provenance only one at a time', async () => {
    const bad = await runCli(['export', '--format', 'focus', '--db', db, '--basis', 'invoice'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--basis: expected default, billed, provider_usage, metered, got "invoice"');
    const both = await runCli(['export', '--format', 'focus', '--db', db, '--basis', 'billed', '--provenance', 'billed'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--basis: give --basis or --provenance, not both');
  });

  it('--out naming the ledger itself is exit 2, and the ledger is left as it was', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger.db');
    expect((await runCli(['import', DEMO, '--db', ledger], { cwd: dir })).code).toBe(0);
    const before = readFileSync(ledger);
    for (const [args, out] of [
      [['--db', 'ledger.db'], 'ledger.db'],
      [['--db', ledger, '--format', 'focus'], './ledger.db'],
      [[], 'ledger.db'],
    ] as const) {
      const r = await runCli(['export', ...args, '--out', out], { cwd: dir, env: { LLMFIN_DB: ledger } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--out: "${out}" is the ledger being exported; give another file name`);
    }
    expect(readFileSync(ledger).equals(before)).toBe(true);
    expect((await totals(ledger)).all.rows).toBeGreaterThan(0);
  });

  it('--out with a compressed name is exit 2: the export is plain text, which gunzip would refuse', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger.db');
    expect((await runCli(['import', DEMO, '--db', ledger], { cwd: dir })).code).toBe(0);
    const r = await runCli(['export', '--db', ledger, '--out', 'ledger.jsonl.gz'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('llmfin: error: --out: "ledger.jsonl.gz" names a gz file, but an export is written as plain text; expected a name such as "ledger.jsonl"\nhint: to compress it, pipe it: llmfin export … | gzip > ledger.jsonl.gz\n');
    expect(readdirSync(dir).sort()).toEqual(['ledger.db']);
  });

  it.runIf(process.platform === 'linux')('a file that cannot be written to the end (a size limit, a full disk) is exit 2 naming --out; no file is left', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledger.jsonl'), 'earlier export\n');
    // The demo's rows are megabytes; the shell's file size limit stops the writes early (EFBIG).
    const bin = join(import.meta.dirname, '../../bin/llmfin');
    const r = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn('sh', ['-c', `ulimit -f 64; exec "${process.execPath}" "${bin}" export --db "${db}" --out ledger.jsonl`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin: error: --out: cannot write "ledger.jsonl" (EFBIG: file too large, write); nothing was written there');
    expect(r.stderr).not.toContain('internal error');
    expect(readFileSync(join(dir, 'ledger.jsonl'), 'utf8')).toBe('earlier export\n');
    expect(readdirSync(dir)).toEqual(['ledger.jsonl']);
  });

  it("llmfin's own FOCUS export imports back as its ledger rows (llmfin source), never as a second bill; --source focus refuses it", async () => {
    const dir = tempDir();
    expect((await runCli(['export', '--format', 'focus', '--db', db, '--out', 'mine.csv'], { cwd: dir })).code).toBe(0);
    const forced = await runCli(['import', 'mine.csv', '--source', 'focus', '--db', 'other.db'], { cwd: dir });
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain("mine.csv: llmfin's own FOCUS export (x_llmfin_* columns), which --source focus would read as bills of unknown meters");
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
    const r = await runJson<Imported>(['import', 'mine.csv', '--db', 'other.db'], { cwd: dir });
    expect(r.rows).toMatchObject([{ source: 'llmfin', status: 'imported', rows_rejected: 0 }]);
    type Report = { rows: Array<{ cost_usd: number; requests: number }> };
    const report = (path: string) => runJson<Report>(['report', '--by', 'provider,model', '--db', path], { cwd: dir });
    const sum = (rep: Report, key: 'cost_usd' | 'requests') => rep.rows.reduce((total, row) => dec(total).plus(row[key]).toNumber(), 0);
    // The default basis left out bedrock's metered rows of its billed month: the same dollars,
    // but the report's requests and models of that month came from those rows.
    const original = await report(db);
    const fromDefault = await report(join(dir, 'other.db'));
    expect(sum(fromDefault, 'cost_usd')).toBe(sum(original, 'cost_usd'));
    expect(sum(fromDefault, 'requests')).toBeLessThan(sum(original, 'requests'));
    // Every layer exported, the copy reports what the original does, row for row.
    expect((await runCli(['export', '--format', 'focus', '--provenance', 'billed,provider_usage,metered', '--db', db, '--out', 'all.csv'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['import', 'all.csv', '--db', 'all.db'], { cwd: dir })).code).toBe(0);
    for (const by of ['provider,model', 'team']) {
      const rep = (path: string) => runJson(['report', '--by', by, '--db', path], { cwd: dir });
      expect(await rep(join(dir, 'all.db')), by).toEqual(await rep(db));
    }
  });

  it('a failure mid-export leaves the earlier file untouched and no half file (exit 3)', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.db');
    expect((await runCli(['import', DEMO, '--db', broken], { cwd: dir })).code).toBe(0);
    // A row whose tags are not JSON, late in the export: the first chunks are already written.
    const raw = new Database(broken);
    raw.prepare(`update usage_entries set tags = '{broken' where id = (select max(id) from usage_entries)`).run();
    raw.close();
    writeFileSync(join(dir, 'ledger.jsonl'), 'earlier export\n');
    const r = await runCli(['export', '--db', broken, '--out', 'ledger.jsonl'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(readFileSync(join(dir, 'ledger.jsonl'), 'utf8')).toBe('earlier export\n');
    expect(readdirSync(dir).filter((f) => f.includes('ledger.jsonl'))).toEqual(['ledger.jsonl']);
  });

  for (const format of ['jsonl', 'csv']) {
    it(`${format}: export, \`llmfin import\` into an empty ledger: same report totals to the tick; importing again changes nothing`, async () => {
      const dir = tempDir();
      const file = `ledger.${format}`;
      expect((await runCli(['export', '--format', format, '--db', db, '--out', file], { cwd: dir })).code).toBe(0);
      const copy = join(dir, 'copy.db');
      const first = await runJson<Imported>(['import', file, '--db', copy], { cwd: dir });
      const before = await totals(db);
      expect(first.rows[0]).toMatchObject({ source: 'llmfin', rows_imported: before.all.rows, rows_rejected: 0 });
      expect(first.rows[0]!.cost_usd).toBe(Number(before.all.cost_usd));
      expect(await totals(copy)).toEqual(before);

      const again = await runJson<Imported>(['import', file, '--db', copy], { cwd: dir });
      expect(again.rows[0]).toMatchObject({ status: 'already-imported' });
      // Into the ledger it came from: every row is already there.
      const home = await runJson<Imported>(['import', file, '--db', db], { cwd: dir });
      expect(home.rows[0]).toMatchObject({ rows_imported: 0, rows_skipped: before.all.rows });
      expect(await totals(db)).toEqual(before);
    });
  }
});

describe('llmfin export --format focus with a negotiated discount (pricing.discounts)', () => {
  it('ListCost is the catalogue list price before the discount; BilledCost, ContractedCost and EffectiveCost the discounted price', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  discounts:\n    - provider: openai\n      percent: 20\n');
    const row = (id: string, provider: string, model: string, input: number, cacheRead: number, output: number) =>
      JSON.stringify({ id, ts: '2026-10-05T12:00:00Z', provenance: 'metered', provider, model, requests: 1, input_tokens: input, cache_read_tokens: cacheRead, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0, output_tokens: output, reasoning_tokens: 0 });
    writeFileSync(
      join(cwd, 'usage.jsonl'),
      `${row('discounted', 'openai', 'gpt-4o', 1_000_000, 200_000, 100_000)}\n${row('list', 'anthropic', 'claude-haiku-4-5', 100_000, 0, 10_000)}\n`,
    );
    expect((await runCli(['import', 'usage.jsonl', '--db', 'x.db'], { cwd })).code).toBe(0);
    const r = await runCli(['export', '--format', 'focus', '--db', 'x.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const [header, ...lines] = r.stdout.trim().split('\r\n');
    const columns = header!.split(',');
    const cell = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    const costs = (line: string) => ['BilledCost', 'ListCost', 'ContractedCost', 'EffectiveCost'].map((c) => cell(line, c));
    expect(lines).toHaveLength(2);
    // gpt-4o: 800,000 uncached input × $2.50/1M = $2.00, 200,000 cache reads × $1.25/1M = $0.25,
    // 100,000 output × $10/1M = $1.00: list $3.25; 20% off ($0.65): $2.60.
    expect(costs(lines.find((l) => l.includes('gpt-4o'))!)).toEqual(['2.6', '3.25', '2.6', '2.6']);
    // No discount on Anthropic: 100,000 × $1/1M + 10,000 × $5/1M = $0.15 in all four.
    expect(costs(lines.find((l) => l.includes('claude-haiku-4-5'))!)).toEqual(['0.15', '0.15', '0.15', '0.15']);
  });
});

describe('llmfin export --format focus with attribution rules', () => {
  it('Tags carry the dimensions report gives each row: a rule\'s team, a rule-only dimension, an override; recorded values otherwise', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'llmfin.yaml'),
      [
        'attribution:',
        '  rules:',
        '    - match: { project: "proj_search*" }',
        '      set: { team: search, cost_center: CC-7 }',
        '    - match: { api_key: sk-legal }',
        '      set: { team: legal }',
        '      override: true',
        '',
      ].join('\n'),
    );
    const row = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({ id, ts: '2026-10-05T12:00:00Z', provenance: 'metered', provider: 'anthropic', model: 'claude-haiku-4-5', requests: 1, input_tokens: 100_000, output_tokens: 10_000, ...extra });
    writeFileSync(
      join(cwd, 'usage.jsonl'),
      [
        row('by-rule', { project: 'proj_search_1' }),
        row('recorded', { project: 'proj_search_2', team: 'growth', tags: { cost_center: 'CC-9', owner: 'kim' } }),
        row('override', { team: 'growth', api_key: 'sk-legal' }),
        row('none', { feature: 'chat' }),
      ].join('\n') + '\n',
    );
    expect((await runCli(['import', 'usage.jsonl', '--db', 'x.db'], { cwd })).code).toBe(0);
    const r = await runCli(['export', '--format', 'focus', '--db', 'x.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
    const tags = Object.fromEntries(rows.map((x) => [x.x_llmfin_dedupe_key, JSON.parse(x.Tags!) as Record<string, string>]));
    expect(tags).toEqual({
      'by-rule': { team: 'search', project: 'proj_search_1', cost_center: 'CC-7' },
      // A recorded team and tag win over a rule without override; other tags stay.
      recorded: { team: 'growth', project: 'proj_search_2', cost_center: 'CC-9', owner: 'kim' },
      override: { team: 'legal', api_key: 'sk-legal' },
      none: { feature: 'chat' },
    });
    // The same as `report --by team,cost_center` gives them.
    const report = JSON.parse((await runCli(['report', '--by', 'team,cost_center', '--db', 'x.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ team: string; cost_center: string }> };
    expect(report.rows.map((x) => `${x.team}/${x.cost_center}`).sort()).toEqual(['(unattributed)/(unattributed)', 'growth/CC-9', 'legal/(unattributed)', 'search/CC-7']);
  });
});

describe('llmfin export --format focus with an unknown model', () => {
  it('warns of each unpriced row written as BilledCost 0, in the singular for one', async () => {
    const cwd = tempDir();
    const one = '{"id":"u1","ts":"2026-10-03T09:00:00Z","provider":"openai","model":"gpt-9-unknown","requests":10,"input_tokens":1000,"output_tokens":100}\n';
    writeFileSync(join(cwd, 'u.jsonl'), one);
    expect((await runCli(['import', 'u.jsonl', '--db', 'l.db'], { cwd })).code).toBe(0);
    const r = await runCli(['export', '--format', 'focus', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: 1 unpriced row written with BilledCost 0: its cost is unknown, not $0 (x_llmfin_cost_status=unpriced)');
    writeFileSync(join(cwd, 'u2.jsonl'), one.replace('"u1"', '"u2"').replace('09:00', '10:00'));
    expect((await runCli(['import', 'u2.jsonl', '--db', 'l.db'], { cwd })).code).toBe(0);
    const two = await runCli(['export', '--format', 'focus', '--db', 'l.db'], { cwd });
    expect(two.stderr).toContain('warning: 2 unpriced rows written with BilledCost 0: their cost is unknown, not $0');
  });
});
