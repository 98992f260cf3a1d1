#!/usr/bin/env node
// Report benchmark (issue 4): a ledger of 10,000,000 metered rows over the 365 days before
// today, built directly with SQLite by the generator below, then:
//   report --by team --month M            target <= 300 ms
//   report --by feature,model --since 90d target <= 300 ms
//   report --by day (a full year)         target <= 500 ms
// each timed in-process (median of 5) from the daily rollup, next to the same report read
// from the rows (--no-rollup, the baseline), plus the CLI's wall time; then a batch is
// imported and the next report (which rolls it in incrementally) is timed and checked.
//   npm run bench:report [-- --rows 10000000] [--keep DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > -1 ? process.argv[i + 1] : fallback;
};
const ROWS = Number(arg('--rows', '10000000'));
const keep = arg('--keep');
const dir = keep ?? mkdtempSync(join(tmpdir(), 'llmfin-bench-report-'));
const dbPath = join(dir, 'ledger.db');

const { openLedger } = await import(join(root, 'dist/ledger/index.js'));
const { refreshRollups } = await import(join(root, 'dist/ledger/rollups/refresh-rollups.js'));
const { buildReport } = await import(join(root, 'dist/reports/build-report.js'));
const { Attributor } = await import(join(root, 'dist/attribution/attributor.js'));

// Products: feature -> team, agent, two models. Prices in USD per 1M input / output tokens.
const MODELS = {
  'gpt-4.1': ['openai', 2, 8],
  'gpt-4.1-mini': ['openai', 0.4, 1.6],
  'claude-sonnet-4-5': ['anthropic', 3, 15],
  'claude-haiku-4-5': ['anthropic', 1, 5],
  'gemini-2.5-flash': ['google', 0.3, 2.5],
  'gemini-2.5-pro': ['google', 1.25, 10],
};
const MODEL_NAMES = Object.keys(MODELS);
const TEAMS = ['search', 'support', 'growth', 'platform', 'data-science', 'billing', 'mobile', 'infra'];
const FEATURES = Array.from({ length: 24 }, (_, i) => ({ name: `feature-${i}`, team: TEAMS[i % TEAMS.length], agent: `agent-${i % 10}`, models: [MODEL_NAMES[i % 6], MODEL_NAMES[(i + 3) % 6]] }));
const DAY = 86_400_000;
const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const start = today - 365 * DAY;

