#!/usr/bin/env node
// `llmfin check` benchmark (issue 9): a ledger holding two recorded runs of 100,000
// requests each (run ids R1 and R2, written directly with SQLite as the proxy would),
// `llmfin baseline save --run R1`, then `llmfin check --run R2` timed end to end (process
// start included, median of 5) next to `llmfin --version` in the same session, the floor
// every command pays. Target: check answers in under 1 s.
// --bin runs another build's CLI (an A/B pair in one session).
//   npm run bench:check [-- --rows 100000] [-- --bin /tmp/old/bin/llmfin] [-- --keep]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > -1 ? process.argv[i + 1] : fallback;
};
const bin = option('--bin', join(root, 'bin', 'llmfin'));
const ROWS = Number(option('--rows', '100000'));
const dir = mkdtempSync(join(tmpdir(), 'llmfin-bench-check-'));
const db = join(dir, 'ledger.db');
const env = { ...process.env, HOME: dir, NO_COLOR: '1' };
const cli = (args) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, cwd: dir });

// Create the schema through llmfin itself, then write the runs directly.
const init = cli(['init', '--db', db]);
if (init.status !== 0) throw new Error(init.stderr);
const sqlite = new Database(db);
const insert = sqlite.prepare(`insert into usage_entries (provenance, source, dedupe_key, provider, model, ts, granularity, requests, input_tokens,
  uncached_input_tokens, cache_read_tokens, output_tokens, cost_usd, cost_ticks, cost_status, feature, tags, created_at)
  values ('metered', 'proxy', ?, 'openai', ?, ?, 'request', 1, ?, ?, ?, ?, ?, ?, 'priced', ?, ?, ?)`);
const FEATURES = ['checkout', 'search', 'faq', 'support', 'summaries', 'onboarding', 'billing', 'recommendations'];
const created = new Date().toISOString();
sqlite.transaction(() => {
  for (const run of ['R1', 'R2']) {
    for (let i = 0; i < ROWS; i++) {
      const feature = FEATURES[i % FEATURES.length];
      // R2 makes checkout's prompts 30% longer: a regression check must name it.
      const input = Math.round((800 + (i % 400)) * (run === 'R2' && feature === 'checkout' ? 1.3 : 1));
      const cached = Math.floor(input / 4);
      const output = 100 + (i % 50);
      const model = i % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini';
      const [inRate, outRate] = model === 'gpt-4o' ? [25_000, 100_000] : [1_500, 6_000];
      const ticks = (input - cached) * inRate + cached * (inRate / 2) + output * outRate;
      insert.run(`${run}-${i}`, model, new Date(Date.UTC(2026, 10, 1) + i * 10).toISOString(), input, input - cached, cached, output, (ticks / 1e10).toFixed(10), ticks, feature, JSON.stringify({ run_id: run }), created);
    }
  }
})();
sqlite.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (args, expectCode) => {
  const ms = [];
  let last;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    last = cli(args);
    ms.push(performance.now() - t);
    if (last.status !== expectCode) throw new Error(`${args.join(' ')} exited ${last.status}: ${last.stderr}`);
  }
  return { ms: median(ms), out: last };
};
const floor = time(['--version'], 0);
const save = time(['baseline', 'save', '--db', db, '--run', 'R1', '--out', join(dir, 'llmfin.baseline.json')], 0);
const check = time(['check', '--db', db, '--baseline', join(dir, 'llmfin.baseline.json'), '--run', 'R2'], 1);
const named = /checkout/.test(check.out.stdout + check.out.stderr);
console.log(`check benchmark: two runs of ${ROWS.toLocaleString('en-US')} requests each`);
console.log(`  llmfin --version (start-up floor)   ${floor.ms.toFixed(0)} ms`);
console.log(`  llmfin baseline save --run R1        ${save.ms.toFixed(0)} ms`);
console.log(`  llmfin check --run R2                ${check.ms.toFixed(0)} ms  (${(check.ms / floor.ms).toFixed(1)}x the floor) · exit 1, names checkout: ${named ? 'yes' : 'NO'}`);
console.log(`  target < 1000 ms: ${check.ms < 1000 ? 'met' : 'MISSED'}`);
// --keep leaves the ledger and baseline for profiling (`node --cpu-prof bin/llmfin check …`).
if (process.argv.includes('--keep')) console.log(`  kept: ${dir}`);
else rmSync(dir, { recursive: true, force: true });
process.exitCode = check.ms < 1000 && named ? 0 : 1;
