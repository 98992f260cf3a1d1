// Budgets swapped while the proxy runs (what SIGHUP does, src/cli/commands/proxy-run.ts):
// a raised limit admits, a lowered one blocks on the spend carried over, an added budget
// reads its spend from the ledger (queued rows written first), a removed one stops
// blocking, and a request in flight across the reload settles where it is held. Real
// SQLite file, real HTTP on loopback, the official OpenAI client, the fake provider.
//
// gpt-4o-mini through the fake provider: $0.0001512 = 1,512,000 ticks a request
// (176 x 0.15 + 1,024 x 0.075 + 80 x 0.60 per 1M tokens), whatever the prompt.
// A request's maximum cost ("hi", max_tokens 10) is far under that: a block budget
// admits while spent + ~65,000 ticks fits under its limit.
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { BudgetGuard, type BudgetAlert } from '../../src/budgets/budget-guard.js';
import { budgetReload, loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { importsFingerprint } from '../../src/ledger/queries/import-batches.js';
import { lastEntryId } from '../../src/ledger/queries/proxy-rows-after.js';
import { startProxy, type RunningProxy } from '../../src/proxy/start-proxy.js';
import { tempDir } from '../helpers/cli.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { bundledPricer } from './proxy-harness.js';

const PER_REQUEST = 1_512_000n;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

interface Running {
  proxy: RunningProxy;
  guard: BudgetGuard;
  ledger: LedgerStore;
  client: OpenAI;
  alerts: BudgetAlert[];
  /** Swaps the budgets as SIGHUP does. */
  reload(budgets: unknown[]): Promise<void>;
  spent(name: string): bigint | undefined;
  reserved(name: string): bigint | undefined;
}
const open: Array<Pick<Running, 'proxy' | 'ledger'>> = [];
afterEach(async () => {
  for (const r of open.splice(0)) {
    await r.proxy.close();
    await r.ledger.close();
  }
});

/** A proxy with these budgets; rows are written only when flushed (or by a reload). */
async function run(budgets: unknown[]): Promise<Running> {
  const ledger = await openLedger(join(tempDir(), 'ledger.db'));
  const alerts: BudgetAlert[] = [];
  const budgetsReadAfterId = await lastEntryId(ledger);
  const budgetsReadImports = await importsFingerprint(ledger);
  const guard = await loadBudgetGuard(ledger, ConfigSchema.parse({ budgets }), { onAlert: (a) => void alerts.push(a) });
  const proxy = await startProxy({
    ledger, pricer: await bundledPricer(), config: { upstreams: { openai: { base_url: fake.url, dialect: 'openai' } } },
    port: 0, gate: guard, budgetsReadAfterId, budgetsReadImports, env: {}, logWrite: () => {}, flushIntervalMs: 600_000,
  });
  const client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
  const state = (name: string) => guard.snapshot().find((b) => b.name === name);
  const r: Running = {
    proxy, guard, ledger, client, alerts,
    reload: (next) => proxy.rereadBudgets((flushed) => guard.reload(budgetReload(ledger, ConfigSchema.parse({ budgets: next })), flushed)),
    spent: (name) => state(name)?.spentTicks,
    reserved: (name) => state(name)?.reservedTicks,
  };
  open.push(r);
  return r;
}

const ask = (client: OpenAI, team = 'search') =>
  client.chat.completions
    .create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': team } })
    .then(() => 200, (e: unknown) => (e instanceof OpenAI.APIError ? e.status : 0));

/** Every proxy row's cost in the ledger, in ticks. */
async function ledgerTicks(ledger: LedgerStore): Promise<bigint> {
  const rows = await ledger.db.selectFrom('usage_entries').select('cost_ticks').execute();
  return rows.reduce((sum, r) => sum + BigInt(r.cost_ticks ?? 0), 0n);
}

const search = (limit: number, extra: Record<string, unknown> = {}) => ({ name: 'search', scope: { team: 'search' }, limit_usd: limit, action: 'block', ...extra });

describe('budgets reloaded while the proxy runs', () => {
  it('a blocked budget whose limit is raised admits again, its spend carried over', async () => {
    // $0.0002 = 2,000,000 ticks: two requests fit (the second starts at 1,512,000), the third is refused.
    const r = await run([search(0.0002)]);
    expect([await ask(r.client), await ask(r.client), await ask(r.client)]).toEqual([200, 200, 429]);
    expect(r.spent('search')).toBe(3_024_000n);
    await r.reload([search(0.001)]);
    expect(r.spent('search')).toBe(3_024_000n);
    expect(await ask(r.client)).toBe(200);
    expect(r.spent('search')).toBe(4_536_000n);
    expect(r.reserved('search')).toBe(0n);
  });

  it('a lowered limit blocks on the spend carried over, and alerts as at start', async () => {
    const r = await run([search(0.001)]);
    expect([await ask(r.client), await ask(r.client)]).toEqual([200, 200]);
    expect(r.alerts).toEqual([]);
    // $0.0003 = 3,000,000 ticks, under the 3,024,000 spent: past the soft (80%) and hard limits.
    await r.reload([search(0.0003)]);
    expect(r.spent('search')).toBe(3_024_000n);
    expect(r.alerts.map((a) => [a.budget, a.level, a.spent_usd, a.limit_usd])).toEqual([
      ['search', 'soft', 0.0003024, 0.0003],
      ['search', 'hard', 0.0003024, 0.0003],
    ]);
    expect(await ask(r.client)).toBe(429);
    // Another team is outside its scope.
    expect(await ask(r.client, 'ads')).toBe(200);
    expect(r.spent('search')).toBe(3_024_000n);
  });

  it('an added budget reads its spend from the ledger, rows still queued included, each once', async () => {
    const r = await run([{ name: 'org', limit_usd: 1 }]);
    expect([await ask(r.client), await ask(r.client), await ask(r.client, 'ads')]).toEqual([200, 200, 200]);
    // Nothing written yet: the reload writes the queued rows before it reads.
    expect(await ledgerTicks(r.ledger)).toBe(0n);
    await r.reload([{ name: 'org', limit_usd: 1 }, search(0.0003)]);
    expect(await ledgerTicks(r.ledger)).toBe(4_536_000n);
    expect(r.spent('search')).toBe(3_024_000n);
    expect(r.spent('org')).toBe(4_536_000n);
    expect(await ask(r.client)).toBe(429);
    expect(await ask(r.client, 'ads')).toBe(200);
    expect(r.spent('org')).toBe(6_048_000n);
    expect(r.spent('search')).toBe(3_024_000n);
  });

  it('a removed budget no longer blocks; a re-scoped one reads its new scope from the ledger', async () => {
    // $0.0001 = 1,000,000 ticks: the first request fits, the second is refused.
    const r = await run([search(0.0001)]);
    expect([await ask(r.client), await ask(r.client)]).toEqual([200, 429]);
    expect(await ask(r.client, 'ads')).toBe(200);
    await r.reload([]);
    expect(r.guard.snapshot()).toEqual([]);
    expect(await ask(r.client)).toBe(200);
    // The same name on team ads: its spend is team ads's in the ledger (one request), not search's.
    await r.reload([{ ...search(0.0002), scope: { team: 'ads' } }]);
    expect(r.spent('search')).toBe(PER_REQUEST);
    expect(await ask(r.client, 'ads')).toBe(200);
    expect(await ask(r.client, 'ads')).toBe(429);
    expect(await ask(r.client)).toBe(200);
  });

  it('a request in flight across a reload settles in the budgets it falls in after it, with nothing left reserved', async () => {
    const r = await run([{ name: 'org', limit_usd: 1 }, { name: 'old', scope: { team: 'search' }, limit_usd: 1 }]);
    const stream = await r.client.chat.completions.create(
      { model: 'gpt-4o-mini', max_tokens: 10, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-llmfin-team': 'search', 'x-fake-scenario': 'slow-stream' } },
    );
    const held = r.reserved('org')!;
    expect(held).toBeGreaterThan(0n);
    expect(r.reserved('old')).toBe(held);
    // org's limit changes (kept), old goes, new comes on the same team, while the stream runs.
    await r.reload([{ name: 'org', limit_usd: 2 }, { name: 'new', scope: { team: 'search' }, limit_usd: 1 }]);
    expect(r.reserved('org')).toBe(held);
    expect(r.reserved('new')).toBe(held);
    expect(r.spent('new')).toBe(0n);
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 80 });
    await r.proxy.flush();
    expect(r.reserved('org')).toBe(0n);
    expect(r.reserved('new')).toBe(0n);
    expect(await ledgerTicks(r.ledger)).toBe(PER_REQUEST);
    expect(r.spent('org')).toBe(PER_REQUEST);
    expect(r.spent('new')).toBe(PER_REQUEST);
    // Read from the ledger again (the row is in it now): counted once, not twice.
    await r.reload([{ name: 'org', limit_usd: 2 }, { name: 'new', scope: { team: 'search' }, limit_usd: 1 }]);
    expect(r.spent('org')).toBe(PER_REQUEST);
    expect(r.spent('new')).toBe(PER_REQUEST);
  }, 30_000);
});

