#!/usr/bin/env node
// Routing decision latency (issue 6, R5): Router.decide over 50,000 prompts of up to 128k
// characters — the RouteLLM prompts when present plus synthetic agent contexts of 2k, 8k, 32k
// and 128k characters — after 2,000 warm-up calls, in-process, one core. Targets: p50 <= 50 us,
// p99 <= 200 us. Also checks that decide's cost does not grow with prompt length (bounded scan).
//   npm run bench:routing [-- --n 50000]
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from '../dist/routing/router.js';
import { extractRouteText } from '../dist/routing/extract-route-text.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nArg = process.argv.indexOf('--n');
const N = nArg > -1 ? Number(process.argv[nArg + 1]) : 50_000;
const WARMUP = 2_000;

// Prompts: real ones when the reference data is there, else generated sentences.
const data = join(root, '..', 'shared', 'reference', 'routing', 'routellm', 'mmlu', 'responses');
const real = [];
if (existsSync(data)) {
  for (const f of readdirSync(data).slice(0, 20)) {
    const text = readFileSync(join(data, f), 'utf8');
    for (const chunk of text.split('\nAnswer:').slice(0, 200)) real.push(chunk.slice(-1500));
  }
}
const words = 'the function returns a list of rows; compute the total for each step, then write a JSON table with at most 5 columns. Why does 3 + 4 * 2 equal 11? def parse(x): return x'.split(' ');
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const sentence = (chars) => {
  let s = '';
  while (s.length < chars) s += words[Math.floor(rnd() * words.length)] + (rnd() < 0.1 ? '\n' : ' ');
  return s.slice(0, chars);
};
const sizes = [2_000, 8_000, 32_000, 128_000];
const synthetic = sizes.map((n) => sentence(n));
const prompts = [];
for (let i = 0; i < 512; i++) {
  const r = i % 8;
  if (r < 4 && real.length > 0) prompts.push(real[i % real.length]);
  else if (r < 4) prompts.push(sentence(200 + Math.floor(rnd() * 1500)));
  else prompts.push(synthetic[r - 4].slice(0, synthetic[r - 4].length - (i % 17)));
}

const router = new Router({
  routing: {
    mode: 'enforce',
    tiers: [
      { name: 'small', models: { openai: ['gpt-4.1-nano'], anthropic: ['claude-haiku-4-5'] } },
      { name: 'medium', models: { openai: ['gpt-4.1-mini'], anthropic: ['claude-sonnet-4-5'] } },
      { name: 'large', models: { openai: ['gpt-4.1'], anthropic: ['claude-opus-4-5'] } },
    ],
    rules: [{ match: { agent: 'support*' }, min_tier: 'medium' }],
  },
});

const agents = ['support-bot', 'coder', 'research', undefined];
function call(i) {
  const p = prompts[i % prompts.length];
  return router.decide({ dialect: i % 5 === 0 ? 'anthropic' : 'openai', model: 'gpt-4.1', prompt: p, agent: agents[i % 4], feature: 'f', traceId: `t${i % 5000}`, turns: 1 + (i % 9), toolErrors: i % 13 === 0 ? 2 : 0 });
}

for (let i = 0; i < WARMUP; i++) call(i);
const times = new Float64Array(N);
const bySize = new Map();
let sink = 0;
for (let i = 0; i < N; i++) {
  const t = process.hrtime.bigint();
  const d = call(i + WARMUP);
  times[i] = Number(process.hrtime.bigint() - t) / 1000;
  sink += d.score;
  const len = prompts[(i + WARMUP) % prompts.length].length;
  const bucket = len >= 100_000 ? '128k' : len >= 30_000 ? '32k' : len >= 7_000 ? '8k' : len >= 1_900 ? '2k' : '<2k (real)';
  (bySize.get(bucket) ?? bySize.set(bucket, []).get(bucket)).push(times[i]);
}
const pct = (arr, q) => {
  const s = Float64Array.from(arr).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
// The proxy's side: extracting the text from a chat body (bounded too).
const body = { model: 'gpt-4.1', messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: synthetic[3] }] };
for (let i = 0; i < WARMUP; i++) extractRouteText(body, 'openai');
const ex = new Float64Array(5000);
for (let i = 0; i < ex.length; i++) {
  const t = process.hrtime.bigint();
  extractRouteText(body, 'openai');
  ex[i] = Number(process.hrtime.bigint() - t) / 1000;
}
const p50 = pct(times, 0.5);
const p99 = pct(times, 0.99);
console.log(`Router.decide over ${N} prompts (${prompts.length} distinct, up to ${Math.max(...prompts.map((p) => p.length))} chars), after ${WARMUP} warm-up calls, node ${process.version}`);
console.log(`  all       p50 ${p50.toFixed(1)} us  p99 ${p99.toFixed(1)} us  max ${pct(times, 1).toFixed(1)} us   targets p50 <= 50, p99 <= 200: ${p50 <= 50 && p99 <= 200 ? 'PASS' : 'FAIL'}`);
for (const [bucket, arr] of [...bySize.entries()].sort()) console.log(`  ${bucket.padEnd(10)}p50 ${pct(arr, 0.5).toFixed(1)} us  p99 ${pct(arr, 0.99).toFixed(1)} us  (${arr.length} calls)`);
console.log(`  extractRouteText, 128k-char chat body: p50 ${pct(ex, 0.5).toFixed(1)} us  p99 ${pct(ex, 0.99).toFixed(1)} us`);
console.log(`  heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB (checksum ${sink.toFixed(2)})`);
