// Cache writes of an hour cost more than those of five minutes (claude-sonnet-4-5: $6.00 vs
// $3.75 per 1M): the insights price what the ledger recorded at the rate it was billed at.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  kind: string;
  impact_usd_per_month: number;
  evidence: string;
}

describe('insights on usage with 1-hour cache writes', () => {
  it('prices them at the 1-hour rate, as the ledger did', async () => {
    const dir = tempDir();
    // doc-qa on claude-sonnet-4-5, 2026-10-01 to 10: a day is 100 requests of 8,000 uncached
    // input, 2,000 written to the 1-hour cache and 500 output tokens.
    const lines = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({
        id: `d-${i + 1}`, ts: `2026-10-${String(i + 1).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provider: 'anthropic', model: 'claude-sonnet-4-5',
        requests: 100, input_tokens: 1_000_000, cache_write_1h_tokens: 200_000, output_tokens: 50_000, feature: 'doc-qa',
      }),
    );
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'ledger.db');
    const imported = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
    expect(imported.code, imported.stderr).toBe(0);

    const r = await runCli(['insights', '--db', db, '--since', '2026-10-01', '--until', '2026-10-11', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { monthly_spend_usd: number; rows: Row[] };
    // A day: 0.8M × $3 + 0.2M × $6 (1-hour writes) + 0.05M × $15 = $2.40 + $1.20 + $0.75 = $4.35;
    // 10 days $43.50, × 30/10 = $130.50 a month.
    expect(j.monthly_spend_usd).toBe(130.5);
    // gemini-2.5-flash has no write rate: writes at its input rate. A day: 1M × $0.30 +
    // 0.05M × $2.50 = $0.425; 10 days $4.25. Saved: ($43.50 − $4.25) × 3 = $117.75, not the
    // ($39.00 − $4.25) × 3 = $104.25 of pricing the writes at the 5-minute $3.75.
    const arb = j.rows.find((x) => x.kind === 'model_arbitrage')!;
    expect(arb.evidence).toContain('cost $43.50 on claude-sonnet-4-5 and would cost $4.25 on gemini-2.5-flash');
    expect(arb.impact_usd_per_month).toBe(117.75);
    // Caching is weighed against the same $43.50.
    expect(j.rows.find((x) => x.kind === 'caching')!.evidence).toContain('instead of $43.50');
  });
});
