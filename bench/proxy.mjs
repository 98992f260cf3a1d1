#!/usr/bin/env node
// Proxy benchmark (issue 5): what `llmfin proxy` costs over the bare Node pass-through
// floor (../shared/bench), measured alternately in one run on loopback with wrk:
//   non-streaming c=1  p50 latency    target: proxy - pass-through <= 0.5 ms
//   non-streaming c=50 requests/s     target: proxy >= 0.8 x pass-through
//   streaming     c=1 and c=50        the same targets (WRK_STREAM=1)
//   peak RSS of the proxy             target <= 150 MB
//   ledger rows after the final flush target: one per attempt the proxy served, every
//                                     completed one with the fake's exact usage and cost
// The proxy runs as users run it (bin/llmfin), with metering, ledger writes to a temp
// ledger and a budget active (the budgets engine's BudgetGuard, limit never reached).
// With --routing, llmfin.yaml also has a routing policy in enforce mode, so every request is
// scored and decided before forwarding (issue 6: the targets must hold with routing on); the
// bench's model, gpt-4o-mini, is in the policy's small tier, so the rows stay exactly checkable.
//   npm run bench:proxy [-- --seconds 5] [--rounds 2] [--routing] [--node-flags '--flag …']
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kit = join(root, '..', 'shared', 'bench');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > -1 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('--seconds', '5'));
const ROUNDS = Number(arg('--rounds', '2'));
const ROUTING = process.argv.includes('--routing');
// Extra Node flags for the proxy's process only (to measure a V8 or allocator setting).
const NODE_FLAGS = (arg('--node-flags', '') ?? '').split(' ').filter(Boolean);
const TARGET = { addedP50Ms: 0.5, throughputRatio: 0.8, rssMb: 150 };

if (spawnSync('wrk', ['--version']).error) {
  console.error('wrk is not installed: apt-get update && apt-get install -y wrk');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'llmfin-bench-proxy-'));
const children = [];
function start(name, args, env, logFile) {
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}
async function waitFor(url, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o-mini","messages":[]}' });
      return;
    } catch {
      if (Date.now() > end) throw new Error(`${url} did not come up`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
};
process.on('exit', cleanup);

const [fakePort, passPort, proxyPort] = [await freePort(), await freePort(), await freePort()];
const upstream = `http://127.0.0.1:${fakePort}`;
start('fake', [join(kit, 'fake-upstream.mjs')], { PORT: String(fakePort) });
start('passthrough', [join(kit, 'passthrough.mjs')], { PORT: String(passPort), UPSTREAM: upstream });

// A budget the run never reaches, so that every request goes through a real reservation.
const budgetsEngine = existsSync(join(root, 'dist/budgets/budget-guard.js'));
const config = join(dir, 'llmfin.yaml');
const routingYaml = 'routing:\n  mode: enforce\n  default_tier: small\n  tiers:\n    - name: small\n      models: { openai: [gpt-4o-mini] }\n    - name: large\n      models: { openai: [gpt-4o, gpt-4.1] }\n';
writeFileSync(config, (budgetsEngine ? 'budgets:\n  - name: bench-org\n    limit_usd: 1000000\n    action: block\n' : '# no budgets engine in this build\n') + (ROUTING ? routingYaml : ''));
const ledgerPath = join(dir, 'ledger.db');
const proxyLog = join(dir, 'proxy.log');
const proxy = start('proxy', [...NODE_FLAGS, join(root, 'bin/llmfin'), 'proxy', '--port', String(proxyPort), '--db', ledgerPath, '--config', config, '--upstream', `openai=${upstream}`, '--log-format', 'json'], { LLMFIN_DB: '', LLMFIN_CONFIG: '' }, proxyLog);
const started = Date.now();
await Promise.all([waitFor(`${upstream}/v1/chat/completions`), waitFor(`http://127.0.0.1:${passPort}/v1/chat/completions`), waitFor(`http://127.0.0.1:${proxyPort}/v1/chat/completions`)]);
const startupMs = Date.now() - started;

function wrk(port, connections, seconds, stream) {
  const r = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', join(kit, 'post.lua'), `http://127.0.0.1:${port}/v1/chat/completions`], {
    env: { ...process.env, WRK_STREAM: stream ? '1' : '0' },
    encoding: 'utf8',
  });
  const text = r.stdout;
  const unit = (v, u) => Number(v) * (u === 'us' ? 0.001 : u === 's' ? 1000 : 1);
  const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(text);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const count = /(\d+) requests in/.exec(text);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (!p50 || !rps || !count) throw new Error(`unreadable wrk output:\n${text}\n${r.stderr}`);
  return { p50: unit(p50[1], p50[2]), rps: Number(rps[1]), requests: Number(count[1]), non2xx: errors ? Number(errors[1]) : 0 };
}

let proxyRequests = 0;
let peakRss = 0;
const rssKb = () => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proxy.pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

// Warm both up (JIT, connection pools), counting the proxy's requests too.
for (const stream of [false, true]) {
  wrk(passPort, 50, 1, stream);
  proxyRequests += wrk(proxyPort, 50, 1, stream).requests;
}

