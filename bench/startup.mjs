#!/usr/bin/env node
// Startup benchmark: how long `llmfin --version` and `llmfin pricing cost …` take from
// process start to exit, against a bare `node -e 0` measured in the same session (the
// floor any Node CLI pays), so the figures are comparable on a noisy machine.
// Targets (issue 2): --version < 150 ms, pricing cost < 300 ms.
//   npm run bench:startup [-- --runs 30]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'llmfin');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > -1 ? Number(process.argv[runsArg + 1]) : 25;

const cases = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'], target: null },
  { name: 'llmfin --version', args: [bin, '--version'], target: 150 },
  { name: 'llmfin --help', args: [bin, '--help'], target: 150 },
  {
    name: 'llmfin pricing cost',
    args: [bin, 'pricing', 'cost', '--model', 'claude-sonnet-4-5', '--input', '150000', '--cache-read', '60000', '--output', '1000', '--format', 'json'],
    target: 300,
  },
  {
    name: 'llmfin pricing cost (bedrock id)',
    args: [bin, 'pricing', 'cost', '--model', 'us.anthropic.claude-sonnet-4-6', '--input', '1000000', '--output', '1000000'],
    target: 300,
  },
];

const env = { ...process.env, NO_COLOR: '1', LLMFIN_CONFIG: '', HOME: '/tmp/llmfin-bench-home' };
function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// Interleave the cases run by run so that machine noise hits them alike.
for (const c of cases) time(c.args); // warm the file cache
const samples = cases.map(() => []);
for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(time(c.args)));

const baseline = median(samples[0]);
let failed = false;
console.log(`startup, median of ${runs} runs (ms)`);
cases.forEach((c, j) => {
  const m = median(samples[j]);
  const ok = c.target === null || m < c.target;
  if (!ok) failed = true;
  const ratio = (m / baseline).toFixed(2);
  console.log(
    `  ${c.name.padEnd(34)} ${m.toFixed(1).padStart(7)}  ${ratio}x node   ${c.target === null ? '' : `target < ${c.target} ms: ${ok ? 'met' : 'MISSED'}`}`,
  );
});
process.exitCode = failed ? 1 : 0;
