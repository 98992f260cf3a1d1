// A file whose fault is its own, not a row's (a document or CSV that does not parse, a
// header without a column its source needs), has no good row to keep: every source refuses
// it whole at its line, with --skip-invalid too, and records no batch, so the fixed file
// imports afterwards instead of being "already imported" as an empty batch.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Importer } from '../../src/importers/importer.js';
import { anthropicCsvImporter } from '../../src/importers/anthropic-csv/anthropic-csv-importer.js';
import { awsCurImporter } from '../../src/importers/aws-cur/aws-cur-importer.js';
import { azureCostImporter } from '../../src/importers/azure-cost/azure-cost-importer.js';
import { focusImporter } from '../../src/importers/focus/focus-importer.js';
import { gcpBillingImporter } from '../../src/importers/gcp-billing/gcp-billing-importer.js';
import { invoiceImporter } from '../../src/importers/invoice/invoice-importer.js';
import { litellmImporter } from '../../src/importers/litellm/litellm-importer.js';
import { openaiCsvImporter } from '../../src/importers/openai-csv/openai-csv-importer.js';
import { HEADER_HINT } from '../../src/importers/header-hint.js';
import { InputError } from '../../src/shared/errors.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../fixtures/importers/${path}`, import.meta.url)), 'utf8');

/** Line 3's first cell quoted, then text after the closing quote: the parser cannot go on. */
function badQuoteOnLine3(text: string): string {
  const lines = text.split('\n');
  lines[2] = `"x"y${lines[2]!.slice(lines[2]!.indexOf(','))}`;
  return lines.join('\n');
}

interface Case {
  name: string;
  importer: Importer;
  /** The whole file, as exported. */
  good: string;
  fileName: string;
  broken: (text: string) => string;
  /** The refusal, after "FILE:". */
  message: RegExp;
  /** A header's refusal says what helps: the column back, not --skip-invalid nor a new download of a file cut short. */
  header?: true;
}

const CSV_FIXTURES: Array<[Importer, string]> = [
  [awsCurImporter, 'aws-cur/cur2-2026-10.csv'],
  [azureCostImporter, 'azure-cost/mca-actual-2026-10.csv'],
  [gcpBillingImporter, 'gcp-billing/billing-export-2026-10.csv'],
  [openaiCsvImporter, 'openai-csv/cost_2025-10-05_2025-10-07.csv'],
  [anthropicCsvImporter, 'anthropic-csv/claude_api_cost_2026-10-01_2026-10-03.csv'],
  [focusImporter, 'focus/focus-1.2-ai-2026-10.csv'],
  [litellmImporter, 'litellm/spend-logs-2026-10.csv'],
];

