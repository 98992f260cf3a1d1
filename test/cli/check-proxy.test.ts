// `llmfin check` end to end with the real proxy (issue 9): a run recorded through the
// proxy with a run id and no budgets (record only), sent by the official openai client
// with x-llmfin-feature headers, becomes the baseline; a second run with longer prompts
// for one feature and a pricier model for another fails the check (exit 1), naming each
// feature and its likely cause, while the unchanged feature passes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import { startProxy } from '../../src/proxy/start-proxy.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { bundledPricer } from '../proxy/proxy-harness.js';

let fake: FakeProvider;
const dir = tempDir('llmfin-check-proxy-');
const db = join(dir, 'ledger.db');

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

interface Traffic {
  feature: string;
  model: string;
  prompt: string;
  n: number;
  /** The usage the fake provider reports, instead of the prompt's own size. */
  usage?: { input: number; output: number; cached: number; reasoning: number };
  /** Each call is refused once with a 503 first, and retried by the SDK. */
  retried?: boolean;
}

let call = 0;

/** One proxy run: start it with the run id, send the traffic, stop it (every row written). */
async function recordRun(runId: string, traffic: readonly Traffic[]): Promise<void> {
  const ledger = await openLedger(db);
  const proxy = await startProxy({
    ledger,
    pricer: await bundledPricer(),
    config: { upstreams: { openai: { base_url: fake.url, dialect: 'openai' } } },
    port: 0,
    runId,
    env: {},
    logWrite: () => undefined,
  });
  try {
    const client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-ci-0001', maxRetries: 1 });
    for (const t of traffic) {
      for (let i = 0; i < t.n; i++) {
        const headers: Record<string, string> = t.usage ? { 'x-fake-usage': JSON.stringify(t.usage) } : { 'x-fake-count-prompt': '1' };
        if (t.retried) Object.assign(headers, { 'x-fake-fail-key': `call-${++call}`, 'x-fake-fail-times': '1', 'x-fake-fail-retry-after': '0.01' });
        await client.chat.completions.create(
          { model: t.model, messages: [{ role: 'system', content: 'You are a shop assistant.' }, { role: 'user', content: t.prompt }] },
          { headers: { 'x-llmfin-feature': t.feature, ...headers } },
        );
      }
    }
  } finally {
    await proxy.close();
    await ledger.close();
  }
}

const cli = (argv: string[]) => runCli([...argv, '--db', db], { cwd: dir });
const question = 'Where is my order 1234?';

describe('llmfin check on runs recorded by the proxy', () => {
  it('baseline from run R1; run R2 with longer prompts and a pricier model fails, naming the features', async () => {
    await recordRun('R1', [
      { feature: 'checkout', model: 'gpt-4o-mini', prompt: question, n: 4 },
      { feature: 'search', model: 'gpt-4o-mini', prompt: 'shoes', n: 3 },
      { feature: 'faq', model: 'gpt-4o-mini', prompt: 'opening hours?', n: 2 },
    ]);
    const saved = await cli(['baseline', 'save', '--run', 'R1']);
    expect(saved.code, saved.stderr).toBe(0);
    const file = join(dir, 'llmfin.baseline.json');
    expect(existsSync(file)).toBe(true);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as { usage: { run_id: string; groups: Record<string, { requests: number; model_mix: Record<string, number>; input_tokens_per_request: number }> } };
    expect(baseline.usage.run_id).toBe('R1');
    expect(Object.keys(baseline.usage.groups)).toEqual(['checkout', 'faq', 'search']);
    expect(baseline.usage.groups.checkout).toMatchObject({ requests: 4, model_mix: { 'gpt-4o-mini': 1 } });
    // 'You are a shop assistant.' (25) + the question (23) = 48 characters → 12 tokens.
    expect(baseline.usage.groups.checkout!.input_tokens_per_request).toBe(12);

    // Same run again: passes.
    await recordRun('R1b', [
      { feature: 'checkout', model: 'gpt-4o-mini', prompt: question, n: 2 },
      { feature: 'search', model: 'gpt-4o-mini', prompt: 'shoes', n: 2 },
      { feature: 'faq', model: 'gpt-4o-mini', prompt: 'opening hours?', n: 1 },
    ]);
    const same = await cli(['check', '--baseline', 'llmfin.baseline.json', '--run', 'R1b']);
    expect(same.code, same.stdout + same.stderr).toBe(0);

    await recordRun('R2', [
      { feature: 'checkout', model: 'gpt-4o-mini', prompt: `${question} ${'Please include the full order history and every shipment event. '.repeat(8)}`, n: 4 },
      { feature: 'search', model: 'gpt-4o', prompt: 'shoes', n: 3 },
      { feature: 'faq', model: 'gpt-4o-mini', prompt: 'opening hours?', n: 2 },
    ]);
    const r = await cli(['check', '--baseline', 'llmfin.baseline.json', '--run', 'R2', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { passed: boolean; rows: Array<{ feature: string; status: string; likely_causes: string[]; after: { requests: number } | null }> };
    expect(json.passed).toBe(false);
    const by = Object.fromEntries(json.rows.map((x) => [x.feature, x]));
    expect(by.checkout).toMatchObject({ status: 'fail', after: { requests: 4 } });
    expect(by.checkout!.likely_causes.join('; ')).toContain('prompt tokens up');
    expect(by.search).toMatchObject({ status: 'fail' });
    expect(by.search!.likely_causes.join('; ')).toContain('model change: gpt-4o-mini → gpt-4o');
    expect(by.faq!.status).toBe('pass');

    // The table and the pull-request comment name them too.
    const table = await cli(['check', '--baseline', 'llmfin.baseline.json', '--run', 'R2']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/checkout/);
    expect(table.stdout).toMatch(/search/);
    const markdown = await cli(['check', '--baseline', 'llmfin.baseline.json', '--run', 'R2', '--format', 'markdown']);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('checkout');
  });

  it('does not count attempts the upstream refused as requests: a retried run cannot hide a costlier prompt', async () => {
    // gpt-4o-mini, $0.15 input and $0.60 output per 1M: 1000 in / 100 out is $0.00021 a request;
    // 1500 in / 150 out is $0.000315, +50%. Each call of the second run is refused once (503)
    // and retried by the SDK: counted as 8 requests at $0.0001575, it would read -25%.
    const usage = (input: number, output: number) => ({ input, output, cached: 0, reasoning: 0 });
    await recordRun('R3', [{ feature: 'retry', model: 'gpt-4o-mini', prompt: 'hi', n: 4, usage: usage(1000, 100) }]);
    expect((await cli(['baseline', 'save', '--run', 'R3', '--out', 'retry.json'])).code).toBe(0);
    await recordRun('R4', [{ feature: 'retry', model: 'gpt-4o-mini', prompt: 'hi', n: 4, usage: usage(1500, 150), retried: true }]);
    const r = await cli(['check', '--baseline', 'retry.json', '--run', 'R4', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { current: { failed_attempts: number }; rows: Array<{ status: string; after: { requests: number; cost_per_request_usd: number }; problems: Array<{ kind: string }> }> };
    expect(json.current.failed_attempts).toBe(4);
    expect(json.rows[0]).toMatchObject({ status: 'fail', after: { requests: 4, cost_per_request_usd: 0.000315 } });
    expect(json.rows[0]!.problems.map((p) => p.kind)).toEqual(['cost', 'tokens']);
    const table = await cli(['check', '--baseline', 'retry.json', '--run', 'R4']);
    expect(table.stdout).toContain('note: 4 attempts the upstream answered with an error before any token ran (retried, or refused) are not counted as requests');
  });
});
