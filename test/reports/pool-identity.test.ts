// What all of a provider-month's money records — the one account a bill comes from — is
// every part of it: proxy rows, which know no billing account, and the bill's
// unattributed remainder take it, so `report --by account` puts the traffic under the
// account that paid for it, and a rule on the account attributes it. A bill from two
// accounts shares none, and each row is decided by what it records, as before.
// Prices: gpt-4o $2.50 input per 1M.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

interface Rows {
  rows: Array<Record<string, string | number | null>>;
  total: { cost_usd: number };
}

async function report(db: string, args: string[], cwd?: string): Promise<Rows> {
  const r = await runCli(['report', '--db', db, ...args, '--format', 'json'], cwd ? { cwd } : {});
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Rows;
}
const pairs = (r: Rows, dim: string) => r.rows.map((x) => [x[dim], x.cost_usd]);

// Proxy rows on Oct 1: search 400k input tokens = $1.00, chat 200k = $0.50; no account.
const METERED = [
  { id: 'm1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 4, input_tokens: 400_000, output_tokens: 0, feature: 'search' },
  { id: 'm2', ts: '2026-10-01T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 2, input_tokens: 200_000, output_tokens: 0, feature: 'chat' },
];
const billed = (id: string, account: string, usd: string) => ({ id, ts: '2026-10-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: usd, account });

describe('report: the identifiers all of a pool\'s money shares', () => {
  it('puts the proxy rows and the remainder of a one-account bill under that account', async () => {
    // The bill: $2.25 from org-acme; the proxy explains $1.50 of it, $0.75 is the remainder.
    const db = await ledgerOf([...METERED, billed('b1', 'org-acme', '1.20'), billed('b2', 'org-acme', '1.05')]);
    for (const extra of [[], ['--no-rollup']]) {
      expect(pairs(await report(db, ['--by', 'account', ...extra]), 'account')).toEqual([['org-acme', 2.25]]);
    }
    // Features still come from the proxy rows; the remainder is nobody's feature.
    expect(pairs(await report(db, ['--by', 'account,feature']), 'feature')).toEqual([
      ['search', 1],
      ['(unattributed)', 0.75],
      ['chat', 0.5],
    ]);
    // --explain says where the account came from.
    const explained = await runCli(['report', '--db', db, '--by', 'account', '--explain']);
    expect(explained.stdout).toContain('2026-10 openai: $2.25 from billed, attributed by metered (priced $1.50), $0.75 (unattributed); all of it account org-acme');
    const json = JSON.parse((await runCli(['report', '--db', db, '--by', 'account', '--explain', '--format', 'json'])).stdout);
    expect(json.explain.pools).toMatchObject([{ provider: 'openai', month: '2026-10', attributed_by: 'metered', shared: { account: 'org-acme' } }]);
    // A window inside the day decides the month the same way.
    const window = await report(db, ['--by', 'account', '--since', '2026-10-01T09:00:00Z', '--until', '2026-10-01T12:00:00Z']);
    expect(pairs(window, 'account')).toEqual([['org-acme', 1.5]]);
  });

  it('lets a rule on the account attribute the proxy rows, but not the remainder', async () => {
    const db = await ledgerOf([...METERED, billed('b1', 'org-acme', '2.00')]);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'attribution:\n  rules:\n    - match: { account: org-acme }\n      set: { team: platform }\n');
    expect(pairs(await report(db, ['--by', 'team'], cwd), 'team')).toEqual([
      ['platform', 1.5],
      ['(unattributed)', 0.5],
    ]);
  });

  it('shares nothing when the bill comes from two accounts', async () => {
    const db = await ledgerOf([...METERED, billed('b1', 'org-acme', '1.20'), billed('b2', 'org-globex', '0.80')]);
    expect(pairs(await report(db, ['--by', 'account']), 'account')).toEqual([['(unattributed)', 2]]);
  });
});