const CASES: Case[] = [
  ...CSV_FIXTURES.map(([importer, path]): Case => ({
    name: `${importer.id}: a CSV that does not parse past line 3`,
    importer,
    good: fixture(path),
    fileName: 'bill.csv',
    broken: badQuoteOnLine3,
    message: /^3: not valid CSV: Invalid Closing Quote: got "y" after a closing quote at line 3/,
  })),
  {
    name: 'focus: a header without ChargePeriodEnd (every row would lack its end)',
    importer: focusImporter,
    good: fixture('focus/focus-1.2-ai-2026-10.csv'),
    fileName: 'bill.csv',
    broken: (text) => text.replace('ChargePeriodEnd,', 'ChargeEnd,'),
    message: /^1: ChargePeriodEnd: expected a FOCUS header with a "ChargePeriodEnd" column, got none$/,
    header: true,
  },
  {
    name: 'openai-csv: a completions export whose output_tokens column was renamed',
    importer: openaiCsvImporter,
    good: fixture('openai-csv/completions_usage_2025-10-05_2025-10-07.csv'),
    fileName: 'completions_usage_2025-10-05_2025-10-07.csv',
    broken: (text) => text.replace('output_tokens', 'output tokens'),
    message: /^1: output_tokens: expected a "output_tokens" column in a completions usage export, got none/,
    header: true,
  },
  {
    name: 'anthropic-csv: a usage download without its cache-read column',
    importer: anthropicCsvImporter,
    good: fixture('anthropic-csv/claude_api_usage_2026-10-01_2026-10-03.csv'),
    fileName: 'claude_api_usage_2026-10-01_2026-10-03.csv',
    broken: (text) => text.replace('usage_input_tokens_cache_read', 'cache_read'),
    message: /^1: usage_input_tokens_cache_read: /,
    header: true,
  },
  {
    name: 'focus: a header without PricingQuantity or ConsumedQuantity (every token meter would count no tokens)',
    importer: focusImporter,
    good: fixture('focus/focus-1.2-ai-2026-10.csv'),
    fileName: 'bill.csv',
    broken: (text) => text.replace('ConsumedQuantity,', 'Consumed,').replace('PricingQuantity,', 'Pricing,'),
    message: /^1: PricingQuantity: expected a FOCUS header with a "PricingQuantity" column \(or "ConsumedQuantity"\), got none$/,
    header: true,
  },
  {
    name: 'azure-cost: an EA export without UnitOfMeasure (no token meter could be read)',
    importer: azureCostImporter,
    good: fixture('azure-cost/ea-actual-2026-10.csv'),
    fileName: 'azure.csv',
    broken: (text) => text.replace(',UnitOfMeasure,', ',Unit,'),
    message: /^1: UnitOfMeasure: expected a "UnitOfMeasure" column in an EA or MCA export, got none/,
    header: true,
  },
  {
    name: 'azure-cost: an MCA export without quantity',
    importer: azureCostImporter,
    good: fixture('azure-cost/mca-actual-2026-10.csv'),
    fileName: 'azure.csv',
    broken: (text) => text.replace(',quantity,', ',qty,'),
    message: /^1: Quantity: expected a "Quantity" column \(or "UsageQuantity"\) in an EA or MCA export, got none/,
    header: true,
  },
  {
    name: 'gcp-billing: a CSV without usage.amount (no token count for any SKU)',
    importer: gcpBillingImporter,
    good: fixture('gcp-billing/billing-export-2026-10.csv'),
    fileName: 'billing.csv',
    broken: (text) => text.replace(',usage.amount,', ',amount,'),
    message: /^1: usage\.amount: expected a "usage\.amount" column \(or "usage_amount"\), got none: every export row has it/,
    header: true,
  },
  {
    name: 'gcp-billing: a BigQuery JSON array cut short',
    importer: gcpBillingImporter,
    good: `[\n${fixture('gcp-billing/billing-export-2026-10.jsonl').trim().split('\n').join(',\n')}\n]\n`,
    fileName: 'billing.json',
    broken: (text) => text.slice(0, 700),
    message: /^2: expected a JSON array of billing rows, got invalid JSON/,
  },
  {
    name: 'invoice: YAML that does not parse',
    importer: invoiceImporter,
    good: fixture('invoice/openai-enterprise-2026-10.yaml'),
    fileName: 'invoices.yaml',
    broken: (text) => text.replace(/^lines:/m, 'lines: [oops'),
    message: /^9: not valid YAML\/JSON: /,
  },
  {
    name: 'invoice: a Stripe invoice JSON cut short',
    importer: invoiceImporter,
    good: fixture('invoice/anthropic-stripe-invoice.json'),
    fileName: 'invoice.json',
    broken: (text) => text.slice(0, 300),
    message: /^13: not valid YAML\/JSON: Missing closing "quote/,
  },
];

describe('a file that cannot be read as a whole is refused whole, --skip-invalid or not', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const file = join(tempDir(), c.fileName);
      writeFileSync(file, c.broken(c.good));
      const ledger = await freshLedger();
      for (const skipInvalid of [false, true]) {
        const error = await importInto(ledger, c.importer, file, { skipInvalid }).catch((e: unknown) => e);
        expect(error, `skipInvalid ${skipInvalid}`).toBeInstanceOf(InputError);
        expect((error as InputError).message.slice(file.length + 1)).toMatch(c.message);
        if (c.header) {
          expect((error as InputError).hint).toBe(HEADER_HINT);
          expect(HEADER_HINT).toContain('--skip-invalid cannot help');
        } else expect((error as InputError).hint).toContain('--skip-invalid skips bad rows');
      }
      expect(existsSync(`${file}.rejects.jsonl`)).toBe(false);
      expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
      // Fixed, the file imports: no empty batch of its broken version stands in the way.
      writeFileSync(file, c.good);
      const fixed = await importInto(ledger, c.importer, file, { skipInvalid: true });
      expect(fixed.status).toBe('imported');
      expect(fixed.rowsRejected).toBe(0);
      expect(fixed.rowsImported + fixed.invoices.length).toBeGreaterThan(0);
      await ledger.close();
    });
  }

  it('on the command line: exit 2 naming file and line, no batch, and the fixed file imports', async () => {
    const cwd = tempDir();
    const good = fixture('invoice/openai-enterprise-2026-10.yaml');
    writeFileSync(join(cwd, 'invoices.yaml'), good.replace(/^lines:/m, 'lines: [oops'));
    const r = await runCli(['import', 'invoices.yaml', '--skip-invalid', '--db', 'l.db'], { cwd });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain('llmfin: error: invoices.yaml:9: not valid YAML/JSON: ');
    expect(existsSync(join(cwd, 'invoices.yaml.rejects.jsonl'))).toBe(false);
    writeFileSync(join(cwd, 'invoices.yaml'), good);
    const again = await runCli(['import', 'invoices.yaml', '--db', 'l.db'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('invoices.yaml (invoice): imported as batch 1');
  });
});
