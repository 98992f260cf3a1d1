// Reconcile and a Google Cloud invoice typed in whole beside the month's Cloud Billing
// export: the invoice is filed under vertex (the catalogue's id for "gcp"), the export's
// Vertex AI rows under vertex, its Gemini API (Generative Language API) rows under google
// and its other services' rows under gcp. The invoice is the whole bill, so it is compared
// with all three, while google rows that did not come through Cloud Billing stay apart.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  provider: string;
  month: string;
  /** The row's days when they are not its calendar month's (an invoice period's, or the days left out of one). */
  days?: { from: string; to: string } | null;
  invoice_total_usd: number | null;
  invoice_usage_usd: number | null;
  billed_total_usd: number | null;
  billed_usage_usd: number | null;
  estimate_layer: string | null;
  estimate_usd: number | null;
  variance_usd: number | null;
  unexplained_usd: number | null;
  explanations: Array<{ kind: string; explains: string; usd: number; detail: string }>;
  notes: string[];
}

/** One row of a Cloud Billing export (BigQuery standard usage cost), as `bq extract` writes it. */
const exportRow = (service: string, sku: string, day: string, tokens: number, cost: number, costType = 'regular') =>
  JSON.stringify({
    billing_account_id: '01A2B3-C4D5E6-F7A8B9',
    service: { id: service === '' ? '' : `SVC-${service.length}`, description: service },
    sku: { id: `SKU-${sku.length}`, description: sku },
    usage_start_time: `${day}T10:00:00Z`,
    usage_end_time: `${day}T11:00:00Z`,
    project: { id: 'search-prod', number: '123456789012', name: 'Search Prod', labels: [] },
    labels: [],
    location: { location: 'us-central1', country: 'US', region: 'us-central1', zone: null },
    export_time: `${day}T18:00:00Z`,
    cost,
    currency: 'USD',
    currency_conversion_rate: 1,
    usage: { amount: tokens, unit: 'count', amount_in_pricing_units: tokens, pricing_unit: 'count' },
    credits: [],
    invoice: { month: '202610' },
    cost_type: costType,
  });

// October on one Cloud billing account (list prices: Gemini 2.5 Flash input $0.30 per 1M
// tokens on Vertex and on the Gemini API):
//   vertex: 10,000,000 input tokens × 0.30 / 1M = 3.00
//   google: 4,000,000 input tokens × 0.30 / 1M = 1.20 (Generative Language API)
//   gcp:    Compute Engine 25.0042, tax 1.50 = 26.5042
// Whole bill 3.00 + 1.20 + 26.5042 = 30.7042.
const VERTEX = exportRow('Vertex AI', 'Gemini 2.5 Flash GA Text Input - Predictions', '2026-10-06', 10_000_000, 3.0);
const GEMINI_API = exportRow('Generative Language API', 'Generate content input token count gemini 2.5 flash text', '2026-10-06', 4_000_000, 1.2);
const COMPUTE = exportRow('Compute Engine', 'N2 Instance Core running in Americas', '2026-10-06', 720, 25.0042);
const TAX = exportRow('', 'Tax', '2026-10-06', 0, 1.5, 'tax');

// The invoice PDF typed to the cent: Vertex AI 3.00, Gemini API 1.20, Compute Engine 25.00
// (names no LLM service: kept as other), tax 1.50 = 30.70.
const WHOLE = `provider: gcp
number: "5012345678"
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
  - { description: Vertex AI, amount: "3.00" }
  - { description: Generative Language API, amount: "1.20" }
  - { description: Compute Engine, amount: "25.00" }
  - { description: Tax, kind: tax, amount: "1.50" }
total: "30.70"
`;

// The invoice of a billing account that runs Vertex AI and the Gemini API only, typed in
// whole: no line of another service, but its billing account, which Google invoices once a
// month with every service on it. Vertex AI 3.00 + Gemini API 1.20 + tax 0.42 = 4.62.
const AI_ONLY_INVOICE = `provider: Google Cloud
number: "5012345679"
account: 01A2B3-C4D5E6-F7A8B9
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
  - { description: Vertex AI, amount: "3.00" }
  - { description: Generative Language API, amount: "1.20" }
  - { description: Tax, kind: tax, amount: "0.42" }
total: "4.62"
`;

