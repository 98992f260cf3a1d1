// A self-hosted model's rate is its GPU's price over its throughput, kept exact to 20
// significant digits: the tables show it rounded and marked ≈, JSON keeps it whole.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

function config(): string {
  const file = join(tempDir(), 'llmfin.yaml');
  // qwen: $4/h ÷ 3600 = $1/900 a second; ÷ 6000 tok/s × 1M = 0.185185… input, ÷ 900 × 1M = 1.234567… output.
  writeFileSync(file, 'pricing:\n  self_hosted:\n    - id: qwen-72b-onprem\n      gpu_usd_per_hour: 4\n      input_tokens_per_second: 6000\n      output_tokens_per_second: 900\n');
  return file;
}

describe('pricing of a self-hosted model', () => {
  it('pricing list and pricing show print its rates to 6 significant digits, marked ≈', async () => {
    const file = config();
    const list = await runCli(['--config', file, 'pricing', 'list', '--provider', 'self-hosted']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/qwen-72b-onprem +≈0\.185185 +≈1\.23457 /);
    expect(list.stdout).not.toContain('0.18518518518518518519');
    const show = await runCli(['--config', file, 'pricing', 'show', 'qwen-72b-onprem']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('USD/1M: input ≈0.185185 · output ≈1.23457');
  });

  it('JSON keeps the rate whole, and a cost is computed from the exact rate', async () => {
    const file = config();
    const json = JSON.parse((await runCli(['--config', file, 'pricing', 'list', '--provider', 'self-hosted', '--format', 'json'])).stdout) as { rows: Array<{ input_usd_per_1m: number }> };
    expect(json.rows[0]!.input_usd_per_1m).toBe(Number('0.18518518518518518519'));
    // 54,000 input tokens at $4/h over 6000 tok/s take 9 s: $0.01 exactly; 900 output tokens take 1 s: $1/900.
    const cost = await runCli(['--config', file, 'pricing', 'cost', '--model', 'qwen-72b-onprem', '--input', '54000', '--output', '900', '--format', 'json']);
    // The rate's 20 digits carry into the product; the ledger keeps it to 1e-10 USD.
    expect(JSON.parse(cost.stdout)).toMatchObject({ cost_usd: 0.011111111111111112 });
    const table = await runCli(['--config', file, 'pricing', 'cost', '--model', 'qwen-72b-onprem', '--input', '54000', '--output', '900']);
    expect(table.stdout).toMatch(/input +54,000 +× +≈\$0\.185185\/1M +≈\$0\.01\n/);
    expect(table.stdout).toMatch(/output +900 +× +≈\$1\.23457\/1M +≈\$0\.0011111111\n/);
    expect(table.stdout).toContain('total  ≈$0.0111111111');
  });

  it('a catalogue model keeps its exact rates and costs, unmarked', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1000', '--output', '77']);
    // 1000 × $2.50/1M = $0.0025; 77 × $10/1M = $0.00077.
    expect(r.stdout).toMatch(/input +1,000 +× +\$2\.5\/1M +\$0\.0025\n/);
    expect(r.stdout).toContain('total  $0.00327');
    expect(r.stdout).not.toContain('≈');
  });
});