const cases = [
  { name: 'non-streaming c=1', c: 1, stream: false, metric: 'p50' },
  { name: 'non-streaming c=50', c: 50, stream: false, metric: 'rps' },
  { name: 'streaming c=1', c: 1, stream: true, metric: 'p50' },
  { name: 'streaming c=50', c: 50, stream: true, metric: 'rps' },
];
const results = [];
let non2xx = 0;
for (const k of cases) {
  const pass = [];
  const prox = [];
  // Alternate the two, so that a noisy neighbour hits both alike.
  for (let round = 0; round < ROUNDS; round++) {
    pass.push(wrk(passPort, k.c, SECONDS, k.stream));
    const p = wrk(proxyPort, k.c, SECONDS, k.stream);
    prox.push(p);
    proxyRequests += p.requests;
    non2xx += p.non2xx;
    peakRss = Math.max(peakRss, rssKb());
  }
  const mean = (xs, key) => xs.reduce((s, x) => s + x[key], 0) / xs.length;
  const median = (xs, key) => {
    const v = xs.map((x) => x[key]).sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  results.push({ ...k, pass: { p50: median(pass, 'p50'), rps: mean(pass, 'rps') }, proxy: { p50: median(prox, 'p50'), rps: mean(prox, 'rps') } });
}
peakRss = Math.max(peakRss, rssKb());

// What the proxy says it served, then a graceful stop: every queued row is written. wrk stops
// with requests in flight; once the proxy has seen them end (as client disconnects), it has
// counted them, so the count is read when nothing is in flight any more.
let metrics;
for (let tries = 0; ; tries++) {
  metrics = await (await fetch(`http://127.0.0.1:${proxyPort}/metrics`)).text();
  if (Number(/^llmfin_proxy_in_flight_requests (\d+)$/m.exec(metrics)?.[1] ?? 0) === 0 || tries > 50) break;
  await new Promise((r) => setTimeout(r, 100));
}
const served = [...metrics.matchAll(/^llmfin_proxy_requests_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
proxy.kill('SIGTERM');
const exitCode = await new Promise((resolve) => proxy.on('exit', resolve));
const db = new Database(ledgerPath, { readonly: true });
const rows = db.prepare('select count(*) n from usage_entries').get().n;
const disconnected = db.prepare("select count(*) n from usage_entries where description like '%client_disconnected%'").get().n;
const exact = db
  .prepare("select count(*) n from usage_entries where status_code = 200 and description is null and input_tokens = 1200 and cache_read_tokens = 1024 and output_tokens = 80 and cost_usd = '0.0001512' and cost_status = 'priced'")
  .get().n;
db.close();
// wrk stops with up to c requests in flight per run; the proxy records those too (as client
// disconnects, or complete when its answer was already on the wire), so the completed rows
// can exceed wrk's count by at most the connections of all runs.
const inFlightBound = 2 * 50 + cases.reduce((s, k) => s + k.c * ROUNDS, 0);

const fmt = (n, d = 2) => n.toFixed(d);
console.log(`\nllmfin proxy benchmark · ${SECONDS}s per run, ${ROUNDS} rounds alternating · wrk -t1 · ${budgetsEngine ? 'budget active' : 'no budgets engine'}${ROUTING ? ' · routing on (enforce)' : ''} · proxy start ${startupMs} ms\n`);
console.log('case                 pass-through          llmfin proxy          result');
let failed = false;
for (const r of results) {
  let verdict;
  if (r.metric === 'p50') {
    const added = r.proxy.p50 - r.pass.p50;
    const ok = added <= TARGET.addedP50Ms;
    failed ||= !ok;
    verdict = `p50 +${fmt(added, 3)} ms ${ok ? 'ok' : 'MISSED'} (target <= ${TARGET.addedP50Ms} ms)`;
  } else {
    const ratio = r.proxy.rps / r.pass.rps;
    const ok = ratio >= TARGET.throughputRatio;
    failed ||= !ok;
    verdict = `${fmt(ratio)}x ${ok ? 'ok' : 'MISSED'} (target >= ${TARGET.throughputRatio}x)`;
  }
  console.log(`${r.name.padEnd(20)} p50 ${fmt(r.pass.p50, 3).padStart(6)} ms ${fmt(r.pass.rps, 0).padStart(6)}/s   p50 ${fmt(r.proxy.p50, 3).padStart(6)} ms ${fmt(r.proxy.rps, 0).padStart(6)}/s   ${verdict}`);
}
const rssMb = peakRss / 1024;
const rssOk = rssMb <= TARGET.rssMb;
failed ||= !rssOk;
console.log(`peak RSS             ${fmt(rssMb, 1)} MB ${rssOk ? 'ok' : 'MISSED'} (target <= ${TARGET.rssMb} MB)`);
const completed = rows - disconnected;
const rowsOk = exitCode === 0 && rows === served && exact === completed && completed >= proxyRequests && completed - proxyRequests <= inFlightBound && non2xx === 0;
failed ||= !rowsOk;
console.log(
  `ledger rows          ${rows} rows = ${served} attempts served ${rows === served ? 'ok' : 'MISSED'}; ${completed} completed (all with the fake's exact usage and cost: ${exact === completed ? 'yes' : 'NO'}) vs ${proxyRequests} counted by wrk (+${completed - proxyRequests} answered as wrk stopped, bound ${inFlightBound}); ${disconnected} cut off by wrk's stop, recorded as estimated; exit ${exitCode} ${rowsOk ? 'ok' : 'MISSED'}`,
);
rmSync(dir, { recursive: true, force: true });
console.log(failed ? '\nsome targets missed' : '\nall targets met');
process.exit(failed ? 1 : 0);
