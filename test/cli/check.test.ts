// `llmfin baseline save` and `llmfin check` end to end, in-process: ledgers built from
// llmfin JSONL rows tagged with a run id (what `llmfin proxy --run-id` records).
// gpt-4o costs $2.50 input, $1.25 cache read, $10 output per 1M tokens; gpt-4o-mini $0.15, $0.075, $0.60.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCatalogueDir } from '../../src/pricing/price-catalogue.js';
import { workspace, type Workspace } from '../check/check-helpers.js';

interface CheckJson {
  passed: boolean;
  rows: Array<{
    feature?: string;
    scenario?: string;
    status: string;
    before: { cost_per_request_usd: number | null; cost_per_request_current_prices_usd: number | null } | null;
    after: { cost_per_request_usd: number | null; cost_per_request_current_prices_usd: number | null; requests: number } | null;
    cost_per_request_change: number | null;
    tokens_per_request_change: number | null;
    price_effect: number | null;
    problems: Array<{ kind: string; fails: boolean; message: string }>;
    likely_causes: string[];
  }>;
}

/** A baseline of run "base": checkout 1000 in / 100 out on gpt-4o ($0.0035), search on gpt-4o-mini with half the input cached. */
async function withBaseline(): Promise<Workspace> {
  const ws = workspace();
  await ws.record([
    { feature: 'checkout', input: 1000, output: 100, runId: 'base', n: 4 },
    { feature: 'search', model: 'gpt-4o-mini', input: 1000, output: 100, cacheRead: 500, runId: 'base', n: 2 },
  ]);
  const saved = await ws.cli(['baseline', 'save', '--run', 'base']);
  expect(saved.code, saved.stderr).toBe(0);
  return ws;
}

