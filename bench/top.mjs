#!/usr/bin/env node
// `llmfin top` benchmark (issue 8): CPU (% of one core) and RSS of the dashboard while a
// proxy writes 500 requests/s into the ledger it watches, for ~20 s.
//   targets: < 5% of one core, < 80 MB RSS
// Traffic: the real proxy (`llmfin proxy`) in front of ../shared/bench/fake-upstream.mjs,
// driven by a paced HTTP client (its own process); with --writer, or when the proxy cannot
// start, a writer process inserting rows in 250 ms batches as the proxy flushes.
// `llmfin top` runs in a tmux pane (it needs a terminal); it is sampled from /proc.
//   npm run bench:top [-- --rate 500 --seconds 20 --writer --keep DIR --no-floors --node-flags '--flag …']
// --node-flags passes V8/Node flags to the dashboard's process only (to measure a setting).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > -1 ? process.argv[i + 1] : fallback;
};
const RATE = Number(arg('--rate', '500'));
const SECONDS = Number(arg('--seconds', '20'));
const forceWriter = process.argv.includes('--writer');
const keep = arg('--keep');
// Extra Node flags for the dashboard's process only (to measure a V8 or allocator setting).
const nodeFlags = arg('--node-flags', '');
const TARGET_CPU = 5;
const TARGET_RSS_MB = 80;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'llmfin-bench-top-'));
const db = join(dir, 'ledger.db');
const config = join(dir, 'llmfin.yaml');
const socket = `llmfin-bench-top-${process.pid}`;
const llmfin = join(root, 'bin/llmfin');
const children = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tmux = (...args) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  tmux('kill-server');
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const verbose = process.argv.includes('--verbose');
async function waitFor(what, check, timeoutMs = 15000) {
  if (verbose) console.error(`waiting for ${what}…`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const maxId = () => {
  const r = new Database(db, { readonly: true });
  try {
    return Number(r.prepare('select coalesce(max(id), 0) as n from usage_entries').get().n);
  } finally {
    r.close();
  }
};

// 1. A ledger (migrated by a normal open) and a config with budgets to draw.
const { openLedger } = await import(join(root, 'dist/ledger/index.js'));
await (await openLedger(db)).close();
writeFileSync(
  config,
  `budgets:
  - name: org-daily
    period: daily
    limit_usd: 50
  - name: support-monthly
    scope: { team: support }
    limit_usd: 200
  - name: coder-agent
    scope: { agent: coder }
    period: daily
    limit_usd: 5
`,
);

// 2. Traffic: the proxy in front of the fake upstream, driven by a paced client.
async function startProxyTraffic() {
  const upstreamPort = await freePort();
  const upstream = spawn(process.execPath, [join(root, '../shared/bench/fake-upstream.mjs')], { env: { ...process.env, PORT: String(upstreamPort) }, stdio: 'ignore' });
  children.push(upstream);
  const proxyPort = await freePort();
  const proxy = spawn(process.execPath, [llmfin, 'proxy', '--port', String(proxyPort), '--db', db, '--config', config, '--record-only', '--upstream', `openai=http://127.0.0.1:${upstreamPort}/v1`], {
    env: { ...process.env, OPENAI_API_KEY: 'sk-bench', LLMFIN_CONFIG: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(proxy);
  let proxyErr = '';
  proxy.stderr.on('data', (d) => (proxyErr = (proxyErr + d).slice(-4000)));
  await waitFor('the proxy', async () => {
    if (proxy.exitCode !== null) throw new Error(`proxy exited: ${proxyErr}`);
    try {
      return (await fetch(`http://127.0.0.1:${proxyPort}/llmfin/health`)).ok;
    } catch {
      return false;
    }
  });
  // The client: RATE requests a second in 10 ms slices, keep-alive, attribution headers.
  const client = `
    const url = 'http://127.0.0.1:${proxyPort}/v1/chat/completions';
    const teams = ['support', 'search', 'growth', 'platform', 'data-science'];
    const agents = ['coder', 'support-agent', 'research-agent', ''];
    const body = (i) => JSON.stringify({ model: i % 3 ? 'gpt-4o-mini' : 'gpt-4.1', messages: [{ role: 'user', content: 'hello '.repeat(300) }] });
    let i = 0, done = 0, failed = 0, inflight = 0;
    const perSlice = ${RATE} / 100;
    let carry = 0;
    setInterval(() => {
      carry += perSlice;
      for (; carry >= 1; carry--) {
        if (inflight > 400) continue;
        const n = i++;
        inflight++;
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench',
          'x-llmfin-team': teams[n % teams.length], 'x-llmfin-agent': agents[n % agents.length], 'x-llmfin-feature': 'f' + (n % 9), 'x-llmfin-trace-id': 't' + Math.floor(n / 3) },
          body: body(n) }).then((r) => r.arrayBuffer().then(() => (r.ok ? done++ : failed++))).catch(() => failed++).finally(() => inflight--);
      }
    }, 10);
    setInterval(() => process.stdout.write(JSON.stringify({ done, failed }) + '\\n'), 1000);
  `;
  const load = spawn(process.execPath, ['--input-type=module', '-e', client], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(load);
  let last = { done: 0, failed: 0 };
  load.stdout.on('data', (d) => {
    const lines = String(d).trim().split('\n');
    try {
      last = JSON.parse(lines.at(-1));
    } catch {
      // a partial line; the next one will do
    }
  });
  return { kind: 'real proxy (llmfin proxy → fake upstream, paced HTTP client)', stats: () => last };
}

function startWriter() {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(${JSON.stringify(db)});
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(\`insert into usage_entries (provenance, source, dedupe_key, provider, model, ts, granularity, requests, input_tokens, uncached_input_tokens,
      output_tokens, cost_usd, cost_ticks, cost_status, team, agent, feature, trace_id, created_at)
      values ('metered', 'proxy', ?, 'openai', ?, ?, 'request', 1, 1200, 176, 80, '0.000342', 3420000, 'priced', ?, ?, ?, ?, ?)\`);
    const teams = ['support', 'search', 'growth', 'platform', 'data-science'];
    const agents = ['coder', 'support-agent', 'research-agent', null];
    let n = 0, carry = 0;
    const flush = db.transaction((count) => {
      const now = new Date().toISOString();
      for (let i = 0; i < count; i++, n++) insert.run('bench-' + process.pid + '-' + n, n % 3 ? 'gpt-4o-mini' : 'gpt-4.1', now, teams[n % 5], agents[n % 4], 'f' + (n % 9), 't' + Math.floor(n / 3), now);
    });
    setInterval(() => { carry += ${RATE} / 4; const c = Math.floor(carry); carry -= c; flush(c); }, 250);
  `;
  const writer = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' });
  children.push(writer);
  return { kind: 'writer process (rows inserted in 250 ms batches, as the proxy flushes)', stats: () => undefined };
}

try {
  await main();
} catch (error) {
  console.error(`bench:top failed: ${error.stack ?? error}`);
  process.exit(1);
}

async function main() {
let traffic;
if (forceWriter) traffic = startWriter();
else {
  try {
    traffic = await startProxyTraffic();
  } catch (error) {
    console.error(`proxy traffic unavailable (${error.message.split('\n')[0]}); using the writer process`);
    for (const c of children.splice(0)) c.kill('SIGTERM');
    traffic = startWriter();
  }
}
await waitFor('rows in the ledger', () => maxId() > RATE);

// 3. `llmfin top` in a 100x30 terminal; exec so that the pane's process is llmfin itself.
tmux('new-session', '-d', '-s', 'top', '-x', '100', '-y', '30', `exec env LLMFIN_CONFIG= node ${nodeFlags} ${llmfin} top --db ${db} --config ${config} --by team`);
const pid = Number(tmux('list-panes', '-t', 'top', '-F', '#{pane_pid}').stdout.trim());
if (!pid) throw new Error('llmfin top did not start in tmux');
await waitFor('the dashboard', () => tmux('capture-pane', '-p', '-t', 'top').stdout.includes('Latest requests'));
await sleep(3000); // past the seed and the first refreshes

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};
const status = () => readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status())?.[1] ?? 0);

const rows0 = maxId();
const cpu0 = cpuTicks();
const t0 = performance.now();
const rss = [];
while (performance.now() - t0 < SECONDS * 1000) {
  rss.push(kb('VmRSS') / 1024);
  await sleep(500);
}
const elapsed = (performance.now() - t0) / 1000;
const cpu = ((cpuTicks() - cpu0) / CLK_TCK / elapsed) * 100;
const rows = maxId() - rows0;
const peak = kb('VmHWM') / 1024;
const anon = kb('RssAnon') / 1024;
const file = kb('RssFile') / 1024;
const screen = tmux('capture-pane', '-p', '-t', 'top').stdout;
tmux('send-keys', '-t', 'top', 'q');
await waitFor('top to exit on q', () => !existsSync(`/proc/${pid}`), 5000).catch(() => console.error('top did not exit on q'));

// For scale: the same terminal holding the smallest Ink app (one line redrawn each
// second) built from the same vendored Ink and React that `llmfin top` loads, and an idle
// Node. What they need is the floor any Ink dashboard pays on this Node, before any data.
const vendored = existsSync(join(root, 'dist/vendor/ink.js'));
const [inkSpec, reactSpec] = vendored ? ['./dist/vendor/ink.js', './dist/vendor/react.js'] : ['ink', 'react'];
const floorApp = `process.env.NODE_ENV = 'production'; const { render, Text } = await import('${inkSpec}'); const { createElement, useEffect, useState } = await import('${reactSpec}'); \
  const App = () => { const [n, setN] = useState(0); useEffect(() => { const t = setInterval(() => setN((x) => x + 1), 1000); return () => clearInterval(t); }, []); return createElement(Text, null, 'tick ' + n); }; \
  render(createElement(App));`;
async function floorOf(name, code) {
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', `cd ${root} && exec node --input-type=module -e ${JSON.stringify(code).replace(/\$/g, '\\$')}`);
  const floorPid = Number(tmux('list-panes', '-t', name, '-F', '#{pane_pid}').stdout.trim());
  await sleep(8000);
  const text = floorPid && existsSync(`/proc/${floorPid}`) ? readFileSync(`/proc/${floorPid}/status`, 'utf8') : '';
  const mb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
  return text ? `${mb('VmRSS').toFixed(1)} MB RSS (${mb('RssAnon').toFixed(1)} private + ${mb('RssFile').toFixed(1)} files)` : undefined;
}
const floors = process.argv.includes('--no-floors') ? [] : [
  [`a one-line Ink app (${vendored ? "the vendored Ink top loads" : 'Ink from node_modules'})`, await floorOf('floor-ink', floorApp)],
  ['an idle Node process', await floorOf('floor-node', 'setInterval(() => {}, 1000);')],
];

const maxRss = Math.max(...rss);
const meanRss = rss.reduce((a, b) => a + b, 0) / rss.length;
const ok = cpu < TARGET_CPU && peak < TARGET_RSS_MB;
console.log(screen.trimEnd());
console.log('');
console.log(`llmfin top benchmark — ${traffic.kind}`);
console.log(`  traffic     ${(rows / elapsed).toFixed(0)} rows/s written to the ledger over ${elapsed.toFixed(1)} s (asked: ${RATE}/s)${traffic.stats() ? `, client ${JSON.stringify(traffic.stats())}` : ''}`);
console.log(`  cpu         ${cpu.toFixed(2)}% of one core        target < ${TARGET_CPU}%   ${cpu < TARGET_CPU ? 'ok' : 'MISSED'}`);
console.log(`  rss         peak ${peak.toFixed(1)} MB (sampled max ${maxRss.toFixed(1)}, mean ${meanRss.toFixed(1)})   target < ${TARGET_RSS_MB} MB   ${peak < TARGET_RSS_MB ? 'ok' : 'MISSED'}`);
console.log(`              at the end: ${anon.toFixed(1)} MB private (RssAnon) + ${file.toFixed(1)} MB mapped files (RssFile: the node binary, shared)`);
for (const [what, figure] of floors) if (figure) console.log(`  floor       ${what} in the same terminal: ${figure}`);
if (rows / elapsed < RATE * 0.9) console.log(`  note        the traffic fell short of ${RATE}/s on this machine; the figures are for the rate reached`);
process.exitCode = ok ? 0 : 1;
// The proxy, the upstream, the traffic client's pipe and the tmux server would keep this
// process alive: stop them now rather than on an 'exit' that would never come.
cleanup();
}
