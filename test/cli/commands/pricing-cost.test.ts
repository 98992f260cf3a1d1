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
});