function generate() {
  const t0 = performance.now();
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -200000');
  const insert = db.prepare(`insert into usage_entries (provenance, source, dedupe_key, provider, model, matched_model, ts, granularity, requests,
    input_tokens, uncached_input_tokens, cache_read_tokens, output_tokens, cost_usd, cost_ticks, cost_status, team, feature, customer, agent,
    environment, api_key, user, trace_id, created_at) values ('metered', 'proxy', ?, ?, ?, ?, ?, 'request', 1, ?, ?, ?, ?, ?, ?, 'priced', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const created = new Date().toISOString();
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const perDay = ROWS / 365;
  let n = 0;
  const tx = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const f = FEATURES[Math.floor(rand() * FEATURES.length)];
      const model = f.models[rand() < 0.7 ? 0 : 1];
      const [provider, inRate, outRate] = MODELS[model];
      const input = 200 + Math.floor(rand() * 4000);
      const cached = Math.floor(input * rand() * 0.5);
      const output = 50 + Math.floor(rand() * 800);
      // Ticks are 1e-10 USD: tokens x (USD per 1M) x 1e4, cache reads at a tenth of input.
      const ticks = Math.round((input - cached) * inRate * 1e4 + cached * inRate * 1e3 + output * outRate * 1e4);
      const ts = new Date(start + Math.floor(i / perDay) * DAY + Math.floor(rand() * DAY)).toISOString();
      const env = rand() < 0.8 ? 'prod' : 'staging';
      insert.run(`r${i}`, provider, model, model, ts, input, input - cached, cached, output, (ticks / 1e10).toFixed(10), ticks, f.team, f.name,
        `cust-${Math.floor(rand() * 500)}`, f.agent, env, `key-${f.team}-${env}`, `user-${Math.floor(rand() * 200)}`, `trace-${Math.floor(i / 5)}`, created);
    }
  });
  const CHUNK = 200_000;
  for (let i = 0; i < ROWS; i += CHUNK) {
    tx(i, Math.min(ROWS, i + CHUNK));
    n = Math.min(ROWS, i + CHUNK);
    if (process.stderr.isTTY) process.stderr.write(`\r  generating ${n.toLocaleString('en-US')} rows`);
  }
  db.close();
  return (performance.now() - t0) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timeReport(ledger, query, runs) {
  const attributor = new Attributor([]);
  const times = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    report = await buildReport(ledger, attributor, query);
    times.push(performance.now() - t);
  }
  return { ms: median(times), report };
}
function cliMs(args) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin/llmfin'), 'report', '--db', dbPath, ...args, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    if (r.status !== 0) throw new Error(r.stderr);
    times.push(performance.now() - t);
  }
  return median(times);
}

const fresh = !existsSync(dbPath);
if (fresh) (await openLedger(dbPath)).close();
const genSecs = fresh ? generate() : 0;
const ledger = await openLedger(dbPath);
let t = performance.now();
const initial = await refreshRollups(ledger);
const rollupSecs = (performance.now() - t) / 1000;
const month = new Date(today - 40 * DAY).toISOString().slice(0, 7);
const monthStart = `${month}-01T00:00:00.000Z`;
const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString();
const since90 = new Date(today - 90 * DAY).toISOString();
const cases = [
  { name: `--by team --month ${month}`, query: { by: ['team'], since: monthStart, until: next, basis: 'default' }, cli: ['--by', 'team', '--month', month], target: 300 },
  { name: '--by feature,model --since 90d', query: { by: ['feature', 'model'], since: since90, basis: 'default' }, cli: ['--by', 'feature,model', '--since', '90d'], target: 300 },
  { name: '--by day (full year)', query: { by: ['day'], basis: 'default' }, cli: ['--by', 'day'], target: 500 },
];
console.log(`report benchmark: ${ROWS.toLocaleString('en-US')} metered rows over 365 days${fresh ? ` (generated in ${genSecs.toFixed(0)} s)` : ' (kept ledger)'}`);
console.log(`  initial rollup build: ${rollupSecs.toFixed(1)} s for ${initial.rolledForward.toLocaleString('en-US')} rows`);
let ok = true;
for (const c of cases) {
  const withRollup = await timeReport(ledger, c.query, 5);
  const withoutRollup = await timeReport(ledger, { ...c.query, noRollup: true }, 1);
  if (withRollup.report.total.cost_usd !== withoutRollup.report.total.cost_usd) throw new Error(`${c.name}: rollup and rows disagree`);
  const cli = cliMs(c.cli);
  const met = withRollup.ms <= c.target && cli <= c.target + 250;
  ok &&= withRollup.ms <= c.target;
  console.log(`  ${c.name.padEnd(34)} rollup ${withRollup.ms.toFixed(0).padStart(5)} ms · rows ${withoutRollup.ms.toFixed(0).padStart(6)} ms (${(withoutRollup.ms / withRollup.ms).toFixed(0)}x) · CLI wall ${cli.toFixed(0)} ms · target ${c.target} ms ${withRollup.ms <= c.target ? 'met' : 'MISSED'}${met ? '' : ''}`);
}
await ledger.close();

// Incremental: a new batch through `llmfin import`, then the next report rolls it in.
const batch = join(dir, 'batch.jsonl');
const BATCH = 10_000;
writeFileSync(batch, Array.from({ length: BATCH }, (_, i) => JSON.stringify({ id: `late-${Date.now()}-${i}`, ts: new Date(today - DAY + i * 1000).toISOString(), provider: 'openai', model: 'gpt-4.1-mini', input_tokens: 1000, output_tokens: 100, team: 'late-team' })).join('\n') + '\n');
// A kept ledger may hold earlier late batches: compare before and after.
const beforeLedger = await openLedger(dbPath);
const before = (await buildReport(beforeLedger, new Attributor([]), { by: ['team'], since: new Date(today - DAY).toISOString(), basis: 'default' })).rows.find((r) => r.team === 'late-team')?.cost_usd ?? 0;
await beforeLedger.close();
const imp = spawnSync(process.execPath, [join(root, 'bin/llmfin'), 'import', '--db', dbPath, batch], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
if (imp.status !== 0) throw new Error(imp.stderr);
const again = await openLedger(dbPath);
t = performance.now();
const after = await buildReport(again, new Attributor([]), { by: ['team'], since: new Date(today - DAY).toISOString(), basis: 'default' });
const incMs = performance.now() - t;
const late = after.rows.find((r) => r.team === 'late-team');
// 10,000 x (1000 x 0.40 + 100 x 1.60) / 1M = $5.60 more than before the import.
const added = late ? Math.round((late.cost_usd - before) * 100) / 100 : 0;
console.log(`  after importing ${BATCH.toLocaleString('en-US')} rows: next report ${incMs.toFixed(0)} ms (incremental roll-in), late-team +$${added} (expected +$5.6)`);
ok &&= added === 5.6;
await again.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
