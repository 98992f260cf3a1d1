// Starts what a proxy test needs on loopback: the fake provider, a temporary ledger, the
// bundled price catalogue, and the proxy itself with both dialects pointed at the fake.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProxyConfig } from '../../src/config/config-schema.js';
import type { RoutingConfig } from '../../src/config/routing-config-schema.js';
import { openLedger, type LedgerStore, type UsageEntry } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import type { RequestGate } from '../../src/proxy/request-gate.js';
import { startProxy, type RunningProxy } from '../../src/proxy/start-proxy.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';

let pricer: Promise<Pricer> | undefined;
export function bundledPricer(): Promise<Pricer> {
  pricer ??= PriceCatalogue.load().then((c) => new Pricer(c));
  return pricer;
}

export interface Harness {
  fake: FakeProvider;
  proxy: RunningProxy;
  ledger: LedgerStore;
  ledgerPath: string;
  logs: string[];
  /** Every usage row, oldest first, after writing what is queued. */
  rows(): Promise<UsageEntry[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<ProxyConfig>;
  gate?: RequestGate;
  env?: Record<string, string | undefined>;
  runId?: string;
  /** The `routing:` section (off when absent). */
  routing?: RoutingConfig;
  /** Upstreams besides the two pointed at the fake (a function of the fake's URL to point more at it). */
  extraUpstreams?: ProxyConfig['upstreams'] | ((fakeUrl: string) => ProxyConfig['upstreams']);
  /** How long a background response's reservation is held (default an hour). */
  backgroundHoldMs?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeProvider();
  const dir = mkdtempSync(join(tmpdir(), 'llmfin-proxy-'));
  const ledgerPath = join(dir, 'ledger.db');
  const ledger = await openLedger(ledgerPath);
  const logs: string[] = [];
  const proxy = await startProxy({
    ledger,
    pricer: await bundledPricer(),
    config: {
      ...options.config,
      upstreams: {
        openai: { base_url: fake.url, dialect: 'openai' },
        anthropic: { base_url: fake.url, dialect: 'anthropic' },
        ...(typeof options.extraUpstreams === 'function' ? options.extraUpstreams(fake.url) : options.extraUpstreams),
        ...options.config?.upstreams,
      },
    },
    routing: options.routing,
    port: 0,
    gate: options.gate,
    env: options.env ?? {},
    runId: options.runId,
    logWrite: (text) => logs.push(text),
    flushIntervalMs: 50,
    backgroundHoldMs: options.backgroundHoldMs,
  });
  return {
    fake,
    proxy,
    ledger,
    ledgerPath,
    // Log lines are written up to 5 ms after the response that they describe: reading
    // them flushes what is pending, so a test never races the writer.
    get logs() {
      proxy.log.flush();
      return logs;
    },
    async rows() {
      await proxy.flush();
      return ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    },
    async close() {
      await proxy.close();
      await ledger.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
