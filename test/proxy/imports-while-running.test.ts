// An `llmfin import` (or `--undo`) while a proxy runs: its budgets read their spend from the
// ledger again within about a second (imports-watch.ts), so a bill imported at noon blocks
// the afternoon's requests without a restart, and an undone one frees them. Real SQLite
// file, real HTTP on loopback, the official OpenAI client, the real `llmfin import`.
//
// gpt-4o-mini through the fake provider: $0.0001512 = 1,512,000 ticks a request
// (176 x 0.15 + 1,024 x 0.075 + 80 x 0.60 per 1M tokens).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { importsFingerprint } from '../../src/ledger/queries/import-batches.js';
import { lastEntryId } from '../../src/ledger/queries/proxy-rows-after.js';
import { startProxy, type RunningProxy } from '../../src/proxy/start-proxy.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { bundledPricer } from './proxy-harness.js';

const PER_REQUEST = 1_512_000n;
/** The imported bill: $0.001 of Anthropic spend today = 10,000,000 ticks. */
const BILL = 10_000_000n;
// $0.0005 a day for the organisation: room for a few requests, not for the bill.
const config = ConfigSchema.parse({ budgets: [{ name: 'org-daily', period: 'daily', limit_usd: 0.0005, action: 'block' }] });

let fake: FakeProvider;
let ledger: LedgerStore;
let guard: BudgetGuard;
let proxy: RunningProxy;
let client: OpenAI;
let dir: string;
const logs: string[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = tempDir();
  ledger = await openLedger(join(dir, 'ledger.db'));
  const budgetsReadAfterId = await lastEntryId(ledger);
  const budgetsReadImports = await importsFingerprint(ledger);
  guard = await loadBudgetGuard(ledger, config);
  proxy = await startProxy({
    ledger, pricer: await bundledPricer(), config: { upstreams: { openai: { base_url: fake.url, dialect: 'openai' } } },
    port: 0, gate: guard, budgetsReadAfterId, budgetsReadImports, env: {}, logWrite: (t) => void logs.push(t), flushIntervalMs: 50,
  });
  client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
  await ledger.close();
  await fake.close();
});

const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).then(() => 200, (e: unknown) => (e instanceof OpenAI.APIError ? e.status : 0));
const spent = () => guard.snapshot()[0]!.spentTicks;
async function until(done: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out, spent ${spent()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('imports while the proxy runs', () => {
  it('counts an imported bill in the budgets within about a second, and an undo takes it out again', async () => {
    expect(await ask()).toBe(200);
    expect(spent()).toBe(PER_REQUEST);
    const bill = join(dir, 'bill.jsonl');
    writeFileSync(bill, JSON.stringify({ id: 'b1', ts: new Date().toISOString(), provider: 'anthropic', model: 'claude-haiku-4-5', provenance: 'billed', cost_usd: '0.001', requests: 10 }) + '\n');
    const imported = await runCli(['import', '--db', ledger.path, bill, '--format', 'json']);
    expect(imported.code, imported.stderr).toBe(0);
    // The proxy's own request (written by its flush before the read) and the bill: each once.
    await until(() => spent() === PER_REQUEST + BILL);
    // Logged once the re-read is over, which may be a tick after its spend is in place.
    await until(() => logs.join('').includes('an import changed the ledger: budgets re-read their spend from it'));
    expect(await ask()).toBe(429);
    // Nothing counted twice on the polls that follow.
    await new Promise((r) => setTimeout(r, 1200));
    expect(spent()).toBe(PER_REQUEST + BILL);

    const [batch] = await ledger.db.selectFrom('import_batches').select('id').execute();
    const undone = await runCli(['import', '--db', ledger.path, '--undo', String(batch!.id)]);
    expect(undone.code, undone.stderr).toBe(0);
    await until(() => spent() === PER_REQUEST);
    expect(await ask()).toBe(200);
    await proxy.flush();
    await new Promise((r) => setTimeout(r, 1200));
    expect(spent()).toBe(2n * PER_REQUEST);
  });
});
