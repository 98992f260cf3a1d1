#!/usr/bin/env node
// Generates the demo's longer history next to fixtures/demo/metered-2026-10.jsonl, so
// that `llmfin demo` can forecast (the forecaster wants four weeks or more):
// - fixtures/demo/metered-2026-q3-history.jsonl: August and September 2026, the same
//   workloads as October at a lower, growing level (daily rows, llmfin JSONL);
// - fixtures/demo/traces-2026-10.jsonl: request-level rows of a few agent traces in
//   October, one of which loops on an identical call and one of which runs away.
// Synthetic, deterministic (seeded PRNG): rerunning gives byte-identical files.
//   node scripts/make-demo-history.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customers, customerWeight, dailyRow, workloads } from './demo-workloads.mjs';
import { prng } from './prng.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const rand = prng(20260801);
const jitter = (x, spread) => x * (1 + (rand() * 2 - 1) * spread);

const day0 = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
const lines = [];
for (let d = -61; d < 0; d++) {
  const day = new Date(day0 + d * DAY);
  const next = new Date(day0 + (d + 1) * DAY);
  const dow = day.getUTCDay();
  const weekday = dow === 0 || dow === 6 ? 0.38 : 1;
  // Growing into October's level (October grows 1.2% a day from 1.0 on the 1st).
  const growth = Math.exp(0.008 * d);
  for (const w of workloads) {
    // The support agent shipped on August 18; doc-qa's prompts grew through September.
    if (w.feature === 'support-agent' && d < -44) continue;
    const promptCreep = w.feature === 'doc-qa' && d >= -30 ? 1 - 0.012 * (-d) : w.feature === 'doc-qa' ? 0.64 : 1;
    const slices = w.perCustomer ? customers.map((c) => [c, customerWeight[c]]) : [[null, 1]];
    for (const [customer, share] of slices) {
      for (const [environment, envShare] of [['production', 0.94], ['staging', 0.06]]) {
        const requests = Math.max(1, Math.round(jitter(w.rpd * weekday * growth * share * envShare, 0.12)));
        lines.push(dailyRow({ day, next, w, customer, environment, requests, inTok: w.inTok * promptCreep, jitter }));
      }
    }
  }
}
writeFileSync(join(root, 'fixtures', 'demo', 'metered-2026-q3-history.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`wrote ${lines.length} rows to fixtures/demo/metered-2026-q3-history.jsonl`);

// Request-level traces. They are a sample beside the daily rows (environment "sample"), so
// their money is small next to the month; they exist for the loop and runaway detectors.
const traces = [];
const agentCall = (trace, i, t, model, input, output, extra = {}) => ({
  id: `demo-trace-${trace}-${String(i).padStart(3, '0')}`,
  ts: new Date(t).toISOString().replace('.000', ''),
  granularity: 'request',
  provenance: 'metered',
  provider: model.startsWith('o3') ? 'openai' : 'anthropic',
  model,
  requests: 1,
  input_tokens: input,
  output_tokens: output,
  team: extra.team ?? 'data-science',
  feature: extra.feature ?? 'research-agent',
  agent: extra.agent ?? 'research-agent',
  environment: 'sample',
  trace_id: trace,
  ...(extra.customer ? { customer: extra.customer } : {}),
});
let t = Date.UTC(2026, 9, 21, 13, 0, 0);
for (let k = 0; k < 12; k++) {
  const trace = `run-1021-${k}`;
  let context = 2000 + Math.round(rand() * 2000);
  const steps = 4 + Math.floor(rand() * 8);
  for (let i = 0; i < steps; i++) {
    traces.push(agentCall(trace, i, t, 'o3', context, 200 + Math.round(rand() * 900)));
    context += 300 + Math.round(rand() * 2000);
    t += 20_000;
  }
  t += 600_000;
}
// The loop: the same failing tool call, re-sent with the same context 18 times.
for (let i = 0; i < 24; i++) {
  const looping = i >= 6;
  traces.push(agentCall('run-1021-loop', i, t, 'o3', looping ? 48_112 : 30_000 + i * 3000, looping ? 212 : 600 + i * 10));
  t += 15_000;
}
// A runaway session on the support agent: long, large contexts, no repetition.
t = Date.UTC(2026, 9, 23, 9, 0, 0);
for (let i = 0; i < 60; i++) {
  traces.push(agentCall('sess-umbrella-7781', i, t, 'claude-sonnet-4-5', 60_000 + i * 2500, 900 + (i % 7) * 40, { team: 'support', feature: 'support-agent', agent: 'support-agent', customer: 'umbrella' }));
  t += 30_000;
}
writeFileSync(join(root, 'fixtures', 'demo', 'traces-2026-10.jsonl'), traces.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`wrote ${traces.length} rows to fixtures/demo/traces-2026-10.jsonl`);
