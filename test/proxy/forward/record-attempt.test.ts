// A model the catalogue has no price for is recorded unpriced (never $0), and since such a
// row adds nothing to a budget's spend, the proxy warns once per upstream and model, saying
// how to price it — rather than only marking each request's log line.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness;
let openai: OpenAI;
beforeAll(async () => {
  h = await startHarness();
  openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
});
afterAll(() => h.close());

const usage = { 'x-fake-usage': JSON.stringify({ input: 1000, output: 200, cached: 0 }) };
const ask = (model: string) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say hello' }] }, { headers: usage });
const warnings = () => h.logs.filter((l) => l.includes('has no price in the catalogue'));

describe('an unpriced model', () => {
  it('is recorded unpriced and warned about once per model, with how to price it', async () => {
    await ask('acme-9000');
    await ask('acme-9000');
    await ask('acme-9001');
    const rows = (await h.rows()).slice(-3);
    for (const row of rows) expect(row).toMatchObject({ input_tokens: 1000, output_tokens: 200, cost_usd: null, cost_ticks: null, cost_status: 'unpriced' });
    expect(warnings()).toHaveLength(2);
    expect(warnings()[0]).toMatch(
      /warn: acme-9000 \(upstream openai\) has no price in the catalogue: its requests are recorded unpriced, not as \$0, and count nothing against budgets; price it under pricing\.custom_models \(or pricing\.self_hosted\) in llmfin\.yaml/,
    );
    expect(warnings()[1]).toContain('acme-9001 (upstream openai)');
  });

  it('a priced model is not warned about', async () => {
    const before = warnings().length;
    await ask('gpt-4o-mini');
    // gpt-4o-mini: input 0.15, output 0.6 USD/1M: 1000 x 0.15e-6 + 200 x 0.6e-6 = 0.00015 + 0.00012 = 0.00027.
    expect((await h.rows()).at(-1)).toMatchObject({ cost_usd: '0.00027', cost_status: 'priced' });
    expect(warnings()).toHaveLength(before);
  });
});
