// A budget's days left are billed at today's prices: its trajectory fits the history re-priced
// at them (as `forecast` does), so a discount that began mid-history is not read as a falling
// trend, and a price rise is not missed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const DAY_MS = 86_400_000;

describe('budget trajectory across a price change', () => {
  const dir = tempDir();
  const db = join(dir, 'ledger.db');
  const config = join(dir, 'llmfin.yaml');
  beforeAll(async () => {
    // gpt-4.1-mini ($0.40 / $1.60 per 1M): 1,000 requests a day of 1,000 in + 100 out =
    // $0.40 + $0.16 = $0.56 a day, 2026-09-01 to 2026-11-30; a 50% discount from 2026-11-16
    // bills the last 15 days $0.28.
    const lines: string[] = [];
    for (let t = Date.parse('2026-09-01T00:00:00Z'); t <= Date.parse('2026-11-30T00:00:00Z'); t += DAY_MS) {
      const ts = new Date(t).toISOString();
      lines.push(JSON.stringify({ id: `m-${ts}`, ts, ts_end: new Date(t + DAY_MS).toISOString(), granularity: 'day', provenance: 'metered', provider: 'openai', model: 'gpt-4.1-mini', requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000, feature: 'f' }));
    }
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    writeFileSync(config, ['pricing:', '  discounts:', '    - provider: openai', '      percent: 50', '      from: 2026-11-16', 'budgets:', '  - name: f-month', '    scope: { feature: f }', '    limit_usd: 9', ''].join('\n'));
    const r = await runCli(['import', '--db', db, '--config', config, join(dir, 'usage.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('December at the discounted $0.28 a day: 31 × $0.28 = $8.68, under the $9 limit', async () => {
    const r = await runCli(['budget', 'status', '--db', db, '--config', config, '--at', '2026-12-01T12:00:00Z', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const row = JSON.parse(r.stdout).rows[0];
    expect(row.spent_usd).toBe(0);
    expect(row.projection_method).toBe('forecast');
    // Before, the 76 days billed at $0.56 pulled the fit up: P50 $9.69, past the limit.
    expect(row.projected_p50_usd).toBeCloseTo(8.68, 6);
    expect(row.breach_date_p50).toBeNull();
  });
});
