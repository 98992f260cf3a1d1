// Reconciliation on the four-layer month (test/fixtures/reports/layers-2026-10/SOURCE.md)
// and on a month with the awkward cases: a billed line with no model, a model billed but
// absent from the usage export, and a model llmfin cannot price.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

const fx = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));

interface Explanation {
  kind: string;
  explains: string;
  usd: number;
}

describe('llmfin reconcile', () => {
  let db: string;
  beforeAll(async () => {
    db = join(tempDir(), 'r.db');
    const r = await runCli(['import', '--db', db, fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('compares invoice, billed exports, priced usage and metered rows, and explains the variance', async () => {
    const r = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect(row).toMatchObject({
      provider: 'openai',
      month: '2026-10',
      invoice_total_usd: 108,
      invoice_usage_usd: 100,
      billed_total_usd: 100,
      billed_usage_usd: 100,
      reference: 'billed',
      estimate_layer: 'provider_usage',
      estimate_usd: 89.2,
      metered_usd: 54,
      variance_usd: 10.8,
      // gpt-4o billed 80.00 vs priced 70.00; gpt-4o-mini 20.00 vs 19.20.
      unexplained_usd: 10.8,
      unexplained_percent: 10.8,
    });
    // The exports' two days bill the invoice's whole usage: no word of missing days.
    expect(row.explanations[0].detail).toBe('invoice total minus billed exports');
    expect(row.explanations.map((e: Explanation) => [e.explains, e.kind, e.usd])).toEqual([
      ['invoice_vs_billed', 'invoice_vs_billed', 8],
      ['invoice_vs_billed', 'tax', 8],
      ['variance', 'price_difference', 10],
      ['variance', 'price_difference', 0.8],
      ['unmetered', 'unmetered_traffic', 35.2],
    ]);
  });

  it('--format markdown nests each explanation under the amount it explains', async () => {
    const r = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual([
      '#### openai · 2026-10',
      '- invoice total: $108.00 (usage lines $100.00)',
      '- billed exports: $100.00 (usage $100.00)',
      '  - invoice vs billed: $8.00  invoice total minus billed exports',
      '  - tax: $8.00  tax on the invoice',
      '- llmfin estimate (provider_usage): $89.20',
      '- variance (billed - estimate): $10.80',
    ]);
    expect(r.stdout).toContain('\n  - price difference: $10.00  gpt-4o: billed minus');
  });

  it('says which difference each explanation is of, so tax on the invoice and tax in the exports are not added together', async () => {
    // Billed exports: usage $100.00 + tax $8.00 = $108.00. The invoice: usage $100.00 + tax
    // $8.00 + a late fee $2.00 = $110.00. Invoice − billed = $2.00, the fee; the invoice's tax
    // is named beside it (what the invoice holds besides usage), and the exports' tax as part
    // of the billed total: two `tax` explanations of two different differences.
    const row = (id: string, category: string, cost: string) => ({ id, ts: '2026-10-05T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost, charge_category: category, requests: 0 });
    const ledger = await ledgerOf([row('u', 'usage', '100.00'), row('t', 'tax', '8.00')]);
    const invoice = join(tempDir(), 'invoice.yaml');
    writeFileSync(invoice, 'provider: openai\nnumber: INV-TAX-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: API usage, amount: "100.00" }\n  - { description: Sales tax, kind: tax, amount: "8.00" }\n  - { description: Late fee, kind: fee, amount: "2.00" }\ntotal: "110.00"\n');
    expect((await runCli(['import', '--db', ledger, invoice])).code).toBe(0);
    const r = await runCli(['reconcile', '--db', ledger, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row0] = JSON.parse(r.stdout).rows;
    expect(row0).toMatchObject({ invoice_total_usd: 110, billed_total_usd: 108 });
    const explained = row0.explanations as Explanation[];
    expect(explained.filter((e) => e.kind === 'tax').map((e) => [e.explains, e.usd])).toEqual([
      ['invoice_vs_billed', 8],
      ['billed_total', 8],
    ]);
    const of = (what: string) => explained.filter((e) => e.explains === what).map((e) => [e.kind, e.usd]);
    expect(of('invoice_vs_billed')).toEqual([['invoice_vs_billed', 2], ['tax', 8], ['fees', 2]]);
    expect(of('billed_total')).toEqual([['tax', 8]]);
  });

  it('reads whole months when the period cuts one, so a month\'s invoice is never set against a day of exports', async () => {
    const r = await runCli(['reconcile', '--db', db, '--since', '2026-10-02', '--until', '2026-10-03', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect([json.since, json.until]).toEqual(['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    expect(json.rows[0]).toMatchObject({ invoice_total_usd: 108, billed_total_usd: 100, estimate_usd: 89.2, unexplained_usd: 10.8 });
    expect(json.rows[0].explanations[0]).toMatchObject({ kind: 'invoice_vs_billed', usd: 8 });
    expect(r.stderr).toContain('reconcile compares whole months (an invoice is for a month): reading 2026-10-01 to 2026-11-01');
  });

  it('reads --provider in any case, and names the providers there are when it matches none', async () => {
    const upper = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--provider', 'OpenAI', '--format', 'json']);
    expect(JSON.parse(upper.stdout).rows.map((r: { provider: string }) => r.provider)).toEqual(['openai']);
    const none = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--provider', 'mistral']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('--provider mistral: nothing to reconcile for it in this period; the providers here are openai');
    expect(none.stderr).not.toContain('import invoices, cost exports and usage exports first');
  });

  it('exits 1 with --fail-over when the unexplained variance is larger, 0 when within', async () => {
    const over = await runCli(['reconcile', '--db', db, '--fail-over', '5%']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('unexplained variance over 5%: openai 2026-10 10.8%');
    expect(over.stdout).toMatch(/unexplained\s+\$10\.80 \(10\.8% of the bill\)/);
    // The price differences are what the unexplained rest is made of: listed under it, not
    // among the causes that explain the variance.
    expect(over.stdout).toMatch(/\n {2}unexplained {2,}\$10\.80 .*\n {4}price difference {2,}\$10\.00 .*\n {4}price difference {2,}\$0\.80 .*\n {2}unmetered traffic {2,}\$35\.20 /);
    expect((await runCli(['reconcile', '--db', db, '--fail-over', '11'])).code).toBe(0);
    const bad = await runCli(['reconcile', '--db', db, '--fail-over', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-over: expected a percentage');
  });

  it('--fail-over says which provider-months had no bill to judge instead of passing them silently', async () => {
    const only = join(tempDir(), 'metered.db');
    expect((await runCli(['import', '--db', only, fx('proxy.jsonl')])).code).toBe(0);
    const r = await runCli(['reconcile', '--db', only, '--month', '2026-10', '--fail-over', '2%']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: --fail-over: no invoice or billed export to judge openai 2026-10 against; import the bill to check it');
    // A bill and nothing to compare it with.
    const billOnly = join(tempDir(), 'bill.db');
    expect((await runCli(['import', '--db', billOnly, fx('invoice.yaml')])).code).toBe(0);
    const b = await runCli(['reconcile', '--db', billOnly, '--month', '2026-10', '--fail-over', '2%']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('warning: --fail-over: no usage export or metered rows to judge the bill of openai 2026-10 by; import them to check it');
    // A bill in EUR alone: a bill, but not one a dollar variance can be a share of.
    const dir = tempDir();
    writeFileSync(join(dir, 'eur.yaml'), 'provider: openai\nnumber: EUR-10\nperiod: { start: 2026-10-01, end: 2026-11-01 }\ncurrency: eur\nlines:\n  - { amount: "90.00" }\ntotal: "90.00"\n');
    expect((await runCli(['import', '--db', only, join(dir, 'eur.yaml')])).code).toBe(0);
    const eur = await runCli(['reconcile', '--db', only, '--month', '2026-10', '--fail-over', '2%']);
    expect(eur.code, eur.stderr).toBe(0);
    expect(eur.stderr).toContain('warning: --fail-over: only invoices in another currency than USD to judge openai 2026-10 (EUR-10 in EUR) against, so it was not judged');
    expect(eur.stderr).not.toContain('no invoice or billed export');
    // With the bill there, nothing is left unjudged.
    expect((await runCli(['reconcile', '--db', db, '--month', '2026-10', '--fail-over', '11'])).stderr).not.toContain('no invoice or billed export');
  });

  it('names lines without a model, models absent from usage and unpriced models', async () => {
    const dir = tempDir();
    const costs = join(dir, 'costs.json');
    const usage = join(dir, 'usage.json');
    const bucket = '"start_time":1793491200,"end_time":1793577600';
    writeFileSync(
      costs,
      `{"object":"page","data":[{"object":"bucket",${bucket},"results":[` +
        `{"object":"organization.costs.result","amount":{"value":35.0,"currency":"usd"},"line_item":"gpt-4o-2024-08-06, output","project_id":"p"},` +
        `{"object":"organization.costs.result","amount":{"value":0.06,"currency":"usd"},"line_item":"web search tool calls","project_id":"p"},` +
        `{"object":"organization.costs.result","amount":{"value":5.0,"currency":"usd"},"line_item":"o3-2025-04-16, input","project_id":"p"},` +
        `{"object":"organization.costs.result","amount":{"value":3.0,"currency":"usd"},"line_item":"mystery-model-x, input","project_id":"p"}]}]}`,
    );
    writeFileSync(
      usage,
      `{"object":"page","data":[{"object":"bucket",${bucket},"results":[` +
        `{"object":"organization.usage.completions.result","input_tokens":8000000,"output_tokens":1500000,"num_model_requests":10,"project_id":"p","model":"gpt-4o-2024-08-06"},` +
        `{"object":"organization.usage.completions.result","input_tokens":1000,"output_tokens":10,"num_model_requests":1,"project_id":"p","model":"mystery-model-x"}]}]}`,
    );
    const ledger = join(dir, 'x.db');
    const imported = await runCli(['import', '--db', ledger, costs, usage]);
    expect(imported.code, imported.stderr).toBe(0);
    const r = await runCli(['reconcile', '--db', ledger, '--format', 'json']);
    const [row] = JSON.parse(r.stdout).rows;
    // Billed 43.06; estimate: gpt-4o 8M x 2.50 + 1.5M x 10 = 35.00, mystery unpriced.
    expect(row).toMatchObject({ month: '2026-11', billed_usage_usd: 43.06, estimate_usd: 35, variance_usd: 8.06, unexplained_usd: 0, unexplained_percent: 0 });
    expect(row.explanations.map((e: Explanation) => [e.kind, e.usd]).sort()).toEqual([
      ['no_model', 0.06],
      ['not_in_estimate', 5],
      ['unpriced_models', 3],
    ]);
  });

  it('takes the web searches the estimate priced out of their model when the bill has them on a line without a model', async () => {
    // Usage export: claude-sonnet-4-5, 41,000 in / 6,200 out and 3 web searches = 0.123 + 0.093 + 0.03 = $0.246.
    // The bill, as Anthropic's cost report lays it out: the model's tokens $0.216, and "Web Search" $0.03 with no model.
    const ledger = await ledgerOf([
      { id: 'u', ts: '2026-10-05T00:00:00Z', granularity: 'day', provenance: 'provider_usage', provider: 'anthropic', model: 'claude-sonnet-4-5', input_tokens: 41000, output_tokens: 6200, web_search_requests: 3, requests: 0 },
      { id: 'b', ts: '2026-10-05T00:00:00Z', granularity: 'day', provenance: 'billed', provider: 'anthropic', model: 'claude-sonnet-4-5', cost_usd: '0.216', requests: 0 },
      { id: 's', source: 'anthropic-cost', ts: '2026-10-05T00:00:00Z', granularity: 'day', provenance: 'billed', cost_status: 'billed', provider: 'anthropic', model: null, cost_usd: '0.03', charge_category: 'usage', description: 'Web Search' },
    ]);
    const r = await runCli(['reconcile', '--db', ledger, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect(row).toMatchObject({ billed_usage_usd: 0.246, estimate_usd: 0.246, variance_usd: 0, unexplained_usd: 0 });
    // Before, the searches were both the bill's "no model" line and a -$0.03 price difference of the model.
    expect(row.explanations.map((e: Explanation) => [e.kind, e.usd])).toEqual([
      ['no_model', 0.03],
      ['web_searches', -0.03],
    ]);
  });

  it('compares a bill that names no model (a cost report not grouped by description) as a total, not as unbilled models', async () => {
    // Usage: claude-sonnet-4-5 41,000 in / 6,200 out / 3 searches = 0.123 + 0.093 + 0.03 = $0.246,
    // and claude-haiku-4-5 1M in = $1.00. The cost report, not grouped by description, has one
    // line a day with no model: $0.246 and $1.00, the same money.
    const ledger = await ledgerOf([
      { id: 'u1', ts: '2026-10-05T00:00:00Z', granularity: 'day', provenance: 'provider_usage', provider: 'anthropic', model: 'claude-sonnet-4-5', input_tokens: 41000, output_tokens: 6200, web_search_requests: 3, requests: 0 },
      { id: 'u2', ts: '2026-10-06T00:00:00Z', granularity: 'day', provenance: 'provider_usage', provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 1000000, output_tokens: 0, requests: 0 },
      { id: 'b1', source: 'anthropic-cost', ts: '2026-10-05T00:00:00Z', granularity: 'day', provenance: 'billed', cost_status: 'billed', provider: 'anthropic', model: null, cost_usd: '0.246', charge_category: 'usage' },
      { id: 'b2', source: 'anthropic-cost', ts: '2026-10-06T00:00:00Z', granularity: 'day', provenance: 'billed', cost_status: 'billed', provider: 'anthropic', model: null, cost_usd: '1.004', charge_category: 'usage' },
    ]);
    const r = await runCli(['reconcile', '--db', ledger, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    // 1.25 billed against 1.246 priced: the $0.004 is unexplained, not -$1.246 of "only estimated" models.
    expect(row).toMatchObject({ billed_usage_usd: 1.25, estimate_usd: 1.246, variance_usd: 0.004, unexplained_usd: 0.004, unexplained_percent: 0.32 });
    expect(row.explanations).toEqual([]);
    expect(row.notes).toEqual(['the billed export names no model (export it grouped by description or line item): compared as a total, not model by model']);
  });

  it('names every billed dollar that is not usage: credits, tax, fees and support in the exports', async () => {
    // A FOCUS-like bill in llmfin's own format: usage $100.00, a credit -$25.00, tax $8.00,
    // a commitment purchase $50.00 and support $12.00 = $145.00 billed in all.
    const row = (id: string, category: string, cost: string) => ({ id, ts: '2026-10-05T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost, charge_category: category, requests: 0 });
    const ledger = await ledgerOf([row('u', 'usage', '100.00'), row('c', 'credit', '-25.00'), row('t', 'tax', '8.00'), row('f', 'fee', '50.00'), row('s', 'support', '12.00')]);
    const r = await runCli(['reconcile', '--db', ledger, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row0] = JSON.parse(r.stdout).rows;
    expect(row0).toMatchObject({ provider: 'openai', month: '2026-10', billed_total_usd: 145, billed_usage_usd: 100 });
    expect(row0.explanations.map((e: Explanation) => [e.kind, e.usd])).toEqual([
      ['credits', -25],
      ['tax', 8],
      ['fees', 50],
      ['support', 12],
    ]);
    const text = await runCli(['reconcile', '--db', ledger]);
    expect(text.stdout).toMatch(/fees\s+\$50\.00 {2}fees and purchases in the billed exports/);
    expect(text.stdout).toMatch(/support\s+\$12\.00 {2}support charges in the billed exports/);
  });

  it('counts the billed rows that match no meter pattern in words that agree with their number', async () => {
    // Usage $100.00 and one unclassified line of $2.00; then two more of $1.50 and $0.50.
    const row = (id: string, category: string, cost: string) => ({ id, ts: '2026-10-05T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost, charge_category: category, requests: 0 });
    const detail = async (rows: ReturnType<typeof row>[]) => {
      const r = await runCli(['reconcile', '--db', await ledgerOf(rows), '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout).rows[0].explanations as Array<Explanation & { detail: string }>).filter((e) => e.kind === 'unclassified_meters').map((e) => [e.usd, e.detail]);
    };
    expect(await detail([row('u', 'usage', '100.00'), row('x', 'unclassified', '2.00')])).toEqual([[2, '1 billed row looks like LLM usage but matches no meter pattern']]);
    expect(await detail([row('u', 'usage', '100.00'), row('x', 'unclassified', '1.50'), row('y', 'unclassified', '0.50')])).toEqual([[2, '2 billed rows look like LLM usage but match no meter pattern']]);
  });

  it('counts a credit note as a credit, not usage, and shows an invoice in another currency without adding it as dollars', async () => {
    const db2 = join(tempDir(), 'notes.db');
    const invoices = join(tempDir(), 'notes.yaml');
    writeFileSync(
      invoices,
      [
        'provider: openai\nnumber: CN-2026-10\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: Service credit, kind: credit, amount: "-5.00" }\ntotal: "-5.00"',
        'provider: anthropic\nnumber: INV-EUR-2026-10\nperiod: { start: 2026-10-01, end: 2026-11-01 }\ncurrency: eur\nlines:\n  - { description: API usage, amount: "92.00" }\n  - { description: VAT, kind: tax, amount: "17.48" }\ntotal: "109.48"',
      ].join('\n---\n'),
    );
    const imported = await runCli(['import', '--db', db2, invoices, fx('proxy.jsonl')]);
    expect(imported.code, imported.stderr).toBe(0);
    // Recorded in its own currency, and said so.
    expect(imported.stdout).toContain('invoice anthropic INV-EUR-2026-10  109.48 EUR (not USD: reports and reconcile list it apart, never as dollars)  recorded');
    const r = await runCli(['reconcile', '--db', db2, '--month', '2026-10', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows;
    expect(rows.map((x: { provider: string }) => x.provider)).toEqual(['anthropic', 'openai']);
    expect(rows[0]).toMatchObject({ invoice_total_usd: null, invoice_usage_usd: null, reference: null, other_currency_invoices: [{ number: 'INV-EUR-2026-10', currency: 'EUR', total: '109.48' }] });
    // The credit note has no usage lines: the metered estimate (54.00) has no bill to meet.
    expect(rows[1]).toMatchObject({ invoice_total_usd: -5, invoice_usage_usd: null, reference: null, estimate_usd: 54, variance_usd: null, other_currency_invoices: [] });
    expect(rows[1].explanations.map((e: Explanation) => [e.kind, e.usd])).toEqual([['credits', -5]]);
    const text = await runCli(['reconcile', '--db', db2, '--month', '2026-10']);
    expect(text.stdout).toContain('invoice in EUR                    109.48 EUR (INV-EUR-2026-10): not in USD, so left out of every amount here');

    // In reports, the credit note is no usage (the metered 54.00 stands) and the EUR invoice is no dollars.
    const report = await runCli(['report', '--db', db2, '--by', 'provider', '--month', '2026-10', '--format', 'json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).rows.map((x: { provider: string; cost_usd: number }) => [x.provider, x.cost_usd])).toEqual([['openai', 54]]);
    expect(report.stderr).toContain('invoice INV-EUR-2026-10 (anthropic 2026-10) is in EUR, not USD: it is left out');
  });

  it('names days only one layer covers instead of taking them for price differences', async () => {
    // The usage export cut after 10-01: the cost export's 10-02 (50.00) has no usage to
    // compare with. On 10-01 alone: gpt-4o billed 40.00 vs priced 35.00 (8M x 2.50 + 1.5M x 10),
    // gpt-4o-mini 10.00 vs 9.60 (40M x 0.15 + 6M x 0.60).
    const dir = tempDir();
    const usage = JSON.parse(readFileSync(fx('usage.json'), 'utf8')) as { data: unknown[] };
    const day1 = join(dir, 'usage-10-01.json');
    writeFileSync(day1, JSON.stringify({ ...usage, data: usage.data.slice(0, 1) }));
    const cut = join(dir, 'cut.db');
    expect((await runCli(['import', '--db', cut, fx('costs.json'), day1])).code).toBe(0);
    const r = await runCli(['reconcile', '--db', cut, '--month', '2026-10', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect(row).toMatchObject({ billed_usage_usd: 100, estimate_usd: 44.6, variance_usd: 55.4, unexplained_usd: 5.4, unexplained_percent: 5.4 });
    expect(row.explanations.map((e: Explanation) => [e.kind, e.usd])).toEqual([
      ['days_not_in_estimate', 50],
      ['price_difference', 5],
      ['price_difference', 0.4],
    ]);
    expect(row.explanations[0].detail).toBe('billed on days with no provider_usage rows (1 day: 2026-10-02): import the usage export for them');

    // The other way: usage for 10-03 that no cost export bills yet (a copy of 10-02, 44.60).
    const ahead = join(dir, 'usage-ahead.json');
    const day3 = JSON.parse(JSON.stringify(usage.data[1])) as { start_time: number; end_time: number };
    day3.start_time += 86400;
    day3.end_time += 86400;
    writeFileSync(ahead, JSON.stringify({ ...usage, data: [...usage.data, day3] }));
    const behind = join(dir, 'behind.db');
    expect((await runCli(['import', '--db', behind, fx('costs.json'), ahead])).code).toBe(0);
    const [row2] = JSON.parse((await runCli(['reconcile', '--db', behind, '--month', '2026-10', '--format', 'json'])).stdout).rows;
    // 100.00 - 133.80 = -33.80: -44.60 not billed yet, and the 10.80 of price differences.
    expect(row2).toMatchObject({ estimate_usd: 133.8, variance_usd: -33.8, unexplained_usd: 10.8 });
    expect(row2.explanations.map((e: Explanation) => [e.kind, e.usd])).toEqual([
      ['days_not_billed', -44.6],
      ['price_difference', 10],
      ['price_difference', 0.8],
    ]);
  });

  it('compares an invoice without cost exports model by model, naming a model llmfin cannot price', async () => {
    // Invoice: gpt-4o 30.00, mystery-model-x 20.00. Metered: gpt-4o 10M input x 2.50 = 25.00,
    // mystery-model-x unpriced. So 5.00 is a price difference and 20.00 the unpriced model.
    const dir = tempDir();
    const invoice = join(dir, 'inv.yaml');
    writeFileSync(
      invoice,
      'provider: openai\nnumber: INV-M\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n' +
        '  - { description: gpt-4o, model: gpt-4o, amount: "30.00" }\n  - { description: mystery, model: mystery-model-x, amount: "20.00" }\ntotal: "50.00"\n',
    );
    const rows = join(dir, 'm.jsonl');
    writeFileSync(
      rows,
      '{"id":"x1","ts":"2026-10-03T09:00:00Z","provider":"openai","model":"gpt-4o","requests":10,"input_tokens":10000000,"output_tokens":0}\n' +
        '{"id":"x2","ts":"2026-10-03T09:00:00Z","provider":"openai","model":"mystery-model-x","requests":10,"input_tokens":1000,"output_tokens":10}\n',
    );
    const ledger = join(dir, 'm.db');
    expect((await runCli(['import', '--db', ledger, invoice, rows])).code).toBe(0);
    const r = await runCli(['reconcile', '--db', ledger, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows;
    expect(row).toMatchObject({ reference: 'invoice', invoice_usage_usd: 50, estimate_layer: 'metered', estimate_usd: 25, variance_usd: 25, unexplained_usd: 5, unexplained_percent: 10 });
    expect(row.explanations.map((e: Explanation) => [e.kind, e.usd])).toEqual([
      ['price_difference', 5],
      ['unpriced_models', 20],
    ]);
    // Under 10%: the unpriced model no longer fails a finance job's gate as unexplained.
    expect((await runCli(['reconcile', '--db', ledger, '--fail-over', '10%'])).code).toBe(0);
  });

  it('says how many of the month\'s days the billed exports cover when their usage falls short of the invoice', async () => {
    // The cost export without its gpt-4o-mini lines: 80.00 billed against the invoice's 100.00 usage.
    const dir = tempDir();
    const costs = JSON.parse(readFileSync(fx('costs.json'), 'utf8')) as { data: Array<{ results: Array<{ line_item: string }> }> };
    for (const bucket of costs.data) bucket.results = bucket.results.filter((r) => !r.line_item.startsWith('gpt-4o-mini'));
    const file = join(dir, 'costs-4o.json');
    writeFileSync(file, JSON.stringify(costs));
    const ledger = join(dir, 'short.db');
    expect((await runCli(['import', '--db', ledger, fx('invoice.yaml'), file])).code).toBe(0);
    const [row] = JSON.parse((await runCli(['reconcile', '--db', ledger, '--format', 'json'])).stdout).rows;
    expect(row).toMatchObject({ invoice_total_usd: 108, invoice_usage_usd: 100, billed_usage_usd: 80 });
    expect(row.explanations[0]).toEqual({
      kind: 'invoice_vs_billed',
      explains: 'invoice_vs_billed',
      usd: 28,
      detail: "invoice total minus billed exports (the exports cover 2 of the month's 31 days: 2026-10-01 … 2026-10-02)",
    });
  });
});
