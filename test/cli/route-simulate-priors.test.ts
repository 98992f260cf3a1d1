// route simulate replays a period with the cohort priors a proxy started at its --since would
// have had: learned from the days before it, never from the outcomes of the requests it replays.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import { openLedger } from '../../src/ledger/index.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { runCli, tempDir } from '../helpers/cli.js';

const POLICY = ['mode: enforce', 'tiers:', '  - { name: small, models: { openai: [gpt-4.1-nano] } }', '  - { name: large, models: { openai: [gpt-4.1] } }', 'rules:', '  - { match: { agent: support }, min_success: 0.7 }', ''].join('\n');

/** A support request routed to small and answered well (no repeat, no error): a success of small for the cohort. */
function servedWell(n: number, day: string): NewUsageEntry {
  const at = `${day}T10:${String(n).padStart(2, '0')}:00.000Z`;
  const routing = { v: 1, mode: 'enforce', from: 'gpt-4.1', tier: 'small', model: 'gpt-4.1-nano', served_tier: 'small', score: 0, prompt: `p${n}`, features: {} };
  return {
    source: 'proxy', dedupe_key: `r-${day}-${n}`, account: null, provider: 'openai', provenance: 'metered', model: 'gpt-4.1-nano', model_requested: 'gpt-4.1',
    ts: at, granularity: 'request', requests: 1, cost_status: 'priced', cost_usd: '0.00014', input_tokens: 1000, output_tokens: 100, agent: 'support', request_id: `q-${day}-${n}`,
    raw_usage: JSON.stringify({ convention: 'openai-chat', routing }), created_at: at,
  } as NewUsageEntry;
}

async function ledgerWith(days: string[]): Promise<string> {
  const db = join(tempDir(), 'l.db');
  const ledger = await openLedger(db);
  try {
    const rows = days.flatMap((d) => Array.from({ length: 40 }, (_, n) => servedWell(n, d)));
    await recordImport(ledger, { source: 'proxy', file_name: null, file_hash: null, file_size: null, account: null, period_start: null, period_end: null, llmfin_version: 'test', catalogue_version: null }, rows);
    await ledger.db.updateTable('usage_entries').set({ status_code: 200 }).execute();
  } finally {
    await ledger.close();
  }
  return db;
}

type Sim = { requests: number; by_tier: Array<{ tier: string; requests: number }> };
async function simulate(db: string, priors: boolean): Promise<Record<string, number>> {
  const dir = tempDir();
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  const r = await runCli(['route', 'simulate', '--db', db, '--policy', 'policy.yaml', '--since', '2026-11-10', '--until', '2026-11-13', '--format', 'json', ...(priors ? [] : ['--no-priors'])], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as Sim;
  return Object.fromEntries(j.by_tier.map((t) => [t.tier, t.requests]));
}

describe('route simulate and the cohort priors', () => {
  // Without 30 outcomes of its cohort a request has no evidence and keeps the tier asked
  // (large); with them, small's success for support decides, and it clears the 0.6 floor.
  it('does not learn from the requests it replays', async () => {
    // 80 good answers of small for support, all inside the replayed days: no evidence then.
    const db = await ledgerWith(['2026-11-11', '2026-11-12']);
    expect(await simulate(db, false)).toEqual({ large: 80 });
    expect(await simulate(db, true)).toEqual({ large: 80 });
  });

  it('learns from the days before its --since', async () => {
    // 80 good answers before the replayed day, and its 40 requests: the priors send support to small.
    const db = await ledgerWith(['2026-11-08', '2026-11-09', '2026-11-11']);
    expect(await simulate(db, false)).toEqual({ large: 40 });
    expect(await simulate(db, true)).toEqual({ small: 40 });
  });
});
