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
}

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
    const client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'sk-ci-0001', maxRetries: 0 });
    for (const t of traffic) {
      for (let i = 0; i < t.n; i++) {
        await client.chat.completions.create(
          { model: t.model, messages: [{ role: 'system', content: 'You are a shop assistant.' }, { role: 'user', content: t.prompt }] },
          { headers: { 'x-llmfin-feature': t.feature, 'x-fake-count-prompt': '1' } },
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
});
