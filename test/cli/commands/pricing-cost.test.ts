// `llmfin pricing cost` with no usage to price: a forgotten count is exit 2 naming the
// options, never "total $0" with exit 0 (PRODUCT.md: never a silent $0).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('pricing cost: a usage must be given', () => {
  it('no token count and no --requests is exit 2 naming the count options, with nothing on stdout', async () => {
    for (const format of ['table', 'json', 'csv']) {
      const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--format', format]);
      expect(r.code, format).toBe(2);
      expect(r.stdout, format).toBe('');
      expect(r.stderr, format).toContain(
        'llmfin: error: expected a usage to price: give its token counts (--input or --uncached-input, --output, --cache-read, --cache-write-5m, --cache-write-1h, --reasoning), --web-searches for server-side searches, or --requests for a per-request fee',
      );
      expect(r.stderr, format).toContain('hint: e.g. llmfin pricing cost --model gpt-4o --input 2006 --cache-read 1920 --output 300');
      expect(r.stderr, format).not.toMatch(/\n\s+at /);
    }
  });

  it('an explicit zero is a usage: --input 0 prices to $0 and exits 0', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '0', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ matched_model: 'gpt-4o', cost_usd: 0, cost_usd_exact: '0' });
  });

  it('each count option alone is enough (gpt-4o: $2.50 input, $1.25 cache read, $10 output per 1M)', async () => {
    const cases: Array<[string[], string]> = [
      [['--input', '1000000'], '2.5'],
      [['--uncached-input', '1000000'], '2.5'],
      [['--output', '1000000'], '10'],
      [['--cache-read', '1000000', '--input', '1000000'], '1.25'], // all of the input read from the cache
      [['--reasoning', '0'], '0'],
    ];
    for (const [args, usd] of cases) {
      const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', ...args, '--at', '2026-10-01', '--format', 'json']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(JSON.parse(r.stdout).cost_usd_exact, args.join(' ')).toBe(usd);
    }
  });

  it('--requests alone prices a per-request fee (3 requests × $0.001 = $0.003)', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'llmfin.yaml'),
      'pricing:\n  custom_models:\n    - { provider: acme-llm, id: acme-large, input: 1.20, output: 4.80, per_request: 0.001 }\n',
    );
    const r = await runCli(['pricing', 'cost', '--model', 'acme-large', '--requests', '3', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'acme-llm', cost_usd_exact: '0.003', cost_usd: 0.003 });
  });

  it('without --requests a usage still counts as one request (the per-request fee once)', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'llmfin.yaml'),
      'pricing:\n  custom_models:\n    - { provider: acme-llm, id: acme-large, input: 1.20, output: 4.80, per_request: 0.001 }\n',
    );
    // 1,000 input × $1.20/1M = $0.0012, plus one request × $0.001 = $0.0022
    const r = await runCli(['pricing', 'cost', '--model', 'acme-large', '--input', '1000', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).cost_usd_exact).toBe('0.0022');
  });

  it('--requests or --web-searches alone (or beside token counts of 0) on a model that charges neither is exit 2, not a total of $0', async () => {
    // mistral-large has no per-request fee and no web search price in the catalogue.
    const cases: Array<[string[], string]> = [
      [['--requests', '5'], 'nothing to price: mistral/mistral-large has no per-request fee (--requests 5), and no token counts were given'],
      [['--web-searches', '3'], 'nothing to price: mistral/mistral-large has no web search price (--web-searches 3), and no token counts were given'],
      [['--requests', '2', '--web-searches', '3'], 'nothing to price: mistral/mistral-large has no per-request fee (--requests 2) and no web search price (--web-searches 3), and no token counts were given'],
      // Counts of 0 are no tokens either: the searches were all there was to price.
      [['--input', '0', '--web-searches', '5'], 'nothing to price: mistral/mistral-large has no web search price (--web-searches 5), and the token counts given are all 0'],
      [['--input', '0', '--output', '0', '--requests', '5'], 'nothing to price: mistral/mistral-large has no per-request fee (--requests 5), and the token counts given are all 0'],
    ];
    for (const [args, message] of cases) {
      for (const format of ['table', 'json']) {
        const r = await runCli(['pricing', 'cost', '--model', 'mistral-large', ...args, '--format', format]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout, args.join(' ')).toBe('');
        expect(r.stderr, args.join(' ')).toContain(`llmfin: error: ${message}`);
        expect(r.stderr, args.join(' ')).toContain('hint: give its token counts (--input, --output, --cache-read, …), or see the prices it has with `llmfin pricing show mistral-large`');
      }
    }
  });

  it('a fee the model does charge is priced alone, and one it does not is only a note beside it or beside tokens', async () => {
    // claude-sonnet-4-5: $0.01 a web search, no per-request fee: 3 searches = $0.03.
    const searches = await runCli(['pricing', 'cost', '--model', 'claude-sonnet-4-5', '--web-searches', '3', '--requests', '2', '--at', '2026-10-01', '--format', 'json']);
    expect(searches.code, searches.stderr).toBe(0);
    expect(JSON.parse(searches.stdout)).toMatchObject({ cost_usd_exact: '0.03', components: { web_search: { count: 3, usd_each: 0.01, cost_usd: 0.03 } } });
    // gpt-4o: $0.01 a call of OpenAI's web search tool: 3 calls = $0.03.
    const openai = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--web-searches', '3', '--at', '2026-10-01', '--format', 'json']);
    expect(openai.code, openai.stderr).toBe(0);
    expect(JSON.parse(openai.stdout)).toMatchObject({ cost_usd_exact: '0.03', components: { web_search: { count: 3, usd_each: 0.01, cost_usd: 0.03 } } });
    // mistral-large with tokens: 1,000 input × $2/1M = $0.002; the 3 searches are named as not priced.
    const tokens = await runCli(['pricing', 'cost', '--model', 'mistral-large', '--input', '1000', '--web-searches', '3', '--at', '2026-10-01', '--format', 'json']);
    expect(tokens.code, tokens.stderr).toBe(0);
    expect(JSON.parse(tokens.stdout)).toMatchObject({ cost_usd_exact: '0.002', notes: ['no web_search price for this model; 3 web searches not priced'] });
    // Explicit zeros are a usage: $0, exit 0.
    const zero = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--requests', '0', '--web-searches', '0', '--format', 'json']);
    expect(zero.code, zero.stderr).toBe(0);
    expect(JSON.parse(zero.stdout).cost_usd_exact).toBe('0');
  });
});

