// A budget on a model covers the ids the model is served under. OpenAI answers a `gpt-4o`
// request with `"model": "gpt-4o-2024-08-06"`; the row records that id, priced as the
// catalogue's gpt-4o (`matched_model`). The running proxy, one restarted from the ledger the
// first wrote, and `budget status` must all count it under `model: gpt-4o`, and a budget on
// the dated id must count that id's requests alone, in all three.
//
// gpt-4o with the fake's usage (1,200 input of which 1,024 cached, 80 output) costs
// 176 × $2.50/M + 1,024 × $1.25/M + 80 × $10/M = $0.00044 + $0.00128 + $0.0008 = $0.00252:
// 25,200,000 ticks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { startHarness } from './proxy-harness.js';

const spent = (g: BudgetGuard) => g.snapshot().map((s) => [s.name, s.spentTicks, s.reservedTicks]);

describe('a budget on a model, for a response naming a dated snapshot', () => {
  it('counts the same in the running proxy, one restarted from its ledger and budget status', async () => {
    const budgets = [
      { name: 'on-4o', scope: { model: 'gpt-4o' }, limit_usd: 100 },
      { name: 'on-snapshot', scope: { model: 'gpt-4o-2024-08-06' }, limit_usd: 100 },
      { name: 'on-mini', scope: { model: 'gpt-4o-mini' }, limit_usd: 100 },
    ];
    const config = ConfigSchema.parse({ budgets });
    const dir = tempDir();
    const seed = await openLedger(join(dir, 'seed.db'));
    const live = await loadBudgetGuard(seed, config);
    const h = await startHarness({ gate: live });
    try {
      const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
      const ask = (served?: string) =>
        openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: served ? { 'x-fake-served-model': served } : {} });
      // Two answered by the dated snapshot, one by gpt-4o itself.
      expect((await ask('gpt-4o-2024-08-06')).model).toBe('gpt-4o-2024-08-06');
      await ask('gpt-4o-2024-08-06');
      await ask();
      expect((await h.rows()).map((r) => [r.model_requested, r.model, r.matched_model, r.cost_usd])).toEqual([
        ['gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o', '0.00252'],
        ['gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o', '0.00252'],
        ['gpt-4o', 'gpt-4o', 'gpt-4o', '0.00252'],
      ]);
      // on-4o: all three, 3 × 25,200,000; on-snapshot: the two dated ones, 2 × 25,200,000.
      const expected = [
        ['on-4o', 75_600_000n, 0n],
        ['on-snapshot', 50_400_000n, 0n],
        ['on-mini', 0n, 0n],
      ];
      expect(spent(live)).toEqual(expected);
      // The restart: a guard seeded from the ledger the proxy wrote.
      const restarted = await loadBudgetGuard(h.ledger, config);
      expect(spent(restarted)).toEqual(expected);

      writeFileSync(join(dir, 'llmfin.yaml'), `budgets:\n${budgets.map((b) => `  - { name: ${b.name}, scope: { model: "${b.scope.model}" }, limit_usd: 100 }\n`).join('')}`);
      const status = await runCli(['budget', 'status', '--db', h.ledgerPath, '--format', 'json'], { cwd: dir });
      expect(status.code, status.stderr).toBe(0);
      const rows = JSON.parse(status.stdout).rows as Array<{ name: string; spent_usd: number }>;
      expect(budgets.map((b) => rows.find((r) => r.name === b.name)!.spent_usd)).toEqual([0.00756, 0.00504, 0]);
    } finally {
      await h.close();
      await seed.close();
    }
  });

  it('refuses a request for the dated id before it is forwarded, when a block budget on the model is spent', async () => {
    // $0.00001 is less than the maximum cost of a gpt-4o request of 10 output tokens ($0.0001
    // for those alone): the first is refused, whatever id of the model it names.
    const config = ConfigSchema.parse({ budgets: [{ name: 'on-4o', scope: { model: 'gpt-4o' }, limit_usd: 0.00001, action: 'block' }] });
    const seed = await openLedger(join(tempDir(), 'seed.db'));
    const h = await startHarness({ gate: await loadBudgetGuard(seed, config) });
    try {
      const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
      const refused = await openai.chat.completions.create({ model: 'gpt-4o-2024-08-06', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.APIError);
      expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
      expect((refused as InstanceType<typeof OpenAI.APIError>).headers?.get('x-llmfin-budget')).toBe('on-4o');
      expect(h.fake.requests.length).toBe(0);
    } finally {
      await h.close();
      await seed.close();
    }
  });

  it('counts an Anthropic dated id under its model, live and after a restart', async () => {
    // claude-sonnet-4-5 with the fake's usage (Anthropic's input_tokens leave the cache out):
    // 1,200 × $3/M + 1,024 cache reads × $0.30/M + 80 × $15/M = $0.0036 + $0.0003072 + $0.0012
    // = $0.0051072: 51,072,000 ticks.
    const config = ConfigSchema.parse({
      budgets: [
        { name: 'on-sonnet', scope: { model: 'claude-sonnet-4-5' }, limit_usd: 100 },
        { name: 'on-dated', scope: { model: 'claude-sonnet-4-5-20250929' }, limit_usd: 100 },
      ],
    });
    const seed = await openLedger(join(tempDir(), 'seed.db'));
    const live = await loadBudgetGuard(seed, config);
    const h = await startHarness({ gate: live });
    try {
      const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client', maxRetries: 0 });
      await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-fake-served-model': 'claude-sonnet-4-5-20250929' } });
      const [row] = await h.rows();
      expect([row!.model, row!.matched_model]).toEqual(['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5']);
      expect(row!.cost_usd).toBe('0.0051072');
      const expected = [
        ['on-sonnet', 51_072_000n, 0n],
        ['on-dated', 51_072_000n, 0n],
      ];
      expect(spent(live)).toEqual(expected);
      expect(spent(await loadBudgetGuard(h.ledger, config))).toEqual(expected);
    } finally {
      await h.close();
      await seed.close();
    }
  });
});
