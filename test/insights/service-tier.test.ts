// Usage already on the batch tier is priced at the batch tier: no batch discount offered
// on it again, and a cheaper model is compared with what the ledger really pays.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  kind: string;
  impact_usd_per_month: number;
  evidence: string;
  scope: Record<string, string>;
}

/** nightly-digest on gpt-4o, 2026-10-01 to 10: 400 requests, 1,000,000 input and 100,000 output tokens a day; `tier(day)` its service tier. */
async function ledger(tier: (day: number) => string | null): Promise<string> {
  const dir = tempDir();
  const lines: string[] = [];
  for (let d = 1; d <= 10; d++) {
    const t = tier(d);
    lines.push(
      JSON.stringify({
        id: `n-${d}`, ts: `2026-10-${String(d).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provider: 'openai', model: 'gpt-4o',
        requests: 400, input_tokens: 1_000_000, output_tokens: 100_000, feature: 'nightly-digest', ...(t ? { service_tier: t } : {}),
      }),
    );
  }
  writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

async function insights(db: string): Promise<{ monthly_spend_usd: number; savings_usd_per_month: number; rows: Row[] }> {
  const r = await runCli(['insights', '--db', db, '--since', '2026-10-01', '--until', '2026-10-11', '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('insights on usage already sent through the batch API', () => {
  it('offers no batch discount and prices the model switch from the batch price paid', async () => {
    const j = await insights(await ledger(() => 'batch'));
    // gpt-4o $2.50 in / $10 out per 1M, batch ×0.5: a day is ($2.50 + $1.00) × 0.5 = $1.75;
    // 10 days $17.50, $52.50 a month.
    expect(j.monthly_spend_usd).toBe(52.5);
    expect(j.rows.find((r) => r.kind === 'batch')).toBeUndefined();
    // gemini-2.5-flash ($0.30 in / $2.50 out) on the same 10,000,000 in + 1,000,000 out:
    // $3.00 + $2.50 = $5.50. Saved: ($17.50 − $5.50) × 30/10 = $36.00 a month, not the
    // ($35.00 − $5.50) × 3 = $88.50 of pricing it as standard.
    const arb = j.rows.find((r) => r.kind === 'model_arbitrage')!;
    expect(arb.impact_usd_per_month).toBe(36);
    expect(arb.evidence).toContain('cost $17.50 on gpt-4o and would cost $5.50 on gemini-2.5-flash');
    // Caching half of each 2,500-token prompt, at batch prices: 4,000 requests in 10 days, one
    // write per 5-minute window (2,880) of 1,250 tokens = 3,600,000 written at the input rate
    // (gpt-4o has no write rate), 5,000,000 − 3,600,000 = 1,400,000 read:
    // 5M × $1.25 + 1.4M × $0.625 + 3.6M × $1.25 + 1M × $5 = $16.625 against $17.50:
    // $0.875 × 3 = $2.625 → $2.63 a month.
    expect(j.rows.find((r) => r.kind === 'caching')!.impact_usd_per_month).toBe(2.63);
    // Savings never exceed the spend: the model switch, counted once.
    expect(j.savings_usd_per_month).toBe(36);
  });

  it('offers the batch discount on the standard half only', async () => {
    const j = await insights(await ledger((d) => (d <= 5 ? 'batch' : null)));
    // Days 6–10 on standard: 5,000,000 in + 500,000 out = $12.50 + $5.00 = $17.50; at batch
    // $8.75: $8.75 over 10 days, $26.25 a month (not half of all 10 days, $52.50).
    const batch = j.rows.find((r) => r.kind === 'batch')!;
    expect(batch.impact_usd_per_month).toBe(26.25);
    expect(batch.evidence).toBe('batch price $8.75 vs $17.50 for the last 10 days');
    // Spend: 5 × $1.75 + 5 × $3.50 = $26.25 over 10 days, $78.75 a month.
    expect(j.monthly_spend_usd).toBe(78.75);
  });
});