/** llmfin JSONL rows of October 6 (the proxy's metered rows, another source's billed rows). */
const ledgerRow = (id: string, provider: string, extra: object) => ({ id, ts: '2026-10-06T08:00:00Z', provider, model: 'gemini-2.5-flash', ...extra });
const metered = (id: string, provider: string, tokens: number) => ledgerRow(id, provider, { source: 'proxy', provenance: 'metered', input_tokens: tokens, output_tokens: 0, requests: 1 });
/** The proxy's metering of October: 10M input tokens on Vertex (3.00) and 4M on the Gemini API (1.20). */
const AI_USAGE = [metered('m1', 'vertex', 10_000_000), metered('m2', 'google', 4_000_000)];

async function reconciled(exportRows: string[], invoice: string | string[], rows: object[] = [], format = 'json'): Promise<Row[]> {
  return JSON.parse(await reconcileText(exportRows, invoice, rows, format)).rows as Row[];
}

async function reconcileText(exportRows: string[], invoice: string | string[], rows: object[], format: string): Promise<string> {
  const cwd = tempDir();
  const files = (Array.isArray(invoice) ? invoice : [invoice]).map((text, k) => {
    writeFileSync(join(cwd, `invoice-${k}.yaml`), text);
    return `invoice-${k}.yaml`;
  });
  if (exportRows.length > 0) {
    writeFileSync(join(cwd, 'billing.jsonl'), `${exportRows.join('\n')}\n`);
    files.push('billing.jsonl');
  }
  if (rows.length > 0) {
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    files.push('rows.jsonl');
  }
  const imported = await runCli(['import', ...files, '--db', 'l.db'], { cwd });
  expect(imported.code, imported.stderr).toBe(0);
  const r = await runCli(['reconcile', '--month', '2026-10', '--db', 'l.db', '--format', format], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const explained = (row: Row, explains: string) => row.explanations.filter((e) => e.explains === explains).map((e) => [e.kind, e.usd]);

describe('reconcile: a Google Cloud invoice typed in whole beside the Cloud Billing export', () => {
  it('compares the invoice with the Vertex, Gemini API and other services\' rows together, in the vertex row', async () => {
    // The proxy metered both: 10M tokens on Vertex (3.00) and 4M on the Gemini API (1.20).
    const rows = await reconciled([VERTEX, GEMINI_API, COMPUTE, TAX], WHOLE, AI_USAGE);
    // Before: vertex compared $30.70 with the Vertex rows' $3.00 ($27.70 "invoice vs billed"),
    // and a google row ($1.20) and a gcp row ($26.5042) held the rest of the bill, with no invoice.
    expect(rows.map((r) => r.provider)).toEqual(['vertex']);
    const [row] = rows;
    // Usage lines 3.00 + 1.20 = 4.20, billed usage 3.00 + 1.20 = 4.20; the estimate 3.00 + 1.20.
    expect(row).toMatchObject({ invoice_total_usd: 30.7, invoice_usage_usd: 4.2, billed_total_usd: 30.7042, billed_usage_usd: 4.2, estimate_layer: 'metered', estimate_usd: 4.2, variance_usd: 0, unexplained_usd: 0 });
    // 30.70 − 30.7042: the invoice's cents.
    expect(explained(row!, 'invoice_vs_billed')).toEqual([
      ['invoice_vs_billed', -0.0042],
      ['tax', 1.5],
      ['non_llm', 25],
    ]);
    expect(explained(row!, 'billed_total')).toEqual([
      ['tax', 1.5],
      ['non_llm', 25.0042],
    ]);
    // gemini-2.5-flash on Vertex and on the Gemini API are two models, each met by its own
    // estimate: no price difference, nothing billed left unestimated.
    expect(explained(row!, 'variance')).toEqual([]);
  });

  it('compares a model billed on Vertex and on the Gemini API with each one\'s own estimate', async () => {
    // The proxy metered the Gemini API only (4M tokens: 1.20), on the day Vertex billed 3.00.
    const rows = await reconciled([VERTEX, GEMINI_API, COMPUTE, TAX], WHOLE, [metered('m2', 'google', 4_000_000)]);
    // Billed usage 4.20 − estimate 1.20 = 3.00: Vertex's gemini-2.5-flash, which no row
    // estimates. Taken for one model with the Gemini API's, 4.20 billed against 1.20 was an
    // unexplained "price difference" of 3.00.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'vertex', billed_usage_usd: 4.2, estimate_usd: 1.2, variance_usd: 3, unexplained_usd: 0 });
    expect(rows[0]!.explanations.filter((e) => e.explains === 'variance').map((e) => [e.kind, e.usd, e.detail])).toEqual([
      ['not_in_estimate', 3, 'gemini-2.5-flash: billed, absent from the metered rows'],
    ]);
  });

  it('keeps the Gemini API and the other services apart when the invoice bills Vertex alone', async () => {
    // Only the Vertex AI page of the PDF: 3.00, no other services, no tax.
    const vertexOnly = `provider: vertex
number: "5012345678"
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
  - { description: Vertex AI, amount: "3.00" }
total: "3.00"
`;
    const rows = await reconciled([VERTEX, GEMINI_API, COMPUTE, TAX], vertexOnly, [metered('m2', 'google', 4_000_000)]);
    expect(rows.map((r) => [r.provider, r.invoice_total_usd, r.billed_total_usd, r.estimate_usd])).toEqual([
      ['gcp', null, 26.5042, null],
      ['google', null, 1.2, 1.2],
      ['vertex', 3, 3, null],
    ]);
  });

  it('leaves out of the bill the google rows that did not come through Cloud Billing', async () => {
    // A bill with no Gemini API rows (Vertex 3.00, Compute Engine 25.0042, tax 1.50 =
    // 29.5042) and its invoice (3.00 + 25.00 + 1.50 = 29.50); beside them the proxy's
    // metered Gemini API rows (4M tokens: 1.20) and a billed Gemini API row of another
    // source (an AI Studio account's $7.00, in llmfin's JSONL).
    const invoice = `provider: gcp
number: "5012345678"
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
  - { description: Vertex AI, amount: "3.00" }
  - { description: Compute Engine, amount: "25.00" }
  - { description: Tax, kind: tax, amount: "1.50" }
total: "29.50"
`;
    const rows = await reconciled([VERTEX, COMPUTE, TAX], invoice, [metered('m2', 'google', 4_000_000), ledgerRow('b1', 'google', { provenance: 'billed', cost_usd: '7.00', requests: 0 })]);
    expect(rows.map((r) => [r.provider, r.invoice_total_usd, r.billed_total_usd, r.estimate_layer, r.estimate_usd])).toEqual([
      // The Gemini API's rows are compared on their own: billed 7.00 against metered 1.20.
      ['google', null, 7, 'metered', 1.2],
      // 3.00 + 25.0042 + 1.50: neither the metered 1.20 nor the other bill's 7.00.
      ['vertex', 29.5, 29.5042, null, null],
    ]);
    // With the Cloud bill's own Gemini API rows the bill takes those (1.20) and their
    // estimate, and still not the other source's 7.00: 3.00 + 1.20 + 25.0042 + 1.50 = 30.7042.
    const withApi = await reconciled([VERTEX, GEMINI_API, COMPUTE, TAX], WHOLE, [metered('m2', 'google', 4_000_000), ledgerRow('b1', 'google', { provenance: 'billed', cost_usd: '7.00', requests: 0 })]);
    expect(withApi.map((r) => [r.provider, r.invoice_total_usd, r.billed_total_usd, r.estimate_usd])).toEqual([
      ['google', null, 7, null],
      ['vertex', 30.7, 30.7042, 1.2],
    ]);
  });
});

describe('reconcile: a Google Cloud invoice whose lines are all AI usage', () => {
  // A billing account that runs Vertex AI and the Gemini API only: the export's Vertex row
  // (3.00, under vertex), Gemini API row (1.20, under google) and its tax (0.42, under gcp).
  const AI_TAX = exportRow('', 'Tax', '2026-10-06', 0, 0.42, 'tax');

  it('is the whole bill of the billing account it names: compared with the Vertex, Gemini API and tax rows together', async () => {
    const rows = await reconciled([VERTEX, GEMINI_API, AI_TAX], AI_ONLY_INVOICE, AI_USAGE);
    // Before: the vertex row compared $4.62 with the Vertex rows' $3.00 ("invoice vs billed"
    // $1.62), while a google row held the Gemini API's $1.20 and a gcp row the $0.42 of tax,
    // neither with an invoice.
    expect(rows.map((r) => r.provider)).toEqual(['vertex']);
    const [row] = rows;
    // Invoice usage 3.00 + 1.20 = 4.20 of 4.62; billed 3.00 + 1.20 = 4.20 usage, + 0.42 tax =
    // 4.62; estimated 10M × 0.30/1M + 4M × 0.30/1M = 3.00 + 1.20 = 4.20.
    expect(row).toMatchObject({ invoice_total_usd: 4.62, invoice_usage_usd: 4.2, billed_total_usd: 4.62, billed_usage_usd: 4.2, estimate_layer: 'metered', estimate_usd: 4.2, variance_usd: 0, unexplained_usd: 0 });
    // The invoice meets the bill to the cent (4.62 − 4.62 = 0: no "invoice vs billed" line);
    // the tax is the invoice's, and the export's.
    expect(explained(row!, 'invoice_vs_billed')).toEqual([['tax', 0.42]]);
    expect(explained(row!, 'billed_total')).toEqual([['tax', 0.42]]);
    expect(explained(row!, 'variance')).toEqual([]);
  });

  it('is typed for Vertex alone without a billing account: compared with the Vertex rows, as before', async () => {
    // The same lines with no account and no other services' lines: nothing says it is the
    // account's whole invoice (it may be the Vertex AI page of it), so the google and gcp
    // rows stay apart. 4.62 − 3.00 = 1.62 invoice vs billed, 0.42 of it the tax.
    const rows = await reconciled([VERTEX, GEMINI_API, AI_TAX], AI_ONLY_INVOICE.replace(/^account: .*\n/m, ''), AI_USAGE);
    expect(rows.map((r) => [r.provider, r.invoice_total_usd, r.billed_total_usd, r.estimate_usd])).toEqual([
      ['gcp', null, 0.42, null],
      ['google', null, 1.2, 1.2],
      ['vertex', 4.62, 3, 3],
    ]);
    expect(explained(rows[2]!, 'invoice_vs_billed')).toEqual([
      ['invoice_vs_billed', 1.62],
      ['tax', 0.42],
    ]);
  });
});

describe('reconcile: a Google Cloud invoice typed in whole with no Cloud Billing export in the ledger', () => {
  // The billing account's invoice of the section above (Vertex AI 3.00, Gemini API 1.20, tax
  // 0.42 = 4.62) and the proxy's metered rows: 10M Gemini 2.5 Flash input tokens on Vertex
  // (10M × $0.30/1M = 3.00) and 4M on the Gemini API (4M × $0.30/1M = 1.20). No export.
  it('compares the invoice with the Gemini API\'s estimate too: it is billed through the Cloud account', async () => {
    const rows = await reconciled([], AI_ONLY_INVOICE, AI_USAGE);
    // Before: the vertex row compared the invoice's usage, 3.00 + 1.20 = 4.20, with the Vertex
    // estimate alone, 3.00 (1.20 unexplained), and a google row held the Gemini API's 1.20
    // estimate with nothing to compare it with.
    expect(rows.map((r) => r.provider)).toEqual(['vertex']);
    // Usage lines 4.20 against the estimate 3.00 + 1.20 = 4.20: nothing unexplained.
    expect(rows[0]).toMatchObject({ invoice_total_usd: 4.62, invoice_usage_usd: 4.2, billed_total_usd: null, estimate_layer: 'metered', estimate_usd: 4.2, variance_usd: 0, unexplained_usd: 0 });
    expect(explained(rows[0]!, 'invoice_vs_billed')).toEqual([['tax', 0.42]]);
  });

  it('keeps the Gemini API\'s estimate apart when the Gemini API is billed apart that month', async () => {
    // A billed Gemini API row of another source (an AI Studio account's $7.00, in llmfin's
    // JSONL): the month's Gemini API usage is that bill's, and its estimate is compared with it.
    const rows = await reconciled([], AI_ONLY_INVOICE, [...AI_USAGE, ledgerRow('b1', 'google', { provenance: 'billed', cost_usd: '7.00', requests: 0 })]);
    expect(rows.map((r) => [r.provider, r.invoice_usage_usd, r.billed_total_usd, r.estimate_usd, r.variance_usd])).toEqual([
      // 7.00 − 1.20
      ['google', null, 7, 1.2, 5.8],
      // 4.20 − 3.00
      ['vertex', 4.2, null, 3, 1.2],
    ]);
  });

  it('keeps the whole month of the Gemini API apart when its own invoice runs from mid-month', async () => {
    // The Cloud invoice bills Vertex AI alone (3.00 + tax 0.30), and the Gemini API has invoices
    // of its own, monthly from the 15th: October 15 – November 14's bills the 1.20 metered on
    // October 20. The 1.20 metered on October 6 is its invoice of September 15 – October 14,
    // not in the ledger, so it is no part of the Cloud invoice either.
    const cloud = AI_ONLY_INVOICE.replace(/^.*Generative Language API.*\n/m, '').replace('"0.42"', '"0.30"').replace('"4.62"', '"3.30"');
    const gemini = `provider: google
number: "G-2026-10"
period: { start: 2026-10-15, end: 2026-11-15 }
lines:
  - { description: Gemini API, amount: "1.20" }
total: "1.20"
`;
    const usage = [...AI_USAGE, { ...metered('m3', 'google', 4_000_000), ts: '2026-10-20T08:00:00Z' }];
    const rows = await reconciled([], [cloud, gemini], usage);
    // Before: October 6's 1.20 went into the vertex row, estimate 3.00 + 1.20 = 4.20 against
    // the Vertex AI line's 3.00, a variance of −1.20 with no Gemini API on that invoice.
    expect(rows.map((r) => [r.provider, r.days?.from ?? null, r.invoice_usage_usd, r.estimate_usd, r.variance_usd])).toEqual([
      // October 1–14: its invoice is not in the ledger, the estimate alone.
      ['google', '2026-10-01', null, 1.2, null],
      // 1.20 − 1.20
      ['google', '2026-10-15', 1.2, 1.2, 0],
      // 3.00 − 3.00
      ['vertex', null, 3, 3, 0],
    ]);
  });
});

describe('reconcile: an invoice typed provider google that names a Cloud billing account', () => {
  // The Cloud invoice of the section above typed under the issuer's name as its PDF prints
  // it ("Google LLC"): llmfin reads it as google, the Gemini API (AI Studio), whose invoice
  // it stays. Its lines are all usage (a Gemini API invoice bills no other services), and it
  // is compared with the google rows only, so the output says so and how to type it whole.
  const AS_GOOGLE = AI_ONLY_INVOICE.replace('provider: Google Cloud', 'provider: Google LLC');
  const TAX = exportRow('', 'Tax', '2026-10-06', 0, 0.42, 'tax');
  const NOTE =
    "the invoice is typed provider google, the Gemini API (AI Studio), and names billing account 01A2B3-C4D5E6-F7A8B9: compared with the Gemini API's rows alone, not with that account's whole Google Cloud bill (Vertex AI, other services, tax); if it is the account's Cloud invoice, type it provider: gcp";

  it('is compared with the Gemini API\'s rows alone, and its row says so', async () => {
    const rows = await reconciled([VERTEX, GEMINI_API, TAX], AS_GOOGLE, AI_USAGE);
    expect(rows.map((r) => [r.provider, r.invoice_total_usd, r.billed_total_usd, r.estimate_usd])).toEqual([
      ['gcp', null, 0.42, null],
      ['google', 4.62, 1.2, 1.2],
      ['vertex', null, 3, 3],
    ]);
    const google = rows[1]!;
    // 4.62 − 1.20 = 3.42 between the invoice and the Gemini API's billed rows, 0.42 of it tax.
    expect(explained(google, 'invoice_vs_billed')).toEqual([
      ['invoice_vs_billed', 3.42],
      ['tax', 0.42],
    ]);
    // Before: no word on which bill the $3.42 came from.
    expect(google.notes).toEqual([NOTE]);
    expect(rows[0]!.notes).toEqual([]);
    expect(rows[2]!.notes).toEqual([]);
    const text = await reconcileText([VERTEX, GEMINI_API, TAX], AS_GOOGLE, AI_USAGE, 'table');
    expect(text).toContain(`  note                              ${NOTE}\n`);
  });

  it('says nothing of a Cloud bill when the invoice names no account', async () => {
    const rows = await reconciled([VERTEX, GEMINI_API, TAX], AS_GOOGLE.replace(/^account: .*\n/m, ''), AI_USAGE);
    expect(rows.map((r) => [r.provider, r.invoice_total_usd, r.notes])).toEqual([
      ['gcp', null, []],
      ['google', 4.62, []],
      ['vertex', null, []],
    ]);
  });
});
