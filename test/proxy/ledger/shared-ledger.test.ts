// Two proxies writing one ledger file at once (each flush one short write transaction,
// WAL and the busy timeout doing the rest): every request of both is a row, none twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../../src/ledger/index.js';
import { startProxy } from '../../../src/proxy/start-proxy.js';
import { startFakeProvider } from '../../helpers/fake-provider.js';
import { bundledPricer } from '../proxy-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'llmfin-shared-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a ledger shared by two proxies', () => {
  it('holds every row of both, once', async () => {
    const fake = await startFakeProvider();
    const path = join(dir, 'shared.db');
    const [a, b] = [await openLedger(path), await openLedger(path)];
    const pricer = await bundledPricer();
    const config = { upstreams: { openai: { base_url: fake.url, dialect: 'openai' as const } } };
    const proxies = await Promise.all([a, b].map((ledger) => startProxy({ ledger, pricer, config, port: 0, env: {}, logWrite: () => undefined, flushIntervalMs: 10 })));
    const clients = proxies.map((p) => new OpenAI({ baseURL: `${p.url}/v1`, apiKey: 'sk-x', maxRetries: 0 }));
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => clients[i % 2]!.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }], stream: i % 3 === 0 })).map(async (p) => {
        const r = await p;
        if (Symbol.asyncIterator in r) for await (const _ of r) void _;
      }),
    );
    await Promise.all(proxies.map((p) => p.close()));
    const rows = await a.db.selectFrom('usage_entries').select(['dedupe_key', 'cost_usd']).execute();
    await Promise.all([a.close(), b.close(), fake.close()]);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(60);
    expect(rows.every((r) => r.cost_usd === '0.0001512')).toBe(true);
  });
});