describe('budgets brought to a proxy started without any', () => {
  it('read the queued rows from the ledger, count a request in flight without a budget from its row, and their own requests once', async () => {
    const ledger = await openLedger(join(tempDir(), 'ledger.db'));
    const proxy = await startProxy({
      ledger, pricer: await bundledPricer(), config: { upstreams: { openai: { base_url: fake.url, dialect: 'openai' } } },
      port: 0, env: {}, logWrite: () => {}, flushIntervalMs: 600_000,
    });
    const guard = new BudgetGuard([]);
    open.push({ proxy, ledger });
    const client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
    const spent = () => guard.snapshot().find((b) => b.name === 'search')?.spentTicks;
    // About 8 s of stream: admitted with no budget, it ends after they came.
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', max_tokens: 10, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-llmfin-team': 'search', 'x-fake-scenario': 'slow-stream' } },
    );
    expect([await ask(client), await ask(client)]).toEqual([200, 200]);
    expect(await ledgerTicks(ledger)).toBe(0n);
    await proxy.startBudgets(guard, (flushed) => guard.reload(budgetReload(ledger, ConfigSchema.parse({ budgets: [search(0.001)] })), flushed));
    // The two queued rows were written, then read: 3,024,000 ticks. The stream holds nothing.
    expect(await ledgerTicks(ledger)).toBe(3_024_000n);
    expect(spent()).toBe(3_024_000n);
    expect(guard.snapshot()[0]!.reservedTicks).toBe(0n);
    expect(await ask(client)).toBe(200);
    expect(spent()).toBe(4_536_000n);
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 80 });
    // The stream's row and the budget's own request's land together: the poll counts the
    // first (its id is from before the budgets), the ticket already counted the second.
    await proxy.flush();
    expect(await ledgerTicks(ledger)).toBe(6_048_000n);
    const end = Date.now() + 5_000;
    while (spent() === 4_536_000n && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spent()).toBe(6_048_000n);
  }, 30_000);
});
