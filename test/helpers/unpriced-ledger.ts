// A ledger with rows the catalogue cannot price, for the forecast, anomaly and insight tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, tempDir } from './cli.js';

/**
 * 2026-10-01 to 2026-10-30: team a billed $10.00 and 100 requests a day (a bill keeps its
 * cost when re-priced); team b 50 metered requests a day on acme/mystery-model-x, which
 * has no price (30 unpriced rows).
 */
export async function unpricedLedger(): Promise<string> {
  const dir = tempDir();
  const lines: string[] = [];
  for (let d = 1; d <= 30; d++) {
    const day = `2026-10-${String(d).padStart(2, '0')}`;
    lines.push(JSON.stringify({ id: `a-${d}`, ts: `${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '10.00', requests: 100, team: 'a' }));
    lines.push(JSON.stringify({ id: `b-${d}`, ts: `${day}T00:00:00Z`, provider: 'acme', model: 'mystery-model-x', provenance: 'metered', requests: 50, input_tokens: 1_000_000, output_tokens: 100_000, team: 'b' }));
  }
  writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

