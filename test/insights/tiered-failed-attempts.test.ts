// A failed attempt (HTTP status >= 400, no tokens: the model never ran) is no request on the
// batch tier either (ledger/queries/failed-attempt.ts): counted, it would move requests from
// the standard part of a cell to the batch part, and the standard part's average prompt, on
// which long-context pricing turns, would double.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { loadUsageCells } from '../../src/insights/build-insights.js';
import { tieredUsage } from '../../src/insights/tiered-usage.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { runCli, tempDir } from '../helpers/cli.js';

const period = { since: '2026-10-01T00:00:00.000Z', until: '2026-10-11T00:00:00.000Z' };
let db: string;

/**
 * nightly-digest on claude-sonnet-4-5, 2026-10-01 to 10: a day is 10 requests of 150,000
 * input tokens (under the 200,000 long-context threshold) and 20,000 output tokens; days
 * 1–5 on the batch tier, with 5 attempts a day refused by a 429 (25 in all), days 6–10 standard.
 */
beforeAll(async () => {
  const dir = tempDir();
  const lines: string[] = [];
  for (let d = 1; d <= 10; d++) {
    const day = `2026-10-${String(d).padStart(2, '0')}`;
    const tier = d <= 5 ? { service_tier: 'batch' } : {};
    lines.push(
      JSON.stringify({
        id: `n-${d}`, ts: `${day}T00:00:00Z`, granularity: 'day', provider: 'anthropic', model: 'claude-sonnet-4-5',
        requests: 10, input_tokens: 1_500_000, output_tokens: 20_000, feature: 'nightly-digest', ...tier,
      }),
    );
    if (d > 5) continue;
    for (let a = 0; a < 5; a++) {
      lines.push(
        JSON.stringify({
          id: `f-${d}-${a}`, ts: `${day}T0${a}:00:00Z`, granularity: 'request', provider: 'anthropic', model: 'claude-sonnet-4-5',
          requests: 1, input_tokens: 0, output_tokens: 0, status_code: 429, feature: 'nightly-digest', ...tier,
        }),
      );
    }
  }
  writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
  db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
});

describe('batch-tier usage with failed attempts', () => {
  it('counts the answered requests alone on the batch tier', async () => {
    const ledger = await openLedger(db);
    try {
      const attributor = new Attributor([]);
      const parts = [...(await tieredUsage(ledger, attributor, period)).values()].flat();
      expect(parts.map((p) => [p.tier, p.mix.requests, p.mix.input_tokens])).toEqual([['batch', 50, 7_500_000]]);
      // The cell's 100 requests split 50 batch, 50 standard (not 75 and 25).
      const [cell] = await loadUsageCells(ledger, attributor, period);
      expect(cell!.mix.requests).toBe(100);
      expect(cell!.tiered!.map((p) => p.mix.requests)).toEqual([50]);
    } finally {
      await ledger.close();
    }
  });

  it('prices the standard part at its real average prompt in the batch insight', async () => {
    const r = await runCli(['insights', '--db', db, '--since', '2026-10-01', '--until', '2026-10-11', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const batch = (JSON.parse(r.stdout) as { rows: { kind: string; impact_usd_per_month: number; evidence: string }[] }).rows.find((x) => x.kind === 'batch')!;
    // Days 6–10: 50 requests of 150,000 input, base rates: 7.5M × $3 + 0.1M × $15 = $24.00,
    // at batch ×0.5 $12.00; saved $12.00 × 30/10 = $36.00 a month. Not the long-context
    // 7.5M × $6 + 0.1M × $22.50 = $47.25 of 25 requests averaging 300,000 input.
    expect(batch.evidence).toBe('batch price $12.00 vs $24.00 for the last 10 days');
    expect(batch.impact_usd_per_month).toBe(36);
  });
});
