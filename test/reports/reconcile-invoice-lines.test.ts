// Reconcile and the lines of an invoice that are not LLM usage: lines of kind `other`
// (EC2 on an AWS bill) are named `non_llm`, not fees, and an invoice with no usage line
// at all says so instead of leaving an empty comparison.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

interface Explanation {
  kind: string;
  explains: string;
  usd: number;
  detail: string;
}

/** Imports an invoice written as YAML into `db`. */
async function importInvoice(db: string, yaml: string): Promise<void> {
  const file = join(tempDir(), 'invoice.yaml');
  writeFileSync(file, yaml);
  const r = await runCli(['import', '--db', db, file]);
  expect(r.code, r.stderr).toBe(0);
}

// One metered row of October priced by the row's own cost (llmfin's JSONL: a billed row
// keeps its cost_usd, so the test uses billed rows where money must be exact).
const billedRow = (id: string, provider: string, model: string, cost: string) => ({ id, ts: '2026-10-05T00:00:00Z', provider, model, provenance: 'billed', cost_usd: cost, requests: 0 });

describe('reconcile: invoice lines that are not LLM usage', () => {
  it('shows an invoice line of kind other as non_llm, apart from the fees', async () => {
    const db = await ledgerOf([billedRow('b1', 'bedrock', 'anthropic.claude-sonnet-4-5', '100.00')]);
    // $100.00 Bedrock + $40.00 EC2 (no kind, names no LLM service: other) + $5.00 a fee + $8.00 tax = $153.00.
    await importInvoice(
      db,
      'provider: bedrock\nnumber: AWS-2026-10\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n' +
        '  - { description: Amazon Bedrock, amount: "100.00" }\n' +
        '  - { description: Amazon Elastic Compute Cloud, amount: "40.00" }\n' +
        '  - { description: Service fee, kind: fee, amount: "5.00" }\n' +
        '  - { description: Sales tax, kind: tax, amount: "8.00" }\n' +
        'total: "153.00"\n',
    );
    const r = await runCli(['reconcile', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect(row).toMatchObject({ provider: 'bedrock', invoice_total_usd: 153, invoice_usage_usd: 100, billed_total_usd: 100 });
    expect((row.explanations as Explanation[]).filter((e) => e.explains === 'invoice_vs_billed').map((e) => [e.kind, e.usd, e.detail])).toEqual([
      ['invoice_vs_billed', 53, 'invoice total minus billed exports'],
      ['tax', 8, 'tax on the invoice'],
      ['fees', 5, 'fees on the invoice'],
      ['non_llm', 40, 'invoice lines that are not LLM usage (other services on the bill)'],
    ]);
    const text = await runCli(['reconcile', '--db', db]);
    expect(text.stdout).toMatch(/ {4}fees +\$5\.00 {2}fees on the invoice\n/);
    expect(text.stdout).toMatch(/ {4}non-LLM +\$40\.00 {2}invoice lines that are not LLM usage \(other services on the bill\)\n/);
  });

  it('says plainly when an invoice has no LLM usage lines, in the table, in JSON and under --fail-over', async () => {
    // Metered usage of October ($2.50 for 1M gpt-4o input tokens), and an invoice of tax,
    // a fee and another service only: $8.00 + $2.00 + $5.00 = $15.00, no usage line.
    const db = await ledgerOf([{ id: 'm1', ts: '2026-10-05T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'metered', input_tokens: 1_000_000, output_tokens: 0, requests: 1 }]);
    await importInvoice(
      db,
      'provider: openai\nnumber: INV-FEES-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n' +
        '  - { description: Sales tax, kind: tax, amount: "8.00" }\n' +
        '  - { description: Late fee, kind: fee, amount: "2.00" }\n' +
        '  - { description: Storage, kind: other, amount: "5.00" }\n' +
        'total: "15.00"\n',
    );
    const note =
      "the invoice has no LLM usage lines (only tax, fees and lines that are not LLM usage): nothing billed to compare llmfin's estimate with; import the provider's cost export, or the invoice with its usage lines";
    const r = await runCli(['reconcile', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect(row).toMatchObject({ invoice_total_usd: 15, invoice_usage_usd: null, reference: null, estimate_layer: 'metered', estimate_usd: 2.5, variance_usd: null, unexplained_percent: null, notes: [note] });

    const text = await runCli(['reconcile', '--db', db]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('  invoice total                     $15.00 (no LLM usage lines)\n');
    expect(text.stdout).toContain('  unexplained                       – (no LLM usage billed to compare with: see the note)\n');
    expect(text.stdout).toContain(`  note                              ${note}\n`);
    expect(text.stdout).not.toContain('no billed data');

    const gate = await runCli(['reconcile', '--db', db, '--fail-over', '2', '--format', 'json']);
    expect(gate.code).toBe(0);
    expect(gate.stderr).toBe(
      "warning: --fail-over: the invoice of openai 2026-10 has no LLM usage lines and no billed export is imported, so there is nothing to judge; import the provider's cost export, or the invoice with its usage lines\n",
    );
  });

  it('notes an invoice without usage lines beside billed exports, which the estimate is compared with', async () => {
    const db = await ledgerOf([billedRow('b1', 'openai', 'gpt-4o', '100.00')]);
    await importInvoice(db, 'provider: openai\nnumber: INV-TAX-2\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: Sales tax, kind: tax, amount: "8.00" }\ntotal: "8.00"\n');
    const [row] = JSON.parse((await runCli(['reconcile', '--db', db, '--format', 'json'])).stdout).rows;
    expect(row).toMatchObject({ invoice_total_usd: 8, invoice_usage_usd: null, reference: 'billed', billed_usage_usd: 100 });
    expect(row.notes).toEqual(['the invoice has no LLM usage lines (only tax): the estimate is compared with the billed exports only']);
  });

  it('has no note for an invoice with usage lines', async () => {
    const db = await ledgerOf([billedRow('b1', 'openai', 'gpt-4o', '100.00')]);
    await importInvoice(db, 'provider: openai\nnumber: INV-OK-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: API usage, amount: "100.00" }\ntotal: "100.00"\n');
    const [row] = JSON.parse((await runCli(['reconcile', '--db', db, '--format', 'json'])).stdout).rows;
    expect(row.notes).toEqual([]);
  });
});