describe('pricing cost --offering', () => {
  const cost = async (...args: string[]) => runCli(['pricing', 'cost', ...args, '--at', '2026-10-01', '--format', 'json']);

  it('is read in any case, as --region is', async () => {
    // 1M × 3 (Bedrock global) and 1M × 1.375 (Azure EU Data Zone)
    expect(JSON.parse((await cost('--provider', 'bedrock', '--model', 'anthropic.claude-sonnet-4-6', '--input', '1000000', '--offering', 'Global')).stdout)).toMatchObject({ offering: 'global', cost_usd_exact: '3' });
    expect(JSON.parse((await cost('--provider', 'azure', '--model', 'gpt-5.1', '--input', '1000000', '--offering', 'EU')).stdout)).toMatchObject({ offering: 'eu', cost_usd_exact: '1.375' });
  });

  it('that a known model is not sold as names the option and its offerings, not an unknown model', async () => {
    const r = await cost('--provider', 'azure', '--model', 'gpt-5.1', '--input', '1000000', '--offering', 'apac');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('llmfin: error: --offering: azure/gpt-5.1 has no "apac" offering (known: global, eu, us)');
    expect(r.stderr).not.toContain('custom_models');
  });
});

describe('pricing cost: --region on a model whose zone is an offering', () => {
  it('Azure gpt-5.4 --region eu prices the global offering and names --offering eu, not only "no uplift"', async () => {
    const r = await runCli(['pricing', 'cost', '--provider', 'azure', '--model', 'gpt-5.4', '--region', 'EU', '--input', '100000', '--at', '2026-10-01', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ offering: 'global', cost_usd_exact: '0.25' }); // 100k × $2.50/1M
    expect(out.notes).toEqual(['"eu" is an offering of azure/gpt-5.4 with its own prices: price it with --offering eu']);
    const zone = await runCli(['pricing', 'cost', '--provider', 'azure', '--model', 'gpt-5.4', '--offering', 'eu', '--input', '100000', '--at', '2026-10-01', '--format', 'json']);
    expect(JSON.parse(zone.stdout)).toMatchObject({ offering: 'eu', cost_usd_exact: '0.275' }); // 100k × $2.75/1M
  });

  it('a model with no such offering keeps the plain note', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--region', 'mars', '--input', '1000', '--at', '2026-10-01', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).notes).toEqual(['no price uplift for region "mars" on this model']);
  });
});
