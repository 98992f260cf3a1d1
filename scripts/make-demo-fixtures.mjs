#!/usr/bin/env node
// Generates fixtures/demo/*.jsonl: a synthetic but realistic month (October 2026) of
// metered LLM usage for a mid-sized SaaS company, in llmfin's own JSONL format.
// Deterministic (seeded PRNG), so rerunning gives byte-identical files.
//   node scripts/make-demo-fixtures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customers, customerWeight, dailyRow, workloads } from './demo-workloads.mjs';
import { prng } from './prng.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const rand = prng(20261001);
const jitter = (x, spread) => x * (1 + (rand() * 2 - 1) * spread);

const lines = [];
const days = 31;
for (let d = 0; d < days; d++) {
  const day = new Date(Date.UTC(2026, 9, 1 + d));
  const next = new Date(Date.UTC(2026, 9, 2 + d));
  const dow = day.getUTCDay();
  const weekday = dow === 0 || dow === 6 ? 0.38 : 1;
  const growth = 1 + 0.012 * d; // ~40% month-on-month growth, typical of a feature ramp
  for (const w of workloads) {
    const slices = w.perCustomer ? customers.map((c) => [c, customerWeight[c]]) : [[null, 1]];
    for (const [customer, share] of slices) {
      for (const [environment, envShare] of [['production', 0.94], ['staging', 0.06]]) {
        let requests = Math.round(jitter(w.rpd * weekday * growth * share * envShare, 0.12));
        // Oct 21: the research agent loops on a failing tool call all afternoon.
        let loop = 1;
        if (w.feature === 'research-agent' && d === 20 && environment === 'production') loop = 7.5;
        requests = Math.max(1, Math.round(requests * loop));
        lines.push(dailyRow({ day, next, w, customer, environment, requests, inTok: w.inTok, jitter }));
      }
    }
  }
}

const out = join(root, 'fixtures', 'demo');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'metered-2026-10.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`wrote ${lines.length} rows to fixtures/demo/metered-2026-10.jsonl`);
