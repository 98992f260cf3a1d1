// Reconcile and an AWS invoice typed in whole beside the month's CUR: the invoice is filed
// under bedrock (the catalogue's id for "aws"), the CUR's Bedrock rows under bedrock and its
// other services' rows under aws. The invoice is the whole bill, so it is compared with both.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const CUR = fileURLToPath(new URL('../fixtures/importers/aws-cur/cur-legacy-2026-10.csv', import.meta.url));

interface Row {
  provider: string;
  month: string;
  invoice_total_usd: number | null;
  invoice_usage_usd: number | null;
  billed_total_usd: number | null;
  billed_usage_usd: number | null;
  explanations: Array<{ kind: string; explains: string; usd: number; detail: string }>;
}

// The CUR's October, by provider and charge category (exact, from its rows):
//   bedrock: usage 21.5111 (0.9756 + 20.5355), Guardrails (unclassified) 0.30, tax 0.07, credits -5.25 = 16.6311
//   aws:     support 100.00, tax 0.01, EC2 0.0416, S3 0.0000000616 = 100.0516000616
// Whole bill 116.6827000616. The invoice, typed from the PDF to the cent: Bedrock 21.81,
// EC2 0.04, S3 0.00, Support 100.00 (no LLM service named: kept as other), tax 0.08,
// credits -5.25 = 116.68.
const WHOLE = `provider: aws
number: AWS-2026-10-111122223333
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
  - { description: Amazon Bedrock, amount: "21.81" }
  - { description: Amazon Elastic Compute Cloud, amount: "0.04" }
  - { description: Amazon Simple Storage Service, amount: "0.00" }
  - { description: AWS Support (Business), amount: "100.00" }
  - { description: Tax, kind: tax, amount: "0.08" }
  - { description: AWS Promotional Credit, kind: credit, amount: "-5.25" }
total: "116.68"
`;

async function reconciled(invoice: string): Promise<Row[]> {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'invoice.yaml'), invoice);
  const imported = await runCli(['import', CUR, 'invoice.yaml', '--db', 'l.db'], { cwd });
  expect(imported.code, imported.stderr).toBe(0);
  const r = await runCli(['reconcile', '--month', '2026-10', '--db', 'l.db', '--format', 'json'], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { rows: Row[] }).rows;
}

const explained = (row: Row, explains: string) => row.explanations.filter((e) => e.explains === explains).map((e) => [e.kind, e.usd]);

describe('reconcile: an AWS invoice typed in whole beside the CUR', () => {
  it('compares the invoice with the whole bill, the Bedrock rows and the other services\' rows together', async () => {
    const rows = await reconciled(WHOLE);
    // Before: bedrock compared $116.68 with the Bedrock rows' $16.6311 ($100.0489 "invoice vs
    // billed"), and an aws row held the $100.0516000616 the invoice had billed, with no invoice.
    expect(rows.map((r) => r.provider)).toEqual(['bedrock']);
    const [row] = rows;
    expect(row).toMatchObject({ provider: 'bedrock', month: '2026-10', invoice_total_usd: 116.68, invoice_usage_usd: 21.81, billed_total_usd: 116.6827000616, billed_usage_usd: 21.5111 });
    // 116.68 − 116.6827000616: the invoice's cents.
    expect(explained(row!, 'invoice_vs_billed')).toEqual([
      ['invoice_vs_billed', -0.0027000616],
      ['credits', -5.25],
      ['tax', 0.08],
      ['non_llm', 100.04],
    ]);
    // The bill's tax is the invoice's: 0.07 on Bedrock + 0.01 on other services.
    expect(explained(row!, 'billed_total')).toEqual([
      ['credits', -5.25],
      ['tax', 0.08],
      ['support', 100],
      ['unclassified_meters', 0.3],
      ['non_llm', 0.0416000616],
    ]);
  });

  it('keeps the other services apart when the invoice bills Bedrock alone', async () => {
    // Only the Bedrock page of the PDF: 21.81 + 0.07 tax − 5.25 credits = 16.63.
    const bedrockOnly = `provider: aws
number: AWS-2026-10-111122223333
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
  - { description: Amazon Bedrock, amount: "21.81" }
  - { description: Tax, kind: tax, amount: "0.07" }
  - { description: AWS Promotional Credit, kind: credit, amount: "-5.25" }
total: "16.63"
`;
    const rows = await reconciled(bedrockOnly);
    expect(rows.map((r) => [r.provider, r.invoice_total_usd, r.billed_total_usd])).toEqual([
      ['aws', null, 100.0516000616],
      ['bedrock', 16.63, 16.6311],
    ]);
  });
});
