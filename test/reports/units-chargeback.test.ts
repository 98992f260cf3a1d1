// Unit economics and chargeback with hand-computed expectations
// (test/fixtures/reports/units/SOURCE.md). gpt-4o-mini input is $0.15/1M tokens, so a
// 100·i-token request costs 0.000015·i USD; the gpt-4o request costs 1M x $2.50/1M = $2.50.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { chargeback } from '../../src/reports/chargeback.js';
import { percentiles } from '../../src/reports/percentiles.js';
import { runCli, tempDir } from '../helpers/cli.js';

const fx = fileURLToPath(new URL('../fixtures/reports/units/requests.jsonl', import.meta.url));
const USD = 10_000_000_000n;

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    expect(percentiles([5, 1, 4, 2, 3])).toEqual({ count: 5, p50: 3, p95: 5, p99: 5 });
    expect(percentiles([])).toEqual({ count: 0, p50: null, p95: null, p99: null });
  });
});

describe('report --metrics units', () => {
  let db: string;
  beforeAll(async () => {
    db = join(tempDir(), 'units.db');
    const r = await runCli(['import', '--db', db, fx]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('gives tokens per request, loop lengths, tier mix, customer x feature and the costliest traces', async () => {
    const r = await runCli(['report', '--db', db, '--metrics', 'units', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const u = JSON.parse(r.stdout);
    // 11 samples: 100..1000 and 1,000,000. p50 = 6th = 600; p95 = 11th.
    expect(u.tokens_per_request).toMatchObject({ count: 11, p50: 600, p95: 1_000_000, p99: 1_000_000 });
    expect(u.tokens_per_request.by_feature).toEqual([
      { feature: 'chat', count: 10, p50: 500, p95: 1000, p99: 1000 },
      { feature: 'summarise', count: 1, p50: 1_000_000, p95: 1_000_000, p99: 1_000_000 },
    ]);
    // Steps per trace: t1 3, t2 5, t3 2, t4 1 -> sorted 1,2,3,5.
    expect(u.agent_loop_length).toMatchObject({ count: 4, p50: 2, p95: 5, p99: 5 });
    expect(u.agent_loop_length.by_agent).toEqual([
      { agent: 'coder', count: 2, p50: 1, p95: 2, p99: 2 },
      { agent: 'planner', count: 2, p50: 3, p95: 5, p99: 5 },
    ]);
    // chat total 55 x 0.000015 = 0.000825 (small); gpt-4o 2.50 (workhorse).
    expect(u.model_tier_mix.rows).toEqual([
      { tier: 'workhorse', cost_usd: 2.5, share: 0.99967, unpriced_rows: 0 },
      { tier: 'small', cost_usd: 0.000825, share: 0.000329, unpriced_rows: 0 },
    ]);
    // c1: requests 1..5 = 15 x 0.000015; c2: 6..10 = 40 x 0.000015.
    expect(u.cost_per_customer_feature.map((x: Record<string, unknown>) => [x.customer, x.feature, x.cost_usd])).toEqual([
      ['c3', 'summarise', 2.5],
      ['c2', 'chat', 0.0006],
      ['c1', 'chat', 0.000225],
    ]);
    // t2: 4+5+6+7+8 = 30 x 0.000015; t3: 9+10 = 19 x; t1: 1+2+3 = 6 x.
    expect(u.top_traces.map((t: Record<string, unknown>) => [t.trace, t.agent, t.steps, t.cost_usd])).toEqual([
      ['t4', 'coder', 1, 2.5],
      ['t2', 'planner', 5, 0.00045],
      ['t3', 'coder', 2, 0.000285],
      ['t1', 'planner', 3, 0.00009],
    ]);
    const table = await runCli(['report', '--db', db, '--metrics', 'units']);
    expect(table.stdout).toContain('Agent loop length (steps per trace)');
    expect(table.stdout).toMatch(/planner\s+2\s+3\s+5\s+5/);
  });

  it('takes a row that counts several requests as neither one request nor one step', async () => {
    const dir = tempDir();
    const more = join(dir, 'more.jsonl');
    // No granularity given (so "request"), but 100 requests: 500,000 tokens are 5,000 each,
    // not one request of 500,000. In trace t5 a row of 3 requests is 3 steps.
    writeFileSync(
      more,
      '{"id":"agg","ts":"2026-10-04T00:00:00Z","provider":"openai","model":"gpt-4o-mini","requests":100,"input_tokens":500000,"feature":"chat"}\n' +
        '{"id":"t5","ts":"2026-10-04T01:00:00Z","provider":"openai","model":"gpt-4o-mini","requests":3,"input_tokens":900,"trace_id":"t5","agent":"coder"}\n',
    );
    const mixed = join(dir, 'mixed.db');
    expect((await runCli(['import', '--db', mixed, fx, more])).code).toBe(0);
    const u = JSON.parse((await runCli(['report', '--db', mixed, '--metrics', 'units', '--format', 'json'])).stdout);
    // The same 11 single requests as above: 100..1000 and 1,000,000.
    expect(u.tokens_per_request).toMatchObject({ count: 11, p50: 600, p95: 1_000_000, p99: 1_000_000 });
    // Steps per trace: t1 3, t2 5, t3 2, t4 1, t5 3 -> sorted 1,2,3,3,5; coder t3 2, t4 1, t5 3.
    expect(u.agent_loop_length).toMatchObject({ count: 5, p50: 3, p95: 5, p99: 5 });
    expect(u.agent_loop_length.by_agent[0]).toEqual({ agent: 'coder', count: 3, p50: 2, p95: 3, p99: 3 });
  });

  it('reads a customer x feature with no priced row as unpriced, never $0.00', async () => {
    const dir = tempDir();
    const rows = join(dir, 'rows.jsonl');
    // acme/chat: 1M gpt-4o-mini input tokens at $0.15/1M = $0.15, one request. acme/beta: two
    // requests of a model no catalogue prices, so its cost is unknown, not zero.
    writeFileSync(
      rows,
      '{"id":"p1","ts":"2026-10-04T00:00:00Z","provider":"openai","model":"gpt-4o-mini","input_tokens":1000000,"customer":"acme","feature":"chat"}\n' +
        '{"id":"u1","ts":"2026-10-04T01:00:00Z","provider":"openai","model":"no-such-model-x","input_tokens":500,"customer":"acme","feature":"beta"}\n' +
        '{"id":"u2","ts":"2026-10-04T02:00:00Z","provider":"openai","model":"no-such-model-x","input_tokens":700,"customer":"acme","feature":"beta"}\n',
    );
    const unpriced = join(dir, 'unpriced.db');
    expect((await runCli(['import', '--db', unpriced, rows])).code).toBe(0);
    const base = ['report', '--db', unpriced, '--metrics', 'units', '--month', '2026-10'];
    const u = JSON.parse((await runCli([...base, '--format', 'json'])).stdout);
    expect(u.cost_per_customer_feature).toEqual([
      { customer: 'acme', feature: 'chat', cost_usd: 0.15, requests: 1, cost_per_request_usd: 0.15, unpriced_rows: 0 },
      { customer: 'acme', feature: 'beta', cost_usd: 0, requests: 2, cost_per_request_usd: null, unpriced_rows: 2 },
    ]);
    const table = (await runCli(base)).stdout;
    expect(table).toMatch(/acme\s+chat\s+\$0\.15\s+1\s+\$0\.15\n/);
    expect(table).toMatch(/acme\s+beta\s+unpriced\s+2\s+–\n/);
    expect((await runCli([...base, '--format', 'markdown'])).stdout).toContain('| acme | beta | unpriced | 2 | – |');
    // CSV keeps the number a spreadsheet can sum, and says beside it that the cost is not known.
    const csv = (await runCli([...base, '--format', 'csv'])).stdout;
    expect(csv).toContain('customer,feature,cost_usd,requests,cost_per_request_usd,unpriced_rows\nacme,chat,0.15,1,0.15,0\nacme,beta,0,2,,2\n');
  });
});

describe('chargeback', () => {
  const shared = ConfigSchema.parse({
    attribution: {
      shared: [
        { name: 'platform', from: { team: 'platform' }, method: 'proportional' },
        { name: 'untagged', from: { team: '(unattributed)' }, method: 'weights', weights: { search: 1, support: 3 } },
        { name: 'even', from: { team: 'infra' }, method: 'even' },
      ],
    },
  }).attribution.shared;

  it('splits shared lines proportionally, by weights and evenly, exactly', () => {
    const result = chargeback(
      [
        { dims: { team: 'platform' }, ticks: 30n * USD },
        { dims: { team: 'search' }, ticks: 60n * USD },
        { dims: { team: 'support' }, ticks: 20n * USD },
        { dims: { team: '(unattributed)' }, ticks: 10n * USD },
        { dims: { team: 'infra' }, ticks: 1n },
      ],
      shared,
      'team',
    );
    // platform 30 at 60:20 -> 22.5 / 7.5; untagged 10 at 1:3 -> 2.5 / 7.5; infra 1 tick evenly -> 1 / 0.
    expect(result.rows.map((r) => [r.recipient, r.direct_ticks, r.shared, r.total_ticks])).toEqual([
      ['search', 60n * USD, { platform: 225n * USD / 10n, untagged: 25n * USD / 10n, even: 1n }, 85n * USD + 1n],
      ['support', 20n * USD, { platform: 75n * USD / 10n, untagged: 75n * USD / 10n, even: 0n }, 35n * USD],
    ]);
    expect(result.total_ticks).toBe(120n * USD + 1n);
    expect(result.rows.reduce((a, r) => a + r.total_ticks, 0n)).toBe(result.total_ticks);
  });

  it('keeps a shared line nobody can take as unallocated', () => {
    const result = chargeback([{ dims: { team: 'platform' }, ticks: 5n }], shared, 'team');
    expect(result.unallocated).toEqual([{ name: 'platform', ticks: 5n }]);
  });

  it('prints the chargeback from llmfin.yaml as CSV for finance', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    await runCli(['import', '--db', db, fx]);
    writeFileSync(join(dir, 'llmfin.yaml'), 'attribution:\n  rules:\n    - { match: { feature: chat }, set: { team: chat-team } }\n    - { match: { feature: summarise }, set: { team: platform } }\n  shared:\n    - { name: platform, from: { team: platform }, over: team, method: even, to: [chat-team, docs] }\n');
    const r = await runCli(['report', '--db', db, '--chargeback', '--format', 'csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // 2.50 evenly over chat-team and docs: 1.25 each; chat-team direct 0.000825.
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['team,direct_usd,shared_usd.platform,total_usd', 'chat-team,0.000825,1.25,1.250825', 'docs,0,1.25,1.25']);
    const none = await runCli(['report', '--db', db, '--chargeback']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--chargeback: expected shared costs under attribution.shared');
  });
});