async function checkJson(ws: Workspace, argv: string[], env?: Record<string, string>): Promise<{ code: number; json: CheckJson; stderr: string }> {
  const r = await ws.cli(['check', ...argv, '--format', 'json'], env);
  return { code: r.code, json: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

describe('llmfin baseline save', () => {
  it('writes a versioned, sorted, deterministic file with the hand-computed costs', async () => {
    const ws = await withBaseline();
    const file = join(ws.dir, 'llmfin.baseline.json');
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as { schema_version: number; kind: string; usage: { run_id: string; catalogue_version: string; group_by: string; groups: Record<string, Record<string, unknown>>; prices: Record<string, unknown> } };
    expect(doc.schema_version).toBe(1);
    expect(doc.kind).toBe('llmfin-baseline');
    expect(doc.usage.run_id).toBe('base');
    expect(Object.keys(doc.usage.groups)).toEqual(['checkout', 'search']);
    expect(Object.keys(doc.usage.prices)).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    expect(doc.usage.groups.checkout).toMatchObject({ requests: 4, cost_usd: '0.014', cost_per_request_usd: '0.0035', cache_hit_ratio: 0, model_mix: { 'gpt-4o': 1 } });
    // 500 × 0.15 + 500 × 0.075 + 100 × 0.60, per 1M
    expect(doc.usage.groups.search).toMatchObject({ requests: 2, cost_per_request_usd: '0.0001725', cache_hit_ratio: 0.5, input_tokens_per_request: 1000 });
    // Saving again gives the same bytes: it diffs cleanly in git.
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['kind', 'llmfin_version', 'prompts', 'schema_version', 'usage']);
  });

  it('prints the groups, and exits 2 when the run recorded nothing', async () => {
    const ws = await withBaseline();
    const r = await ws.cli(['baseline', 'save', '--run', 'base', '--out', 'b.json']);
    expect(r.stdout).toContain('checkout');
    expect(r.stdout).toContain('$0.0035');
    expect(r.stderr).toContain('wrote b.json: 2 groups');
    const none = await ws.cli(['baseline', 'save', '--run', 'nope']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no metered requests tagged run_id=nope');
  });

  it('groups by scenario (the scenario tag, else the feature) and by model', async () => {
    const ws = workspace();
    await ws.record([
      { feature: 'checkout', scenario: 'happy-path', input: 100, output: 10, runId: 'r' },
      { feature: 'checkout', input: 100, output: 10, runId: 'r' },
      { feature: 'search', model: 'gpt-4o-mini', input: 100, output: 10, runId: 'r' },
    ]);
    const byScenario = await ws.cli(['baseline', 'save', '--run', 'r', '--by', 'scenario', '--format', 'json']);
    expect((JSON.parse(byScenario.stdout) as { rows: Array<{ scenario: string }> }).rows.map((r) => r.scenario)).toEqual(['checkout', 'happy-path', 'search']);
    const byModel = await ws.cli(['baseline', 'save', '--run', 'r', '--by', 'model', '--format', 'json']);
    expect((JSON.parse(byModel.stdout) as { rows: Array<{ model: string; requests: number }> }).rows).toMatchObject([{ model: 'gpt-4o', requests: 2 }, { model: 'gpt-4o-mini', requests: 1 }]);
    expect((await ws.cli(['baseline', 'save', '--by', 'team'])).code).toBe(2);
  });
});

describe('llmfin check', () => {
  it('has help with examples and exit codes, for check and baseline save', async () => {
    const ws = workspace();
    const check = await ws.cli(['check', '--help']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Examples:');
    expect(check.stdout).toContain('Exit codes: 0 pass · 1 regression · 2 missing or invalid baseline, bad option.');
    const save = await ws.cli(['baseline', 'save', '--help']);
    expect(save.code).toBe(0);
    expect(save.stdout).toContain('$ llmfin baseline save --run');
    expect((await ws.cli(['baseline', 'load'])).code).toBe(2);
  });

  it('passes an unchanged run (exit 0)', async () => {
    const ws = await withBaseline();
    await ws.record([
      { feature: 'checkout', input: 1000, output: 100, runId: 'pr', n: 2 },
      { feature: 'search', model: 'gpt-4o-mini', input: 1000, output: 100, cacheRead: 500, runId: 'pr' },
    ]);
    const { code, json } = await checkJson(ws, ['--run', 'pr']);
    expect(code).toBe(0);
    expect(json.passed).toBe(true);
    expect(json.rows.map((r) => [r.feature, r.status, r.cost_per_request_change])).toEqual([['checkout', 'pass', 0], ['search', 'pass', 0]]);
  });

  it('--format csv gives the JSON rows\' raw values under their JSON names, as every command does', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1500, output: 100, runId: 'pr', n: 2 }]);
    const r = await ws.cli(['check', '--run', 'pr', '--format', 'csv']);
    expect(r.code).toBe(1);
    const [header, ...lines] = r.stdout.trim().split('\n');
    const cols = header!.split(',');
    const checkout = Object.fromEntries(lines.map((l) => l.split(',')).find((c) => c[0] === 'checkout')!.map((v, i) => [cols[i], v]));
    // 1500 × 2.5 + 100 × 10 per 1M = 0.00475 against 0.0035: +35.7143%, as numbers a spreadsheet sums.
    expect(checkout).toMatchObject({ feature: 'checkout', status: 'fail', 'after.cost_per_request_usd': '0.00475', 'before.cost_per_request_usd': '0.0035', cost_per_request_change: '0.357143' });
    // Not the table's display text ("$0.0035 → $0.00475", "+35.7%").
    expect(Object.values(checkout).slice(2, 20).join(' ')).not.toMatch(/→|%|\$/);
  });

  it('--format csv, which has no place for them, gives the notes on stderr', async () => {
    const ws = await withBaseline();
    // gpt-4.1 is not in the baseline's catalogue snapshot: priced at current prices on both sides, as a note says.
    await ws.record([{ feature: 'checkout', model: 'gpt-4.1', input: 1000, output: 100, runId: 'pr' }]);
    const csv = await ws.cli(['check', '--run', 'pr', '--format', 'csv']);
    expect(csv.stdout).not.toContain('note:');
    expect(csv.stderr).toContain("note: not in the baseline's catalogue snapshot, priced at current prices on both columns: gpt-4.1");
    // JSON carries them in "notes", the table and Markdown in their text: not twice.
    const json = await ws.cli(['check', '--run', 'pr', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes).toEqual(["not in the baseline's catalogue snapshot, priced at current prices on both columns: gpt-4.1"]);
    expect(json.stderr).not.toContain('note:');
  });

  it('--format csv has the same columns on every line: an absent side is empty cells, the model mix one sorted column per model', async () => {
    const ws = await withBaseline();
    // checkout moves to gpt-4o-mini, search is not run, chat is new.
    await ws.record([
      { feature: 'checkout', model: 'gpt-4o-mini', input: 1000, output: 100, runId: 'pr' },
      { feature: 'chat', input: 1000, output: 100, runId: 'pr' },
    ]);
    const r = await ws.cli(['check', '--run', 'pr', '--format', 'csv']);
    expect(r.code).toBe(0);
    const parse = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!).slice(0, -1);
    const [header, ...lines] = r.stdout.trim().split('\n').map(parse);
    const side = (p: string) => ['requests', 'cost_per_request_usd', 'cost_per_request_current_prices_usd', 'cost_per_request_at_least_usd', 'cost_per_request_current_prices_at_least_usd', 'unknown_cost_requests', 'input_tokens_per_request', 'output_tokens_per_request', 'cache_hit_ratio', 'model_mix.gpt-4o', 'model_mix.gpt-4o-mini'].map((k) => `${p}.${k}`);
    expect(header).toEqual([
      'feature', 'status', ...side('before'), ...side('after'),
      'cost_per_request_change', 'cost_per_request_change_current_prices', 'tokens_per_request_change', 'price_effect',
      'thresholds.max_increase_percent', 'thresholds.max_token_increase_percent', 'thresholds.max_cost_per_request_usd', 'problems', 'likely_causes',
    ]);
    for (const line of lines) expect(line).toHaveLength(header!.length);
    const row = (g: string) => Object.fromEntries(lines.find((l) => l[0] === g)!.map((v, i) => [header![i], v]));
    expect(row('chat')).toMatchObject({ status: 'warn', 'before.requests': '', 'before.model_mix.gpt-4o': '', 'after.requests': '1', 'after.model_mix.gpt-4o': '1', 'after.model_mix.gpt-4o-mini': '0' });
    expect(row('checkout')).toMatchObject({ 'before.model_mix.gpt-4o': '1', 'before.model_mix.gpt-4o-mini': '0', 'after.model_mix.gpt-4o': '0', 'after.model_mix.gpt-4o-mini': '1' });
    expect(row('search')).toMatchObject({ status: 'missing', 'before.requests': '2', 'after.requests': '', 'after.cost_per_request_usd': '' });
  });

  it('names the baseline groups a run did not exercise in the headline, pass or fail', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }, { feature: 'checkout', input: 5000, output: 100, runId: 'big' }]);
    const pass = await ws.cli(['check', '--run', 'pr']);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^search +not run +0 /m);
    expect(pass.stdout).toContain('passed: 1 feature within tolerance, 1 not run');
    const md = await ws.cli(['check', '--run', 'big', '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('## ❌ llmfin check: FAILED: 1 of 1 feature regressed, 1 not run');
  });

  it('warns when the run shares no group with the baseline (another project\'s, renamed features): nothing was compared', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'billing', input: 1000, output: 100, runId: 'other' }]);
    const r = await ws.cli(['check', '--run', 'other', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as CheckJson).passed).toBe(true);
    expect(r.stderr).toContain('warning: no feature of llmfin.baseline.json ran in run other (baseline: checkout, search; run: billing), so nothing was compared against it; save the baseline again, or pass --strict to fail such a run');
    // One group in common is a comparison: no such warning.
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    expect((await ws.cli(['check', '--run', 'pr'])).stderr).not.toContain('nothing was compared');
  });

  it('takes the run id from $LLMFIN_RUN_ID', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 2000, output: 100, runId: 'pr' }]);
    const { code, json } = await checkJson(ws, [], { LLMFIN_RUN_ID: 'pr' });
    expect(code).toBe(1);
    expect(json.rows.find((r) => r.feature === 'checkout')!.after!.requests).toBe(1);
  });

  it('fails on more tokens per request (exit 1) and names prompt tokens as the cause', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1500, output: 100, runId: 'pr', n: 2 }]);
    const { code, json, stderr } = await checkJson(ws, ['--run', 'pr']);
    expect(code).toBe(1);
    const row = json.rows.find((r) => r.feature === 'checkout')!;
    // 1500 × 2.5 + 100 × 10 per 1M = 0.00475: +35.7% cost, +45.5% tokens.
    expect(row.after!.cost_per_request_usd).toBe(0.00475);
    expect(row.cost_per_request_change).toBe(0.357143);
    expect(row.tokens_per_request_change).toBe(0.454545);
    expect(row.problems.map((p) => p.kind)).toEqual(['cost', 'tokens']);
    expect(row.likely_causes).toEqual(['prompt tokens up: 1,000 → 1,500 per request (+50.0%)']);
    expect(json.rows.find((r) => r.feature === 'search')!.status).toBe('missing');
    expect(stderr).toContain('regression against llmfin.baseline.json: checkout (cost, tokens)');
  });

  it('fails on a model switch and names it', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'search', model: 'gpt-4o', input: 1000, output: 100, cacheRead: 500, runId: 'pr' }]);
    const { code, json } = await checkJson(ws, ['--run', 'pr']);
    expect(code).toBe(1);
    const row = json.rows.find((r) => r.feature === 'search')!;
    // 500 × 2.5 + 500 × 1.25 + 100 × 10 per 1M = 0.002875, against 0.0001725.
    expect(row.after!.cost_per_request_usd).toBe(0.002875);
    expect(row.likely_causes).toEqual(['model change: gpt-4o-mini → gpt-4o']);
  });

  it('does not blame a price change on the code: same token mix, new catalogue prices', async () => {
    const ws = await withBaseline();
    // A newer catalogue in which gpt-4o input costs $5 instead of $2.50.
    const catalogue = join(ws.dir, 'catalogue');
    cpSync(bundledCatalogueDir(), catalogue, { recursive: true });
    const openai = JSON.parse(readFileSync(join(catalogue, 'openai.json'), 'utf8')) as { models: Array<{ id: string; offerings: Array<{ periods: Array<{ rates: Record<string, string> }> }> }> };
    openai.models.find((m) => m.id === 'gpt-4o')!.offerings[0]!.periods[0]!.rates.input = '5';
    writeFileSync(join(catalogue, 'openai.json'), JSON.stringify(openai));
    const manifest = JSON.parse(readFileSync(join(catalogue, 'manifest.json'), 'utf8')) as { version: string };
    manifest.version = '2099-01-01.1';
    writeFileSync(join(catalogue, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'pricing:\n  catalogue: ./catalogue\n');

    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr', n: 2 }]);
    const { code, json } = await checkJson(ws, ['--run', 'pr']);
    expect(code).toBe(0);
    const row = json.rows.find((r) => r.feature === 'checkout')!;
    expect(row.status).toBe('pass');
    expect(row.cost_per_request_change).toBe(0);
    expect(row.before!.cost_per_request_usd).toBe(0.0035);
    expect(row.after!.cost_per_request_usd).toBe(0.0035);
    // At today's prices both sides cost 0.005 + 0.001: shown, and not a change either.
    expect(row.before!.cost_per_request_current_prices_usd).toBe(0.006);
    expect(row.after!.cost_per_request_current_prices_usd).toBe(0.006);
    expect(row.price_effect).toBe(0.714286);
    expect(row.likely_causes).toEqual(['prices changed since the baseline: +71.4% on this token mix (not counted against this change)']);
  });

  it('warns about a new group, and fails it with --strict or check.strict', async () => {
    const ws = await withBaseline();
    await ws.record([
      { feature: 'checkout', input: 1000, output: 100, runId: 'pr' },
      { feature: 'chat', input: 100, output: 100, runId: 'pr' },
    ]);
    const loose = await ws.cli(['check', '--run', 'pr']);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain('! chat: no baseline for "chat"');
    // The headline counts chat as a warning, not also as within tolerance.
    expect(loose.stdout).toContain('passed: 1 feature within tolerance, 1 warning');
    const strict = await checkJson(ws, ['--run', 'pr', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.json.rows.find((r) => r.feature === 'chat')!.problems).toMatchObject([{ kind: 'new_group', fails: true }]);
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  strict: true\n');
    expect((await ws.cli(['check', '--run', 'pr'])).code).toBe(1);
    // One run may be loose whatever the config says.
    const once = await ws.cli(['check', '--run', 'pr', '--no-strict']);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toContain('! chat: no baseline for "chat"');
  });

  it('shows a baseline group the run did not exercise as not run, and fails it with --strict', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    const loose = await ws.cli(['check', '--run', 'pr']);
    expect(loose.code, loose.stderr).toBe(0);
    expect(loose.stdout).toContain('passed: 1 feature within tolerance, 1 not run');
    const strict = await ws.cli(['check', '--run', 'pr', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('"search" is in the baseline but not in this run (--strict): run its requests, or save a new baseline if it is gone');
    expect(strict.stdout).toContain('FAILED: 1 feature of the baseline not run (--strict); 1 feature within tolerance');
  });

  it('enforces absolute caps from flags and from llmfin.yaml, flags winning', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    expect((await ws.cli(['check', '--run', 'pr', '--max-cost-per-request', 'checkout=0.0035'])).code).toBe(0);
    const over = await checkJson(ws, ['--run', 'pr', '--max-cost-per-request', 'checkout=0.0034']);
    expect(over.code).toBe(1);
    expect(over.json.rows.find((r) => r.feature === 'checkout')!.problems).toMatchObject([{ kind: 'cap', message: 'cost per request $0.0035 is above the cap of $0.0034' }]);
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  groups:\n    checkout:\n      max_cost_per_request: 0.003\n');
    expect((await ws.cli(['check', '--run', 'pr'])).code).toBe(1);
    expect((await ws.cli(['check', '--run', 'pr', '--max-cost-per-request', 'checkout=0.01'])).code).toBe(0);
    expect((await ws.cli(['check', '--run', 'pr', '--max-cost-per-request', 'checkout=cheap'])).code).toBe(2);
  });

  it('warns when a cap names a group that is in neither the baseline nor the run', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    const r = await ws.cli(['check', '--run', 'pr', '--max-cost-per-request', 'chekout=0.0001']);
    // The cap is on a misspelt group, so nothing is capped and the run passes — but it says so.
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --max-cost-per-request: no feature "chekout" in the baseline or this run, so its cap checks nothing \(groups: [^)]*checkout/);
    expect((await ws.cli(['check', '--run', 'pr', '--max-cost-per-request', 'checkout=0.0035'])).stderr).not.toContain('checks nothing');
  });

  it('warns, without failing, when check.groups in llmfin.yaml names a group that is in neither the baseline nor the run', async () => {
    const ws = await withBaseline();
    // checkout +20% (1280 input: $0.0032 + $0.001 = $0.0042 against $0.0035); the loosened tolerance is on a misspelt key.
    await ws.record([{ feature: 'checkout', input: 1280, output: 100, runId: 'pr' }]);
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  groups:\n    chekout:\n      max_increase: 50%\n      max_token_increase: 50%\n');
    const r = await ws.cli(['check', '--run', 'pr']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning: check.groups.chekout in llmfin.yaml: no feature "chekout" in the baseline or this run, so its thresholds check nothing (groups: checkout, search)\n');
    const clean = await ws.cli(['check', '--run', 'pr', '--format', 'json']);
    expect(clean.stderr).toContain('check.groups.chekout in llmfin.yaml');
    // Spelt right, the group is judged by its own tolerance and nothing is warned about.
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  groups:\n    checkout:\n      max_increase: 50%\n      max_token_increase: 50%\n');
    const fixed = await ws.cli(['check', '--run', 'pr']);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).not.toContain('check.groups');
  });

  it('reads tolerances from llmfin.yaml per group, and --max-increase wins', async () => {
    const ws = await withBaseline();
    // +20% cost (1280 input: 0.0032 + 0.001 = 0.0042), +25.5% tokens (1380 against 1100).
    await ws.record([{ feature: 'checkout', input: 1280, output: 100, runId: 'pr' }]);
    expect((await ws.cli(['check', '--run', 'pr'])).code).toBe(1);
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  max_increase: 5%\n  groups:\n    checkout:\n      max_increase: 25%\n');
    // The group's 25% also bounds its tokens, which grew 25.5%.
    const tokens = await ws.cli(['check', '--run', 'pr']);
    expect(tokens.code).toBe(1);
    expect(tokens.stderr).toContain('regression against llmfin.baseline.json: checkout (tokens)');
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  max_increase: 5%\n  groups:\n    checkout:\n      max_increase: 25%\n      max_token_increase: 30%\n');
    expect((await ws.cli(['check', '--run', 'pr'])).code).toBe(0);
    expect((await ws.cli(['check', '--run', 'pr', '--max-increase', '10%'])).code).toBe(1);
    expect((await ws.cli(['check', '--run', 'pr', '--max-increase', '20%', '--max-token-increase', '26%'])).code).toBe(0);
    expect((await ws.cli(['check', '--run', 'pr', '--max-increase', '19.9%', '--max-token-increase', '26%'])).code).toBe(1);
    expect((await ws.cli(['check', '--run', 'pr', '--max-increase', 'lots'])).code).toBe(2);
  });

  it('escapes Markdown in group names in the pull-request comment, as it escapes pipes', async () => {
    const ws = workspace();
    const name = '*bold* _x_ `code` <b>tag</b> a|b';
    // 1,000 → 2,000 input on gpt-4o: $0.0035 → $0.006 a request (+71.4%).
    await ws.record([{ feature: name, input: 1000, output: 100, runId: 'base' }]);
    await ws.record([{ feature: name, input: 2000, output: 100, runId: 'pr' }, { feature: '__init__', input: 1000, output: 100, runId: 'pr' }]);
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    const r = await ws.cli(['check', '--run', 'pr', '--format', 'markdown']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('| \\*bold\\* \\_x\\_ \\`code\\` \\<b\\>tag\\</b\\> a\\|b | ❌ fail | 1 | $0.0035 → $0.006 | +71.4% | $0.0035 → $0.006 | +71.4% | 1,100 → 2,100 | +90.9% |');
    expect(lines).toContain('| \\_\\_init\\_\\_ | ⚠️ warn | 1 | – → $0.0035 | new | – → $0.0035 | new | – → 1,100 | new |');
    expect(lines).toContain('- **\\*bold\\* \\_x\\_ \\`code\\` \\<b\\>tag\\</b\\> a|b**: cost per request +71.4% at the baseline\'s prices (limit +10%); tokens per request +90.9% (limit +10%) ($0.0035 → $0.006 per request)');
    expect(lines).toContain('- **\\_\\_init\\_\\_**: no baseline for "\\_\\_init\\_\\_": save a new baseline to start tracking it');
    // The log and the JSON keep the name as written.
    expect(r.stderr).toContain(`regression against llmfin.baseline.json: ${name} (cost, tokens)`);
  });

  it('escapes Markdown in template names in the pull-request comment', async () => {
    const ws = workspace();
    mkdirSync(join(ws.dir, 'prompts'), { recursive: true });
    writeFileSync(join(ws.dir, 'prompts', '__init__.md'), 'Hello, world!');
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md'])).code).toBe(0);
    // 4 → 8 o200k tokens: +100%.
    writeFileSync(join(ws.dir, 'prompts', '__init__.md'), 'Hello, world! Hello, world!');
    const r = await ws.cli(['check', '--prompts', 'prompts/*.md', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\| prompts\/\\_\\_init\\_\\_\.md \| ❌ fail \| 4 → 8 \|/m);
    expect(r.stdout).toMatch(/^- \*\*prompts\/\\_\\_init\\_\\_\.md\*\*: /m);
    expect(r.stdout).not.toContain('__init__');
  });

  it('writes a Markdown pull-request comment and appends it to $GITHUB_STEP_SUMMARY', async () => {
    const ws = await withBaseline();
    await ws.record([
      { feature: 'checkout', input: 1500, output: 100, runId: 'pr' },
      { feature: 'search', model: 'gpt-4o', input: 1000, output: 100, runId: 'pr' },
    ]);
    const summary = join(ws.dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await ws.cli(['check', '--run', 'pr', '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('## ❌ llmfin check: FAILED: 2 of 2 features regressed');
    expect(r.stdout).toContain('Baseline `llmfin.baseline.json` (run `base`, catalogue ');
    expect(r.stdout).toContain('| Feature | Result | Requests | $/request at baseline prices | Change | $/request at current prices | Change | Tokens/request | Change |');
    expect(r.stdout).toContain('| checkout | ❌ fail | 1 | $0.0035 → $0.00475 | +35.7% | $0.0035 → $0.00475 | +35.7% | 1,100 → 1,600 | +45.5% |');
    expect(r.stdout).toContain('### Regressions');
    expect(r.stdout).toContain("- **checkout**: cost per request +35.7% at the baseline's prices (limit +10%); tokens per request +45.5% (limit +10%) ($0.0035 → $0.00475 per request)");
    expect(r.stdout).toContain('  - likely cause: prompt tokens up: 1,000 → 1,500 per request (+50.0%)');
    expect(r.stdout).toContain('  - likely cause: model change: gpt-4o-mini → gpt-4o');
    expect(r.stdout).toContain('  - likely cause: cache hit ratio down: 50.0% → 0.0%');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${r.stdout}\n`);
    // The table format still appends Markdown to the step summary.
    const table = await ws.cli(['check', '--run', 'pr'], { GITHUB_STEP_SUMMARY: summary });
    expect(table.stdout).toContain('FEATURE   RESULT');
    expect(readFileSync(summary, 'utf8').split('## ❌ llmfin check').length).toBe(3);
  });

  it('exits 2 naming the file when the baseline is missing or not a baseline', async () => {
    const ws = workspace();
    await ws.record([{ feature: 'checkout', input: 1, output: 1 }]);
    const missing = await ws.cli(['check', '--baseline', 'ci/base.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(ws.dir, 'ci/base.json')}: no such baseline file; expected a baseline written by \`llmfin baseline save\``);
    writeFileSync(join(ws.dir, 'bad.json'), '{"kind": "llmfin-baseline", ');
    const bad = await ws.cli(['check', '--baseline', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json:1: expected valid JSON, got expected double-quoted property name at column 29');
    writeFileSync(join(ws.dir, 'other.json'), '{"name": "package"}');
    expect((await ws.cli(['check', '--baseline', 'other.json'])).stderr).toContain('other.json: not an llmfin baseline');
    writeFileSync(join(ws.dir, 'broken.json'), JSON.stringify({ kind: 'llmfin-baseline', schema_version: 1, llmfin_version: 'x', usage: { group_by: 'team' }, prompts: null }));
    const broken = await ws.cli(['check', '--baseline', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.json:1: usage.group_by: expected one of "feature" | "scenario" | "model", got string "team"');
    writeFileSync(join(ws.dir, 'future.json'), JSON.stringify({ kind: 'llmfin-baseline', schema_version: 9 }));
    expect((await ws.cli(['check', '--baseline', 'future.json'])).stderr).toContain('baseline schema_version 9 is newer than this llmfin reads (1)');
  });

  it('exits 2 when the current run recorded nothing', async () => {
    const ws = await withBaseline();
    const r = await ws.cli(['check', '--run', 'never']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no metered requests tagged run_id=never');
  });

  it('exits 2 on a run of aggregate rows (no request count) instead of comparing $0 a request with $0', async () => {
    // A day's tokens imported as one aggregate row carry requests 0: nothing is per request.
    const day = (id: string, runId: string, input: number, output: number) =>
      JSON.stringify({ id, ts: '2026-10-02T00:00:00Z', granularity: 'day', provider: 'openai', model: 'gpt-4o', input_tokens: input, output_tokens: output, feature: 'chat', tags: { run_id: runId } });
    const ws = await withBaseline();
    writeFileSync(join(ws.dir, 'days.jsonl'), `${day('d1', 'agg', 100000, 10000)}\n${day('d2', 'pr', 900000, 90000)}\n`);
    expect((await ws.cli(['import', join(ws.dir, 'days.jsonl')])).code).toBe(0);
    const before = readFileSync(join(ws.dir, 'llmfin.baseline.json'), 'utf8');
    const save = await ws.cli(['baseline', 'save', '--run', 'agg']);
    expect(save.code).toBe(2);
    expect(save.stderr).toContain('llmfin: error: no request count for feature "chat" in run agg: its ledger rows are aggregates (requests 0), so there is no cost or tokens per request to compare');
    expect(readFileSync(join(ws.dir, 'llmfin.baseline.json'), 'utf8')).toBe(before);
    const check = await ws.cli(['check', '--run', 'pr']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('no request count for feature "chat" in run pr');
    expect(check.stdout).toBe('');
  });

  it('exits 2 on a hand-edited baseline group whose token mix counts no request, or not its requests', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 5000, output: 500, runId: 'pr' }]);
    const file = join(ws.dir, 'llmfin.baseline.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { usage: { groups: Record<string, { requests: number; token_mix: Array<{ requests: number }> }> } };
    saved.usage.groups.checkout!.token_mix[0]!.requests = 0;
    writeFileSync(file, JSON.stringify(saved));
    const none = await ws.cli(['check', '--run', 'pr']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`${file}:1: usage.groups.checkout.token_mix: counts no request: a group needs at least one request to compare per request`);
    saved.usage.groups.checkout!.token_mix[0]!.requests = 3;
    writeFileSync(file, JSON.stringify(saved));
    const mismatch = await ws.cli(['check', '--run', 'pr']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(`${file}:1: usage.groups.checkout.requests: is 4 but the token_mix counts 3 requests`);
  });

  it('exits 2 on a hand-edited baseline whose run has no group, which would pass any run', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 5000, output: 500, runId: 'pr' }]);
    const file = join(ws.dir, 'llmfin.baseline.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { usage: { groups: Record<string, unknown> } };
    saved.usage.groups = {};
    writeFileSync(file, JSON.stringify(saved));
    const r = await ws.cli(['check', '--run', 'pr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:1: usage.groups: holds no group: a baseline saved from a run has one per feature, scenario or model it recorded`);
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming --since/--until when the run has no requests inside the window', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    const after = await ws.cli(['check', '--run', 'pr', '--since', '2026-11-01']);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('llmfin: error: no metered requests tagged run_id=pr from 2026-11-01T00:00:00.000Z (--since 2026-11-01) in ');
    expect(after.stderr).toContain('hint: widen or drop --since/--until');
    const both = await ws.cli(['check', '--run', 'pr', '--since', '2026-09-01', '--until', '2026-10-01']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('from 2026-09-01T00:00:00.000Z (--since 2026-09-01) and before 2026-10-01T00:00:00.000Z (--until 2026-10-01) in ');
    expect(both.stdout).toBe('');
  });

  it('exits 2 naming the field when a hand-edited baseline has a priced_at no date reads', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    const file = join(ws.dir, 'llmfin.baseline.json');
    const text = readFileSync(file, 'utf8').replace(/"priced_at": "[^"]*"/, '"priced_at": "yesterday"');
    writeFileSync(file, text);
    const r = await ws.cli(['check', '--run', 'pr']);
    expect(r.code).toBe(2);
    const line = text.split('\n').findIndex((l) => l.includes('"priced_at"')) + 1;
    expect(r.stderr).toContain(`llmfin: error: ${file}:${line}: usage.priced_at: expected an ISO 8601 UTC time such as "2026-10-01T12:00:59.000Z", got string "yesterday"`);
    expect(r.stderr).not.toContain('internal error');
  });

  it('exits 2 naming $GITHUB_STEP_SUMMARY when it cannot be appended to, after printing the report', async () => {
    const ws = await withBaseline();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    const missing = join(ws.dir, 'no', 'such', 'summary.md');
    const r = await ws.cli(['check', '--run', 'pr'], { GITHUB_STEP_SUMMARY: missing });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('passed: 1 feature within tolerance');
    expect(r.stderr).toContain(`llmfin: error: ${missing}: cannot append the Markdown report to $GITHUB_STEP_SUMMARY (ENOENT); expected a writable file`);
    const dir = await ws.cli(['check', '--run', 'pr'], { GITHUB_STEP_SUMMARY: ws.dir });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain(`${ws.dir}: cannot append the Markdown report to $GITHUB_STEP_SUMMARY (a directory, not a file)`);
  });
});

describe('llmfin check --prompts', () => {
  function prompts(ws: Workspace, files: Record<string, string>) {
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(ws.dir, f, '..'), { recursive: true });
      writeFileSync(join(ws.dir, f), text);
    }
  }

  it('counts template tokens with the real tokenizer and fails on prompt bloat', async () => {
    const ws = workspace();
    // 11 and 4 o200k tokens (verified with gpt-tokenizer).
    prompts(ws, { 'prompts/system.md': 'You are a helpful assistant. Answer in one sentence.', 'prompts/greet/hello.txt': 'Hello, world!', 'prompts/notes.json': '{}' });
    const saved = await ws.cli(['baseline', 'save', '--prompts', 'prompts/**/*.{md,txt,hbs}', '--model', 'gpt-4o', '--format', 'json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({
      prompts: {
        model: 'gpt-4o',
        tokenizer: 'o200k_base',
        templates: [
          { template: 'prompts/greet/hello.txt', tokens: 4, cost_per_request_usd: 0.00001 },
          { template: 'prompts/system.md', tokens: 11, cost_per_request_usd: 0.0000275 },
        ],
      },
    });
    expect(existsSync(join(ws.dir, 'llmfin.baseline.json'))).toBe(true);
    const same = await ws.cli(['check', '--prompts', 'prompts/**/*.{md,txt,hbs}']);
    expect(same.code, same.stderr).toBe(0);

    // The system prompt grows from 11 to 22 tokens: +100%.
    prompts(ws, { 'prompts/system.md': 'You are a helpful assistant. Answer in one sentence. You are a helpful assistant. Answer in one sentence.' });
    const grown = await ws.cli(['check', '--prompts', 'prompts/**/*.{md,txt,hbs}', '--format', 'json']);
    expect(grown.code).toBe(1);
    const rows = (JSON.parse(grown.stdout) as { rows: Array<{ template: string; status: string; tokens_before: number; tokens_after: number; cost_per_request_change: number }> }).rows;
    expect(rows.find((r) => r.template === 'prompts/system.md')).toMatchObject({ status: 'fail', tokens_before: 11, tokens_after: 22, cost_per_request_change: 1 });
    expect(rows.find((r) => r.template === 'prompts/greet/hello.txt')).toMatchObject({ status: 'pass' });
    expect((await ws.cli(['check', '--prompts', 'prompts/**/*.md', '--max-increase', '100%'])).code).toBe(0);
  });

  it('writes the pull-request comment as a run\'s: result icons, and failures apart from warnings', async () => {
    const ws = workspace();
    // 4 o200k tokens, then 8 (+100%); prompts/new.md has no baseline.
    prompts(ws, { 'prompts/a.md': 'Hello, world!' });
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md'])).code).toBe(0);
    prompts(ws, { 'prompts/a.md': 'Hello, world! Hello, world!', 'prompts/new.md': 'Hello, world!' });
    const r = await ws.cli(['check', '--prompts', 'prompts/*.md', '--format', 'markdown']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('| Template | Result | Tokens | Est. $/request at baseline prices | Change | At current prices |');
    expect(lines).toContain('| prompts/a.md | ❌ fail | 4 → 8 | $0.00001 → $0.00002 | +100.0% | $0.00002 |');
    expect(lines).toContain('| prompts/new.md | ⚠️ warn | – → 4 | – → $0.00001 | new | $0.00001 |');
    const regressions = lines.indexOf('### Regressions');
    const warnings = lines.indexOf('### Warnings');
    expect(regressions).toBeGreaterThan(0);
    expect(lines[regressions + 2]).toBe('- **prompts/a.md**: estimated cost per request +100.0% (4 → 8 tokens; limit +10%)');
    expect(warnings).toBeGreaterThan(regressions);
    expect(lines[warnings + 2]).toBe('- **prompts/new.md**: no baseline for template "prompts/new.md"');
  });

  it('warns about a check.groups key that is neither a template nor a group of the baseline\'s run', async () => {
    const ws = await withBaseline();
    prompts(ws, { 'prompts/a.md': 'Hello, world!' });
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md'])).code).toBe(0);
    writeFileSync(join(ws.dir, 'llmfin.yaml'), 'check:\n  groups:\n    checkout: { max_increase: 5% }\n    prompts/a.md: { max_increase: 5% }\n    prompts/b.md: { max_increase: 5% }\n');
    const r = await ws.cli(['check', '--prompts', 'prompts/*.md']);
    expect(r.code).toBe(0);
    // checkout is a group of the baseline's run, judged by `check --run`: not a typo here.
    expect(r.stderr).toBe('warning: check.groups.prompts/b.md in llmfin.yaml: no prompt template "prompts/b.md" in the baseline or this run, so its thresholds check nothing (templates: prompts/a.md)\n');
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, runId: 'pr' }]);
    const run = await ws.cli(['check', '--run', 'pr']);
    expect(run.stderr).toContain('warning: check.groups.prompts/b.md in llmfin.yaml: no feature "prompts/b.md"');
    expect(run.stderr).not.toContain('check.groups.prompts/a.md');
    expect(run.stderr).not.toContain('check.groups.checkout');
  });

  it('shows a template just past the tolerance with the decimals that make it past, in the table as in the message', async () => {
    const ws = workspace();
    // claude-sonnet-4-5 is counted at one token per four characters: 10,000 tokens, then 11,001 (+10.01%).
    prompts(ws, { 'prompts/long.md': 'abcd'.repeat(10_000) });
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md', '--model', 'claude-sonnet-4-5'])).code).toBe(0);
    prompts(ws, { 'prompts/long.md': 'abcd'.repeat(11_001) });
    const r = await ws.cli(['check', '--prompts', 'prompts/*.md', '--model', 'claude-sonnet-4-5']);
    expect(r.code).toBe(1);
    // $3 per 1M input tokens: $0.03 → $0.033003, shown to three digits.
    expect(r.stdout).toMatch(/prompts\/long\.md +FAIL +10,000 → 11,001 +\$0\.03 → \$0\.033 +\+10\.01% /);
    expect(r.stdout).toContain('✗ prompts/long.md: estimated cost per request +10.01% (10,000 → 11,001 tokens; limit +10%)');
  });

  it('names baseline templates the patterns no longer find in the headline', async () => {
    const ws = workspace();
    prompts(ws, { 'prompts/a.md': 'Hello, world!', 'prompts/b.md': 'Goodbye!' });
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md'])).code).toBe(0);
    rmSync(join(ws.dir, 'prompts/b.md'));
    const r = await ws.cli(['check', '--prompts', 'prompts/*.md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^prompts\/b\.md +not found /m);
    expect(r.stdout).toContain('passed: 1 prompt template within tolerance, 1 not found');
    // Strict holds the templates to the baseline's both ways: one no longer found fails.
    const strict = await ws.cli(['check', '--prompts', 'prompts/*.md', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('✗ prompts/b.md: template "prompts/b.md" is in the baseline but the patterns no longer find it (--strict): save a new baseline if it is gone');
    expect(strict.stdout).toContain('FAILED: 1 prompt template of the baseline not found (--strict)');
  });

  it('warns about a new template, fails it with --strict, and exits 2 when nothing matches', async () => {
    const ws = workspace();
    prompts(ws, { 'prompts/a.md': 'Hello, world!' });
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md'])).code).toBe(0);
    prompts(ws, { 'prompts/b.md': 'Hello, world!' });
    const loose = await ws.cli(['check', '--prompts', 'prompts/*.md']);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain('! prompts/b.md: no baseline for template "prompts/b.md"');
    expect(loose.stdout).toContain('passed: 1 prompt template within tolerance, 1 warning');
    expect((await ws.cli(['check', '--prompts', 'prompts/*.md', '--strict'])).code).toBe(1);
    const none = await ws.cli(['check', '--prompts', 'templates/*.md']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--prompts: no file matches "templates/*.md"');
  });

  it('keeps the other section of the baseline when saving one', async () => {
    const ws = await withBaseline();
    prompts(ws, { 'prompts/a.md': 'Hello, world!' });
    expect((await ws.cli(['baseline', 'save', '--prompts', 'prompts/*.md'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(ws.dir, 'llmfin.baseline.json'), 'utf8')) as { usage: { groups: object }; prompts: { templates: object } };
    expect(Object.keys(doc.usage.groups)).toEqual(['checkout', 'search']);
    expect(Object.keys(doc.prompts.templates)).toEqual(['prompts/a.md']);
  });
});

describe('llmfin check with a model nothing can price', () => {
  it('fails the run that moves requests to it instead of passing a -50% cost per request, and baseline save says its cost is unknown', async () => {
    const ws = workspace();
    // gpt-4o: 1000 × $2.50/1M + 100 × $10/1M = $0.0035 a request.
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, n: 4, runId: 'base' }]);
    await ws.record([
      { feature: 'checkout', input: 1000, output: 100, n: 2, runId: 'pr' },
      { feature: 'checkout', model: 'gpt-9-unknown', input: 1000, output: 100, n: 2, runId: 'pr' },
    ]);
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    const r = await ws.cli(['check', '--run', 'pr']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ checkout: cost per request unknown: gpt-9-unknown has no price, so this run\'s requests to it count as $0 here (add it under pricing.custom_models)');
    expect(r.stderr).toContain('regression against llmfin.baseline.json: checkout (unpriced)');
    const saved = await ws.cli(['baseline', 'save', '--run', 'pr', '--out', 'pr.json']);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toContain(
      'warning: no price for gpt-9-unknown, in the catalogue or the ledger: their cost is unknown and counts as $0 in this baseline, so `llmfin check` warns about it; add them under pricing.custom_models and save the baseline again',
    );
    expect(saved.stderr).not.toContain('their recorded ledger cost is used');
  });

  it('shows a cost per request with unknown parts as unknown or a lower bound, never as $0 or a -100% change', async () => {
    const ws = workspace();
    await ws.record([{ feature: 'checkout', input: 1000, output: 100, n: 4, runId: 'base' }, { feature: 'search', input: 1000, output: 100, n: 2, runId: 'base' }]);
    await ws.record([
      // Every checkout request to a model nothing prices; half the search requests.
      { feature: 'checkout', model: 'gpt-9-unknown', input: 1000, output: 100, n: 4, runId: 'pr' },
      { feature: 'search', input: 1000, output: 100, n: 2, runId: 'pr' },
      { feature: 'search', model: 'gpt-9-unknown', input: 1000, output: 100, n: 2, runId: 'pr' },
    ]);
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    const r = await ws.cli(['check', '--run', 'pr']);
    expect(r.code).toBe(1);
    const line = (g: string) => r.stdout.split('\n').find((l) => l.startsWith(`${g} `))!.split(/\s{2,}/);
    // search: $0.007 over 4 requests = $0.00175 for the priced half, a lower bound.
    expect(line('checkout')).toEqual(['checkout', 'FAIL', '4', '$0.0035 → unknown', 'unknown', '$0.0035 → unknown', 'unknown', '1,100 → 1,100', '+0.0%']);
    expect(line('search')).toEqual(['search', 'FAIL', '4', '$0.0035 → ≥$0.00175', 'unknown', '$0.0035 → ≥$0.00175', 'unknown', '1,100 → 1,100', '+0.0%']);
    expect(r.stdout).not.toContain('-100.0%');
    expect(r.stdout).not.toContain('recorded ledger cost is used');
    const md = await ws.cli(['check', '--run', 'pr', '--format', 'markdown']);
    expect(md.stdout).toContain('| checkout | ❌ fail | 4 | $0.0035 → unknown | unknown | $0.0035 → unknown | unknown | 1,100 → 1,100 | +0.0% |');
    expect(md.stdout).toContain('($0.0035 → ≥$0.00175 per request)');
  });

  it('gives an unknown cost per request as null in JSON, not 0 and a -100% change; baseline save prints it as unknown or a lower bound', async () => {
    const ws = workspace();
    await ws.record([
      { feature: 'checkout', input: 1000, output: 100, n: 4, runId: 'base' },
      // search: 2 requests at $0.0035 and 2 to a model nothing prices: $0.007 over 4 = ≥$0.00175.
      { feature: 'search', input: 1000, output: 100, n: 2, runId: 'base' },
      { feature: 'search', model: 'gpt-9-unknown', input: 1000, output: 100, n: 2, runId: 'base' },
      { feature: 'mystery', model: 'gpt-9-unknown', input: 1000, output: 100, n: 1, runId: 'base' },
    ]);
    await ws.record([{ feature: 'checkout', model: 'gpt-9-unknown', input: 1000, output: 100, n: 4, runId: 'pr' }]);
    const saved = await ws.cli(['baseline', 'save', '--run', 'base']);
    expect(saved.code).toBe(0);
    const cells = (g: string) => saved.stdout.split('\n').find((l) => l.startsWith(`${g} `))!.split(/\s{2,}/).slice(0, 3);
    expect(cells('checkout')).toEqual(['checkout', '4', '$0.0035']);
    expect(cells('mystery')).toEqual(['mystery', '1', 'unknown']);
    expect(cells('search')).toEqual(['search', '4', '≥$0.00175']);
    expect(saved.stdout).not.toContain('$0.00 ');
    const savedJson = await ws.cli(['baseline', 'save', '--run', 'base', '--format', 'json']);
    const rows = (JSON.parse(savedJson.stdout) as { rows: Array<Record<string, unknown>> }).rows.map((r) => [r.feature, r.cost_usd, r.cost_per_request_usd, r.cost_per_request_at_least_usd, r.unknown_cost_requests]);
    // The lower bound is the table's "≥$x": search's 2 priced requests' $0.007 over its 4.
    expect(rows).toEqual([
      ['checkout', 0.014, 0.0035, 0.0035, 0],
      ['mystery', null, null, null, 1],
      ['search', null, null, 0.00175, 2],
    ]);

    const r = await ws.cli(['check', '--run', 'pr', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as CheckJson & { unpriced_models: string[]; unknown_cost_models: string[] };
    const checkout = doc.rows.find((x) => x.feature === 'checkout')!;
    expect(checkout.before).toMatchObject({ cost_per_request_usd: 0.0035, cost_per_request_current_prices_usd: 0.0035, unknown_cost_requests: 0 });
    expect(checkout.after).toMatchObject({ requests: 4, cost_per_request_usd: null, cost_per_request_current_prices_usd: null, cost_per_request_at_least_usd: null, unknown_cost_requests: 4 });
    expect(checkout.before).toMatchObject({ cost_per_request_at_least_usd: 0.0035, cost_per_request_current_prices_at_least_usd: 0.0035 });
    expect(checkout.cost_per_request_change).toBeNull();
    expect((checkout as unknown as Record<string, unknown>).cost_per_request_change_current_prices).toBeNull();
    expect(checkout.price_effect).toBeNull();
    expect(checkout.problems.map((p) => [p.kind, p.fails])).toEqual([['unpriced', true]]);
    expect(doc.rows.find((x) => x.feature === 'mystery')!.before).toMatchObject({ cost_per_request_usd: null, unknown_cost_requests: 1 });
    // Half of search's requests are priced: its cost is unknown, but at least $0.007 / 4.
    expect(doc.rows.find((x) => x.feature === 'search')!.before).toMatchObject({ cost_per_request_usd: null, cost_per_request_at_least_usd: 0.00175, unknown_cost_requests: 2 });
    expect(doc.unpriced_models).toEqual(['gpt-9-unknown']);
    expect(doc.unknown_cost_models).toEqual(['gpt-9-unknown']);
  });
});

describe('llmfin check with long and short prompts mixed', () => {
  // claude-sonnet-4-5: $3 input, $15 output per 1M; a request with more than 200,000 input tokens
  // is priced whole at $6 and $22.50. Baseline: 10 × 150k in, 1k out = $0.45 + $0.015 = $0.465.
  // Run: 5 × 250k ($1.50 + $0.0225 = $1.5225) and 5 × 50k ($0.15 + $0.015 = $0.165): $0.84375 a
  // request, +81.4516…%, although the average request (150k) is the baseline's.
  const sonnet = { provider: 'anthropic', model: 'claude-sonnet-4-5', feature: 'summarize', output: 1000 };
  async function mixed(): Promise<Workspace> {
    const ws = workspace();
    await ws.record([{ ...sonnet, input: 150_000, n: 10, runId: 'base' }]);
    await ws.record([{ ...sonnet, input: 250_000, n: 5, runId: 'pr' }, { ...sonnet, input: 50_000, n: 5, runId: 'pr' }]);
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    return ws;
  }

  it('prices the requests past the long-context threshold apart from the rest, and fails the run', async () => {
    const ws = await mixed();
    const r = await checkJson(ws, ['--run', 'pr']);
    expect(r.code).toBe(1);
    const row = r.json.rows[0]!;
    expect(row.before).toMatchObject({ cost_per_request_usd: 0.465 });
    expect(row.after).toMatchObject({ cost_per_request_usd: 0.84375, requests: 10 });
    expect(row.cost_per_request_change).toBe(0.814516);
    expect(row.tokens_per_request_change).toBe(0);
    expect(row.problems).toEqual([{ kind: 'cost', fails: true, message: "cost per request +81.5% at the baseline's prices (limit +10%)" }]);
    expect(row.likely_causes).toEqual(["long-context requests up: 0.0% → 50.0% of requests past the model's long-context threshold (priced at long-context rates)"]);
  });

  it('records the split in the baseline: one slice below the threshold and one past it, $8.4375 in all', async () => {
    const ws = await mixed();
    expect((await ws.cli(['baseline', 'save', '--run', 'pr', '--out', 'pr.json'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(ws.dir, 'pr.json'), 'utf8')) as { usage: { groups: Record<string, { cost_usd: string; cost_per_request_usd: string; token_mix: Array<{ requests: number; input: number; long_context_above: number | null }> }> } };
    const g = doc.usage.groups.summarize!;
    expect(g.cost_usd).toBe('8.4375');
    expect(g.cost_per_request_usd).toBe('0.84375');
    // 5 × 50k below, 5 × 250k past.
    expect(g.token_mix.map((s) => [s.requests, s.input, s.long_context_above])).toEqual([
      [5, 250_000, null],
      [5, 1_250_000, 200_000],
    ]);
    // Against itself it passes at +0.0%.
    expect((await ws.cli(['check', '--run', 'pr', '--baseline', 'pr.json'])).code).toBe(0);
  });

  it('splits at a threshold that counts "at least" (xAI) on the request that reaches it', async () => {
    const ws = workspace();
    // grok-4-0709: $3 input per 1M, $6 from 128,000 input tokens on: 127,999 × $3 + 128,000 × $6 per 1M = $1.151997.
    await ws.record([{ provider: 'xai', model: 'grok-4-0709', feature: 'f', input: 127_999, output: 0, runId: 'base' }, { provider: 'xai', model: 'grok-4-0709', feature: 'f', input: 128_000, output: 0, runId: 'base' }]);
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(ws.dir, 'llmfin.baseline.json'), 'utf8')) as { usage: { groups: Record<string, { cost_usd: string; token_mix: Array<{ requests: number; input: number; long_context_above: number | null }> }> } };
    expect(doc.usage.groups.f!.cost_usd).toBe('1.151997');
    expect(doc.usage.groups.f!.token_mix.map((s) => [s.requests, s.input, s.long_context_above])).toEqual([[1, 127_999, null], [1, 128_000, 128_000]]);
  });

  it('does not split the requests of a model without long-context prices', async () => {
    const ws = workspace();
    await ws.record([{ feature: 'summarize', input: 250_000, output: 1000, n: 2, runId: 'base' }, { feature: 'summarize', input: 50_000, output: 1000, n: 2, runId: 'base' }]);
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(ws.dir, 'llmfin.baseline.json'), 'utf8')) as { usage: { groups: Record<string, { token_mix: Array<{ requests: number; input: number; long_context_above: number | null }> }> } };
    expect(doc.usage.groups.summarize!.token_mix.map((s) => [s.requests, s.input, s.long_context_above])).toEqual([[4, 600_000, null]]);
  });

  it('still loads a baseline saved before the split, prices both sides at their average request as before, and says so', async () => {
    const ws = await mixed();
    const file = join(ws.dir, 'llmfin.baseline.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { usage: { groups: Record<string, { token_mix: Array<Record<string, unknown>> }> } };
    for (const g of Object.values(doc.usage.groups)) for (const s of g.token_mix) delete s.long_context_above;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const r = await ws.cli(['check', '--run', 'pr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^summarize {2,}pass {2,}10 {2,}\$0\.465 → \$0\.465 {2,}\+0\.0%/m);
    expect(r.stdout).toContain(
      "note: llmfin.baseline.json was saved before requests were split at long-context thresholds: claude-sonnet-4-5 is priced at each side's average request, so long prompts mixed with short ones may not show their long-context cost; save the baseline again to price them apart",
    );
    const json = JSON.parse((await ws.cli(['check', '--run', 'pr', '--format', 'json'])).stdout) as { notes: string[] };
    expect(json.notes).toEqual([expect.stringContaining('was saved before requests were split at long-context thresholds')]);
    // Saved again, the same run fails.
    expect((await ws.cli(['baseline', 'save', '--run', 'base'])).code).toBe(0);
    const again = await ws.cli(['check', '--run', 'pr']);
    expect(again.code).toBe(1);
    expect(again.stdout).not.toContain('saved before requests were split');
  });
});
