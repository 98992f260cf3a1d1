#!/usr/bin/env node
// Generates fixtures/demo/*.jsonl: a synthetic but realistic month (October 2026) of
// metered LLM usage for a mid-sized SaaS company, in llmfin's own JSONL format.
// Deterministic (seeded PRNG), so rerunning gives byte-identical files.
//   node scripts/make-demo-fixtures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// mulberry32: small, seedable, good enough for fixture noise.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261001);
const jitter = (x, spread) => x * (1 + (rand() * 2 - 1) * spread);

const customers = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];
const customerWeight = { acme: 0.32, globex: 0.22, initech: 0.16, umbrella: 0.13, hooli: 0.1, stark: 0.07 };

// requests/day on a weekday, tokens per request (input incl. cache, cache read share, output, reasoning)
const workloads = [
  { team: 'support', feature: 'ticket-summary', provider: 'anthropic', model: 'claude-haiku-4-5', perCustomer: true, rpd: 9000, inTok: 2400, cacheShare: 0.55, write5m: 40, outTok: 220, key: 'sk-support-prod' },
  { team: 'support', feature: 'support-agent', agent: 'support-agent', provider: 'anthropic', model: 'claude-sonnet-4-5', perCustomer: true, rpd: 2600, inTok: 14000, cacheShare: 0.7, write1h: 900, outTok: 650, key: 'sk-support-prod' },
  { team: 'search', feature: 'semantic-search', provider: 'openai', model: 'text-embedding-3-small', perCustomer: true, rpd: 60000, inTok: 380, outTok: 0, key: 'sk-search-prod' },
  { team: 'search', feature: 'answer-synthesis', provider: 'openai', model: 'gpt-4.1-mini', perCustomer: true, rpd: 14000, inTok: 3100, cacheShare: 0.35, outTok: 420, key: 'sk-search-prod' },
  { team: 'growth', feature: 'email-drafts', provider: 'openai', model: 'gpt-4o-mini', rpd: 5200, inTok: 900, outTok: 380, key: 'sk-growth' },
  { team: 'growth', feature: 'landing-copy', provider: 'google', model: 'gemini-2.5-flash', rpd: 700, inTok: 1800, outTok: 900, reasoning: 400, key: 'sk-growth' },
  { team: 'platform', feature: 'code-review-bot', agent: 'coder', provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', rpd: 1100, inTok: 22000, cacheShare: 0.6, write5m: 2500, outTok: 1100, key: 'aws-platform' },
  { team: 'data-science', feature: 'research-agent', agent: 'research-agent', provider: 'openai', model: 'o3', rpd: 450, inTok: 8000, cacheShare: 0.4, outTok: 2600, reasoning: 1900, key: 'sk-ds' },
  { team: 'data-science', feature: 'doc-qa', provider: 'google', model: 'gemini-2.5-pro', perCustomer: true, rpd: 380, inTok: 60000, cacheShare: 0.5, outTok: 700, reasoning: 900, key: 'sk-ds' },
];

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
        const inPer = jitter(w.inTok, 0.08);
        const input = Math.round(requests * inPer);
        const cacheRead = Math.round(input * jitter(w.cacheShare ?? 0, 0.1));
        const cacheWrite5m = Math.round(requests * (w.write5m ?? 0) * jitter(1, 0.2));
        const cacheWrite1h = Math.round(requests * (w.write1h ?? 0) * jitter(1, 0.2));
        const output = Math.round(requests * jitter(w.outTok, 0.1));
        const reasoning = Math.min(output, Math.round(requests * jitter(w.reasoning ?? 0, 0.1)));
        lines.push({
          id: `demo-${day.toISOString().slice(0, 10)}-${w.feature}-${customer ?? 'internal'}-${environment}`,
          ts: day.toISOString().replace('.000', ''),
          ts_end: next.toISOString().replace('.000', ''),
          granularity: 'day',
          provenance: 'metered',
          provider: w.provider,
          model: w.model,
          requests,
          input_tokens: input + cacheWrite5m + cacheWrite1h,
          cache_read_tokens: cacheRead,
          cache_write_5m_tokens: cacheWrite5m,
          cache_write_1h_tokens: cacheWrite1h,
          output_tokens: output + (w.provider === 'google' ? reasoning : 0),
          reasoning_tokens: reasoning,
          team: w.team,
          feature: w.feature,
          customer,
          agent: w.agent ?? null,
          environment,
          api_key: w.key,
          project: `${w.team}-${environment === 'production' ? 'prod' : 'stg'}`,
        });
      }
    }
  }
}

const out = join(root, 'fixtures', 'demo');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'metered-2026-10.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`wrote ${lines.length} rows to fixtures/demo/metered-2026-10.jsonl`);
