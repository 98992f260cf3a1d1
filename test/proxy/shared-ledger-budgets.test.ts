// Two proxies sharing one ledger, each with the same budget: each counts the other's spend
// as its rows land (other-proxies-spend.ts), so a block budget holds across them instead of
// letting each spend the whole limit. Real SQLite file, real HTTP on loopback, the official
// OpenAI client.
//
// gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per 1M tokens. The fake
// provider answers 1,200 input tokens of which 1,024 cached and 80 output:
// (176 x 0.15 + 1,024 x 0.075 + 80 x 0.60) / 1M = $0.0001512 = 1,512,000 ticks a request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { lastEntryId } from '../../src/ledger/queries/proxy-rows-after.js';
import { startProxy, type RunningProxy } from '../../src/proxy/start-proxy.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { bundledPricer } from './proxy-harness.js';

const PER_REQUEST = 1_512_000n;
// $0.0005: room for three requests ($0.0004536), not four.
const config = ConfigSchema.parse({ budgets: [{ name: 'org-daily', period: 'daily', limit_usd: 0.0005, action: 'block' }] });

interface Side {
  ledger: LedgerStore;
  guard: BudgetGuard;
  proxy: RunningProxy;
  client: OpenAI;
}

let fake: FakeProvider;
let dir: string;
const sides: Side[] = [];

async function side(path: string): Promise<Side> {
  const ledger = await openLedger(path);
  const budgetsReadAfterId = await lastEntryId(ledger);
  const guard = await loadBudgetGuard(ledger, config);
  const proxy = await startProxy({
    ledger, pricer: await bundledPricer(), config: { upstreams: { openai: { base_url: fake.url, dialect: 'openai' } } },
    port: 0, gate: guard, budgetsReadAfterId, env: {}, logWrite: () => {}, flushIntervalMs: 50,
  });
  const s = { ledger, guard, proxy, client: new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 }) };
  sides.push(s);
  return s;
}

const ask = (s: Side) => s.client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).then(() => 200, (e: unknown) => (e instanceof OpenAI.APIError ? e.status : 0));
const spent = (s: Side) => s.guard.snapshot()[0]!.spentTicks;
async function until(done: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(join(tmpdir(), 'llmfin-shared-'));
});
afterAll(async () => {
  for (const s of sides) {
    await s.proxy.close();
    await s.ledger.close();
  }
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a budget across proxies sharing one ledger', () => {
  it('counts what the other proxy spends, once, and blocks on the combined spend', async () => {
    const path = join(dir, 'ledger.db');
    await (await openLedger(path)).close();
    const a = await side(path);
    const b = await side(path);
    expect(await ask(b)).toBe(200);
    expect(await ask(a)).toBe(200);
    expect(await ask(a)).toBe(200);
    await Promise.all([a.proxy.flush(), b.proxy.flush()]);
    // Each has its own request(s) settled and, within about a second, the other's rows: three in all.
    await until(() => spent(a) === 3n * PER_REQUEST && spent(b) === 3n * PER_REQUEST);
    // $0.0004536 spent: a fourth request's reservation (a 2-character prompt, 10 output tokens) still fits.
    expect(await ask(a)).toBe(200);
    await a.proxy.flush();
    await until(() => spent(b) === 4n * PER_REQUEST);
    // $0.0006048 of $0.0005: B refuses, though it served one request itself.
    expect(await ask(b)).toBe(429);
    // Nothing counted twice: still four requests' worth on both sides.
    await new Promise((r) => setTimeout(r, 1200));
    expect([spent(a), spent(b)]).toEqual([4n * PER_REQUEST, 4n * PER_REQUEST]);
  });
});
