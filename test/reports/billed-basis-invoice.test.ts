// `report --basis billed` shows the billed export rows alone. An invoice is not a row: a
// month billed by an invoice and no cost export reads $0.00 there, while the default basis
// takes its money from the invoice. The report names such invoices instead of a quiet $0.
// Ledger: the four-layer month's invoice (usage lines $100.00) and proxy rows
// (test/fixtures/reports/layers-2026-10), without its Costs API export.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const fx = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));
const WARNING =
  'warning: basis billed counts billed export rows only, and an invoice of these dates with no billed export beside it is not in it: openai INV-LAYERS-2026-10 (usage $100.00); ' +
  "the default basis takes its month's money from it (`llmfin report --explain`), or import the provider's cost export";

describe('report --basis billed with an invoice and no cost export', () => {
  let db: string;
  let withCosts: string;
  beforeAll(async () => {
    db = join(tempDir(), 'x.db');
    withCosts = join(tempDir(), 'y.db');
    expect((await runCli(['import', '--db', db, fx('invoice.yaml'), fx('proxy.jsonl')])).code).toBe(0);
    expect((await runCli(['import', '--db', withCosts, fx('invoice.yaml'), fx('costs.json'), fx('proxy.jsonl')])).code).toBe(0);
  });

  it('names the invoice its $0.00 leaves out, in every format', async () => {
    for (const format of ['table', 'json']) {
      const r = await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-10', '--basis', 'billed', '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(WARNING);
    }
    const json = await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-10', '--basis', 'billed', '--format', 'json']);
    expect(JSON.parse(json.stdout).total.cost_usd).toBe(0);
    // The default basis: the invoice's $100.00.
    const all = await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-10', '--format', 'json']);
    expect(JSON.parse(all.stdout).total.cost_usd).toBe(100);
  });

  it('says nothing where a cost export bills the month, for another provider, or a --where an invoice has no value for', async () => {
    const quiet = async (db: string, extra: string[]) => (await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-10', '--basis', 'billed', ...extra])).stderr;
    expect(await quiet(withCosts, [])).not.toContain('invoice');
    expect(await quiet(db, ['--where', 'provider=anthropic'])).not.toContain('basis billed counts');
    expect(await quiet(db, ['--where', 'team=search'])).not.toContain('basis billed counts');
  });
});
