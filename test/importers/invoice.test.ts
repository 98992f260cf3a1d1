import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invoiceImporter } from '../../src/importers/invoice/invoice-importer.js';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { readSample } from '../../src/importers/source-input.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { inTimeZone } from '../helpers/time-zone.js';

const dir = fileURLToPath(new URL('../fixtures/importers/invoice/', import.meta.url));
const YAML = join(dir, 'openai-enterprise-2026-10.yaml');
const STRIPE = join(dir, 'anthropic-stripe-invoice.json');

describe('invoice importer', () => {
  it('detects invoice files and refuses usage files', () => {
    expect(invoiceImporter.detect(readSample(YAML, YAML))).toEqual({ ok: true });
    expect(invoiceImporter.detect(readSample(STRIPE, STRIPE))).toEqual({ ok: true });
    const demo = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));
    expect(invoiceImporter.detect(readSample(demo, demo)).ok).toBe(false);
    expect(llmfinImporter.detect(readSample(YAML, YAML)).ok).toBe(false);
  });

  it('judges a sample of blank lines at once (a CSV with a run of empty rows once took minutes to detect)', () => {
    const blank = { fileName: 'usage.csv', head: `ts,provider,model\n2026-10-01,openai,gpt-4o\n${'\n'.repeat(64 * 1024 - 100)}` };
    const started = performance.now();
    expect(invoiceImporter.detect(blank)).toEqual({ ok: false, reason: 'no invoice fields (number, lines, total) and not a Stripe invoice object' });
    // Linear: a few ms. The old patterns needed minutes here (a second for 1,000 lines).
    expect(performance.now() - started).toBeLessThan(1000);
    // A YAML invoice whose keys follow blank lines and an opening brace is still one.
    const spaced = { fileName: 'inv.txt', head: `{\n\n  "provider": "openai",\n\n  "number": "A-1",\n  "lines": [],\n  "total": "0"\n}\n` };
    expect(invoiceImporter.detect(spaced)).toEqual({ ok: true });
  });

  it('records invoices with their lines, exactly, and only once', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, invoiceImporter, YAML);
    expect(s.invoices).toEqual([
      { provider: 'openai', number: 'INV-OAI-2026-10-0042', total_usd: '1025.95', currency: 'USD', status: 'recorded', notes: [] },
      { provider: 'anthropic', number: 'ANT-2026-10-7781', total_usd: '2993.61', currency: 'USD', status: 'recorded', notes: [] },
    ]);
    const inv = await ledger.db.selectFrom('invoices').selectAll().where('provider', '=', 'openai').executeTakeFirstOrThrow();
    // 670.56 + 533.77 + 71.62 − 250.00 + 0.00 = 1,025.95
    expect(inv).toMatchObject({ total_usd: '1025.95', total_ticks: 10_259_500_000_000n, credits_usd: '-250', tax_usd: '0', currency: 'USD', period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-11-01T00:00:00.000Z' });
    expect(inv.batch_id).toBe(s.batchId);
    const lines = await ledger.db.selectFrom('invoice_lines').select(['line_no', 'kind', 'amount_usd', 'model']).where('invoice_id', '=', inv.id).orderBy('line_no').execute();
    expect(lines).toEqual([
      { line_no: 1, kind: 'usage', amount_usd: '670.56', model: 'gpt-4.1-mini' },
      { line_no: 2, kind: 'usage', amount_usd: '533.77', model: 'o3' },
      { line_no: 3, kind: 'usage', amount_usd: '71.62', model: null },
      { line_no: 4, kind: 'credit', amount_usd: '-250', model: null },
      { line_no: 5, kind: 'tax', amount_usd: '0', model: null },
    ]);
    expect((await importInto(ledger, invoiceImporter, YAML)).status).toBe('already-imported');
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toHaveLength(2);
    await ledger.close();
  });

  it('reads Stripe invoice objects (integer minor units)', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, invoiceImporter, STRIPE);
    const inv = await ledger.db.selectFrom('invoices').selectAll().executeTakeFirstOrThrow();
    // 500,000 + 41,250 cents = $5,412.50
    expect(inv).toMatchObject({ provider: 'anthropic', number: '9F3C2A1B-0007', total_usd: '5412.5', subtotal_usd: '5000', tax_usd: '412.5', account: 'cus_Acme123' });
    await ledger.close();
  });

  it("a Stripe invoice's discounts are a credit line, so its lines add up to its total and only the usage before them is usage", async () => {
    const file = join(tempDir(), 'discounted.json');
    // $100.00 of usage, a $10.00 discount, 8% tax on the $90.00: $7.20; total $97.20.
    const doc = { object: 'invoice', id: 'in_1', account_name: 'OpenAI, LLC', number: 'D-1', currency: 'usd', period_start: 1790812800, period_end: 1793491200, subtotal: 10000, total_discount_amounts: [{ amount: 1000 }], total_tax_amounts: [{ amount: 720, inclusive: false }], total: 9720, lines: { data: [{ amount: 10000, description: 'API usage' }], has_more: false } };
    writeFileSync(file, JSON.stringify(doc));
    const ledger = await freshLedger();
    await importInto(ledger, invoiceImporter, file);
    const inv = await ledger.db.selectFrom('invoices').selectAll().executeTakeFirstOrThrow();
    expect(inv).toMatchObject({ total_usd: '97.2', credits_usd: '-10', tax_usd: '7.2' });
    const lines = await ledger.db.selectFrom('invoice_lines').select(['kind', 'amount_usd']).orderBy('line_no').execute();
    // 100 − 10 + 7.20 = 97.20
    expect(lines).toEqual([
      { kind: 'usage', amount_usd: '100' },
      { kind: 'credit', amount_usd: '-10' },
      { kind: 'tax', amount_usd: '7.2' },
    ]);
    await ledger.close();
  });

  it('a Stripe invoice in a zero-decimal currency keeps its amounts whole (1234 is ¥1,234, not ¥12.34)', async () => {
    const file = join(tempDir(), 'jpy.json');
    writeFileSync(file, JSON.stringify({ object: 'invoice', account_name: 'OpenAI, LLC', number: 'J-1', currency: 'jpy', period_start: 1790812800, period_end: 1793491200, tax: 123, total: 1357, lines: { data: [{ amount: 1234 }] } }));
    const ledger = await freshLedger();
    expect((await importInto(ledger, invoiceImporter, file)).invoices).toEqual([{ provider: 'openai', number: 'J-1', total_usd: '1357', currency: 'JPY', status: 'recorded', notes: [] }]);
    expect(await ledger.db.selectFrom('invoice_lines').select(['kind', 'amount_usd']).orderBy('line_no').execute()).toEqual([
      { kind: 'usage', amount_usd: '1234' },
      { kind: 'tax', amount_usd: '123' },
    ]);
    await ledger.close();
  });

  it('a Stripe invoice whose lines do not add up to its total is refused: cut short (has_more), or something applied that is not read', async () => {
    const dirPath = tempDir();
    const ledger = await freshLedger();
    const cut = join(dirPath, 'cut.json');
    const doc = { object: 'invoice', id: 'in_2', account_name: 'Anthropic, PBC', number: 'C-1', currency: 'usd', period_start: 1790812800, period_end: 1793491200, tax: 0, total: 30000, lines: { data: [{ amount: 10000 }], has_more: true } };
    writeFileSync(cut, JSON.stringify(doc));
    await expect(importInto(ledger, invoiceImporter, cut)).rejects.toThrow(`${cut}:1: lines.has_more: invoice C-1: its lines are cut short (has_more: true; 100 of 300): save the invoice with all its lines`);
    const off = join(dirPath, 'off.json');
    writeFileSync(off, JSON.stringify({ ...doc, lines: { data: [{ amount: 10000 }], has_more: false } }, null, 2));
    await expect(importInto(ledger, invoiceImporter, off)).rejects.toThrow(`${off}:10: total: invoice C-1: expected total to equal its lines plus tax, less discounts (100), got 300`);
    // Inclusive tax is inside the lines' amounts: no tax line on top, and the lines add up.
    const inclusive = join(dirPath, 'inclusive.json');
    writeFileSync(inclusive, JSON.stringify({ ...doc, number: 'I-1', tax: 2000, total_tax_amounts: [{ amount: 2000, inclusive: true }], total: 12000, lines: { data: [{ amount: 12000 }], has_more: false } }));
    expect((await importInto(ledger, invoiceImporter, inclusive)).invoices).toEqual([{ provider: 'anthropic', number: 'I-1', total_usd: '120', currency: 'USD', status: 'recorded', notes: [] }]);
    expect(await ledger.db.selectFrom('invoice_lines').select(['kind', 'amount_usd']).execute()).toEqual([{ kind: 'usage', amount_usd: '120' }]);
    await ledger.close();
  });

  it('a total that does not add up aborts the file and names the invoice', async () => {
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'provider: openai\nnumber: X-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - amount: "10.00"\n  - amount: "5.01"\ntotal: "15.00"\n');
    const ledger = await freshLedger();
    const error = await importInto(ledger, invoiceImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${file}:7: total: invoice X-1: expected total to equal the sum of its lines (15.01), got 15.00`);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
    await ledger.close();
  });

  it("a PDF's tax and credits typed only as summary fields are named as the reason the total does not add up", async () => {
    const file = join(tempDir(), 'summary.yaml');
    // 100.00 of usage, the PDF's "Credits -5.00" and "Tax 8.00" typed beside the lines, not as lines: 100.00 ≠ 103.00.
    writeFileSync(file, 'provider: openai\nnumber: S-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - amount: "100.00"\ncredits: "-5.00"\ntax: "8.00"\ntotal: "103.00"\n');
    const ledger = await freshLedger();
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow(
      `${file}:8: total: invoice S-1: expected total to equal the sum of its lines (100), got 103.00; \`tax: 8.00\` and \`credits: -5.00\` only restate the lines: add a line \`kind: tax\` and a line \`kind: credit\``,
    );
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    await ledger.close();
  });

  it('a tax or credits field that disagrees with its lines is refused at its line, the lines being right or not', async () => {
    const file = join(tempDir(), 'disagree.yaml');
    const invoice = (summary: string) => `provider: openai\nnumber: S-2\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - amount: "100.00"\n  - { kind: credit, amount: "-5.00" }\n  - { kind: tax, amount: "8.00" }\n${summary}total: "103.00"\n`;
    const ledger = await freshLedger();
    // Tax 9.00 on the PDF's summary, 8.00 typed as its line: one of them is a typo.
    writeFileSync(file, invoice('tax: "9.00"\n'));
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow(`${file}:8: tax: invoice S-2: expected tax to equal the sum of its \`kind: tax\` lines (8), got 9.00`);
    writeFileSync(file, invoice('credits: "-5.50"\n'));
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow(`${file}:8: credits: invoice S-2: expected credits to equal the sum of its \`kind: credit\` lines (-5), got -5.50`);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    // Agreeing with the lines, both are kept: 100.00 − 5.00 + 8.00 = 103.00.
    writeFileSync(file, invoice('credits: "-5.00"\ntax: "8.00"\n'));
    expect((await importInto(ledger, invoiceImporter, file)).invoices.map((i) => i.total_usd)).toEqual(['103']);
    expect(await ledger.db.selectFrom('invoices').select(['credits_usd', 'tax_usd']).execute()).toEqual([{ credits_usd: '-5.00', tax_usd: '8.00' }]);
    await ledger.close();
  });

  it("a line's model a typo away from a known one is refused at its line; a known, bare Bedrock or unknown model is taken", async () => {
    const file = join(tempDir(), 'models.yaml');
    const invoice = (provider: string, model: string) => `provider: ${provider}\nnumber: MD-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "10.00" }\n  - { amount: "2.50", model: "${model}" }\ntotal: "12.50"\n`;
    const ledger = await freshLedger();
    writeFileSync(file, invoice('openai', 'gpt-4.1-mnii'));
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow(
      `${file}:6: lines.1.model: invoice MD-1: expected a model llmfin knows, got "gpt-4.1-mnii"; did you mean gpt-4.1-mini? (a model llmfin does not price, close to none it knows, is taken as written)`,
    );
    writeFileSync(file, invoice('aws', 'claude-sonet-4-5'));
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow('got "claude-sonet-4-5"; did you mean anthropic.claude-sonnet-4-5?');
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    // Bedrock's model without its maker is the same model; a fine-tune llmfin does not price is close to none.
    for (const [provider, model] of [['aws', 'claude-sonnet-4-5'], ['openai', 'gpt-4.1-mini'], ['openai', 'acme-finetune-7']]) {
      writeFileSync(file, invoice(provider!, model!));
      expect((await importInto(ledger, invoiceImporter, file)).invoices.map((i) => i.total_usd)).toEqual(['12.5']);
    }
    await ledger.close();
  });

  it('a credit typed as a positive amount is refused at its line, in a credit note whose total agrees with it too', async () => {
    const dirPath = tempDir();
    const ledger = await freshLedger();
    // The PDF prints "Credit 25.00"; the total typed as the sum of the lines, so the sum check passed.
    const note = join(dirPath, 'credit-note.yaml');
    writeFileSync(note, 'provider: openai\nnumber: CN-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: API usage, amount: "100.00" }\n  - { description: Outage credit, kind: credit, amount: "25.00" }\ntotal: "125.00"\n');
    const error = await importInto(ledger, invoiceImporter, note).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${note}:6: lines.1.amount: invoice CN-1: expected a credit as a negative amount (-25.00), got 25.00`);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
    // Written as a negative line, the credit note is recorded: 100.00 − 25.00 = 75.00.
    writeFileSync(note, 'provider: openai\nnumber: CN-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: API usage, amount: "100.00" }\n  - { description: Outage credit, kind: credit, amount: "-25.00" }\ntotal: "75.00"\n');
    expect((await importInto(ledger, invoiceImporter, note)).invoices).toEqual([{ provider: 'openai', number: 'CN-1', total_usd: '75', currency: 'USD', status: 'recorded', notes: [] }]);
    expect(await ledger.db.selectFrom('invoices').select(['credits_usd', 'total_usd']).execute()).toEqual([{ credits_usd: '-25', total_usd: '75' }]);
    await ledger.close();
  });

  it("a bad field is reported at its own line, in the file's second invoice too, not at the invoice's number in the file", async () => {
    const dirPath = tempDir();
    const ledger = await freshLedger();
    const text = readFileSync(YAML, 'utf8');
    // The second invoice's total (line 35) no longer matches its lines.
    const total = join(dirPath, 'total.yaml');
    writeFileSync(total, text.replace('total: 2993.61', 'total: 2993.62'));
    await expect(importInto(ledger, invoiceImporter, total)).rejects.toThrow(`${total}:35: total: invoice ANT-2026-10-7781: expected total to equal the sum of its lines (2993.61), got 2993.62`);
    // The first invoice's third line's amount (line 17).
    const amount = join(dirPath, 'amount.yaml');
    writeFileSync(amount, text.replace('amount: "71.62"', 'amount: "71,6x"'));
    await expect(importInto(ledger, invoiceImporter, amount)).rejects.toThrow(`${amount}:17: lines.2.amount: invoice 1: expected an amount such as 1234.56, 1,234.56 or -50`);
    // A JSON list of two invoices: the second one's bad kind, on line 5.
    const json = join(dirPath, 'list.json');
    const invoice = (n: string, kind: string) => `{"provider": "openai", "number": "${n}", "period": {"start": "2026-10-01", "end": "2026-11-01"},\n "lines": [{"amount": "1", "kind": "${kind}"}], "total": "1"}`;
    writeFileSync(json, `[${invoice('J-1', 'usage')},\n\n${invoice('J-2', 'refund')}]\n`);
    // Compact JSON, keys mid-line: still recognised as invoices.
    expect(invoiceImporter.detect(readSample(json, json))).toEqual({ ok: true });
    await expect(importInto(ledger, invoiceImporter, json)).rejects.toThrow(new RegExp(`^${json}:5: lines\\.0\\.kind: invoice 2: `));
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    await ledger.close();
  });

  it("an invoice's provider is the ledger's id for any spelling of it, so reports join it to that provider's rows", async () => {
    const file = join(tempDir(), 'spellings.yaml');
    const invoice = (provider: string, n: string) => `provider: ${provider}\nnumber: ${n}\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "1.00" }\ntotal: "1.00"\n`;
    writeFileSync(file, [invoice('OpenAI', 'A'), invoice('open-ai', 'B'), invoice('"OpenAI, Inc."', 'C'), invoice('Anthropic PBC', 'D'), invoice('aws', 'E'), invoice('Mistral AI', 'F'), invoice('acme-llm', 'G')].join('---\n'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, invoiceImporter, file);
    expect(s.invoices.map((i) => [i.number, i.provider])).toEqual([['A', 'openai'], ['B', 'openai'], ['C', 'openai'], ['D', 'anthropic'], ['E', 'bedrock'], ['F', 'mistral'], ['G', 'acme-llm']]);
    await ledger.close();
  });

  it("a cloud invoice typed with its issuer's name as printed is filed under that cloud's provider", async () => {
    const file = join(tempDir(), 'clouds.yaml');
    const invoice = (provider: string, n: string) => `provider: ${provider}\nnumber: ${n}\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "1.00" }\ntotal: "1.00"\n`;
    writeFileSync(file, [invoice('Google Cloud', 'A'), invoice('Google Cloud Platform', 'B'), invoice('"Amazon Web Services, Inc."', 'C'), invoice('Microsoft Azure', 'D')].join('---\n'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, invoiceImporter, file);
    // Before: "google cloud", "google cloud platform", "amazon web services, inc.", "microsoft azure" — providers of their own.
    expect(s.invoices.map((i) => [i.number, i.provider])).toEqual([['A', 'vertex'], ['B', 'vertex'], ['C', 'bedrock'], ['D', 'azure']]);
    await ledger.close();
  });

  it('a provider a typo away from a known one is refused at its line with the known one named, and nothing is recorded', async () => {
    const file = join(tempDir(), 'typo.yaml');
    const invoice = (provider: string, n: string) => `provider: ${provider}\nnumber: ${n}\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "1.00" }\ntotal: "1.00"\n`;
    // The second invoice starts on line 8: "provider:" is its first line.
    writeFileSync(file, [invoice('OpenAI', 'A'), invoice('"Antropic, PBC"', 'B')].join('---\n'));
    const ledger = await freshLedger();
    const error = await importInto(ledger, invoiceImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(`${file}:8: provider: invoice B: expected a provider llmfin knows, got "Antropic, PBC"; did you mean anthropic?`);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    // Two typos in a long name; an alias's typo names the provider it stands for.
    writeFileSync(file, invoice('antrhopic', 'C'));
    expect(((await importInto(ledger, invoiceImporter, file).catch((e: unknown) => e)) as Error).message).toContain('did you mean anthropic?');
    writeFileSync(file, invoice('vertex-al', 'D'));
    expect(((await importInto(ledger, invoiceImporter, file).catch((e: unknown) => e)) as Error).message).toContain('did you mean vertex?');
    // A vendor llmfin does not price, its name close to none, is taken as it is.
    writeFileSync(file, invoice('acme-llm', 'E'));
    expect((await importInto(ledger, invoiceImporter, file)).invoices.map((i) => i.provider)).toEqual(['acme-llm']);
    await ledger.close();
  });

  it('a decimal comma is refused at its line, not read as a hundred times the amount; a thousands comma is read', async () => {
    const dirPath = tempDir();
    const ledger = await freshLedger();
    const text = (a: string, b: string, total: string) => `provider: openai\nnumber: EU-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "${a}" }\n  - { amount: "${b}" }\ntotal: "${total}"\n`;
    const comma = join(dirPath, 'comma.yaml');
    // Every amount ×100 with the commas dropped, the total too: the sum check passed and $3,750.00 was recorded.
    writeFileSync(comma, text('12,50', '25,00', '37,50'));
    await expect(importInto(ledger, invoiceImporter, comma)).rejects.toThrow(`${comma}:5: lines.0.amount: invoice 1: expected an amount such as 1234.56, 1,234.56 or -50 (a decimal point, not a decimal comma)`);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    const thousands = join(dirPath, 'thousands.yaml');
    writeFileSync(thousands, text('1,012.50', '-12.50', '1,000.00'));
    expect((await importInto(ledger, invoiceImporter, thousands)).invoices).toEqual([{ provider: 'openai', number: 'EU-1', total_usd: '1000', currency: 'USD', status: 'recorded', notes: [] }]);
    await ledger.close();
  });

  it('an invoice in another currency is recorded in that currency, never as dollars (reports and reconcile list it apart)', async () => {
    const dirPath = tempDir();
    const ledger = await freshLedger();
    const eur = join(dirPath, 'eur.yaml');
    writeFileSync(eur, 'provider: openai\nnumber: EUR-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\ncurrency: eur\nlines:\n  - { amount: "100.00" }\ntotal: "100.00"\n');
    const summary = await importInto(ledger, invoiceImporter, eur);
    expect(summary.invoices).toEqual([{ provider: 'openai', number: 'EUR-1', total_usd: '100', currency: 'EUR', status: 'recorded', notes: [] }]);
    const stripe = join(dirPath, 'stripe-eur.json');
    writeFileSync(stripe, readFileSync(STRIPE, 'utf8').replace(/"currency": "usd"/, '"currency": "eur"'));
    expect((await importInto(ledger, invoiceImporter, stripe)).invoices.map((i) => [i.number, i.currency])).toEqual([['9F3C2A1B-0007', 'EUR']]);
    const stored = await ledger.db.selectFrom('invoices').select(['number', 'currency', 'total_usd']).orderBy('number').execute();
    expect(stored.map((i) => [i.number, i.currency])).toEqual([['9F3C2A1B-0007', 'EUR'], ['EUR-1', 'EUR']]);
    await ledger.close();
  });

  it('an invoice whose currency alone is corrected (its amounts were dollars all along) is replaced, and counts as dollars', async () => {
    const dirPath = tempDir();
    const ledger = await freshLedger();
    const text = (currency: string) => `provider: openai\nnumber: CUR-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\ncurrency: ${currency}\nlines:\n  - { amount: "100.00" }\ntotal: "100.00"\n`;
    writeFileSync(join(dirPath, 'eur.yaml'), text('eur'));
    writeFileSync(join(dirPath, 'usd.yaml'), text('usd'));
    await importInto(ledger, invoiceImporter, join(dirPath, 'eur.yaml'));
    const s = await importInto(ledger, invoiceImporter, join(dirPath, 'usd.yaml'));
    expect(s.invoices).toEqual([{ provider: 'openai', number: 'CUR-1', total_usd: '100', currency: 'USD', status: 'replaced', notes: [] }]);
    expect(await ledger.db.selectFrom('invoices').select(['currency', 'total_usd']).execute()).toEqual([{ currency: 'USD', total_usd: '100' }]);
    await ledger.close();
  });

  it('a corrected invoice file replaces the invoice it corrects; the same numbers again leave it alone', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, invoiceImporter, YAML);
    const dirPath = tempDir();
    // "other models" mistyped as 71.62: 81.62 it is, and the total with it.
    const corrected = join(dirPath, 'corrected.yaml');
    writeFileSync(corrected, readFileSync(YAML, 'utf8').replace('amount: "71.62"', 'amount: "81.62"').replace('total: "1,025.95"', 'total: "1,035.95"'));
    const s = await importInto(ledger, invoiceImporter, corrected);
    expect(s.invoices).toEqual([
      { provider: 'openai', number: 'INV-OAI-2026-10-0042', total_usd: '1035.95', currency: 'USD', status: 'replaced', notes: [] },
      { provider: 'anthropic', number: 'ANT-2026-10-7781', total_usd: '2993.61', currency: 'USD', status: 'already-recorded', notes: [] },
    ]);
    const openai = await ledger.db.selectFrom('invoices').selectAll().where('number', '=', 'INV-OAI-2026-10-0042').executeTakeFirstOrThrow();
    expect(openai).toMatchObject({ total_usd: '1035.95', total_ticks: 10_359_500_000_000n, batch_id: s.batchId });
    const lines = await ledger.db.selectFrom('invoice_lines').select('amount_usd').where('invoice_id', '=', openai.id).orderBy('line_no').execute();
    expect(lines.map((l) => l.amount_usd)).toEqual(['670.56', '533.77', '81.62', '-250', '0']);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toHaveLength(2);
    await ledger.close();
  });

  it('a missing field is named', async () => {
    const file = join(tempDir(), 'missing.yaml');
    writeFileSync(file, 'provider: openai\nnumber: X-2\nlines:\n  - amount: 1\ntotal: 1\n');
    const ledger = await freshLedger();
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow(/:1: period: invoice 1: /);
    await ledger.close();
  });

  it('an end on or before the start is refused at its line, not read as the whole month the period starts in', async () => {
    const ledger = await freshLedger();
    for (const end of ['2026-10-15', '2026-10-01']) {
      const file = join(tempDir(), 'empty-period.yaml');
      writeFileSync(file, `provider: azure\nnumber: AZ-X\nperiod: { start: 2026-10-15, end: ${end} }\nlines:\n  - amount: "50.00"\ntotal: "50.00"\n`);
      const error = await importInto(ledger, invoiceImporter, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `${file}:3: period.end: invoice AZ-X: expected period.end after period.start (2026-10-15), where the period stops (exclusive: October is start 2026-10-01, end 2026-11-01), got ${end}`,
      );
    }
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    await ledger.close();
  });
});

describe('a cloud provider\'s whole bill', () => {
  const bill = (lines: string) => `provider: aws
number: AWS-2026-10
period: { start: 2026-10-01, end: 2026-11-01 }
lines:
${lines}
`;

  it("keeps a line naming no LLM service as other (in the total, not the usage), says so, and leaves a line with a kind or a model as written", async () => {
    const path = join(tempDir(), 'aws.yaml');
    writeFileSync(
      path,
      bill(`  - { description: Amazon Bedrock, amount: "4700.00" }
  - { description: Amazon EC2, amount: "1200.00" }
  - { description: Amazon Simple Storage Service, amount: "100.00" }
  - { description: AWS Support (Business), kind: fee, amount: "30.00" }
  - { description: Amazon CloudWatch, kind: usage, amount: "20.00" }
  - { description: Provisioned throughput, model: claude-sonnet-4-5, amount: "900.00" }
  - { description: Tax, kind: tax, amount: "50.00" }
total: "7000.00"`),
    );
    const ledger = await freshLedger();
    const s = await importInto(ledger, invoiceImporter, path);
    expect(s.invoices).toEqual([
      {
        provider: 'bedrock', number: 'AWS-2026-10', total_usd: '7000', currency: 'USD', status: 'recorded',
        notes: ['"Amazon EC2" $1,200.00, "Amazon Simple Storage Service" $100.00 on bedrock invoice AWS-2026-10 name no LLM service: kept as other (in the invoice\'s total, not its LLM usage); give a line `kind: usage` to count it'],
      },
    ]);
    const lines = await ledger.db.selectFrom('invoice_lines').select(['line_no', 'kind', 'amount_usd']).orderBy('line_no').execute();
    expect(lines.map((l) => [l.kind, l.amount_usd])).toEqual([
      ['usage', '4700'],
      ['other', '1200'],
      ['other', '100'],
      ['fee', '30'],
      ['usage', '20'],
      ['usage', '900'],
      ['tax', '50'],
    ]);
    await ledger.close();
  });

  it('names a non-USD invoice\'s other lines in its own currency, never as dollars', async () => {
    const path = join(tempDir(), 'azure-eur.yaml');
    writeFileSync(
      path,
      `provider: azure\nnumber: AZ-EU-1\ncurrency: EUR\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: Azure OpenAI, amount: "812.40" }\n  - { description: Virtual Machines, amount: "1250.5" }\ntotal: "2062.90"\n`,
    );
    const ledger = await freshLedger();
    const s = await importInto(ledger, invoiceImporter, path);
    expect(s.invoices[0]!.notes).toEqual([
      '"Virtual Machines" 1250.5 EUR on azure invoice AZ-EU-1 names no LLM service: kept as other (in the invoice\'s total, not its LLM usage); give a line `kind: usage` to count it',
    ]);
    await ledger.close();
  });

  it("an LLM vendor's own invoice keeps every line as usage, whatever it says", async () => {
    const path = join(tempDir(), 'openai.yaml');
    writeFileSync(path, `provider: openai\nnumber: O-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: Storage, amount: "5.00" }\ntotal: "5.00"\n`);
    const ledger = await freshLedger();
    const s = await importInto(ledger, invoiceImporter, path);
    expect(s.invoices[0]!.notes).toEqual([]);
    expect((await ledger.db.selectFrom('invoice_lines').select('kind').execute()).map((l) => l.kind)).toEqual(['usage']);
    await ledger.close();
  });
});

describe('invoice fields', () => {
  const head = 'provider: openai\nnumber: INV-F\nperiod: { start: 2026-10-01, end: 2026-11-01 }\n';

  it('says what a field expects and what the file has there, in the format\'s words rather than the validator\'s', async () => {
    const cases: Array<[string, string]> = [
      [`${head}lines:\n  - { amount: "10" }\n`, ':1: total: invoice 1: expected an amount such as 1234.56, 1,234.56 or -50 (a decimal point, not a decimal comma), got nothing'],
      // A field under another name is why the one it should be is missing: named first.
      [`${head}lines:\n  - { amount: "10" }\ntotl: "10"\n`, ':6: totl: invoice 1: unknown field "totl": expected an invoice\'s fields (provider, number, account, issued_at, period, currency, lines, subtotal, credits, tax, total)'],
      [`${head}lines:\n  - { amount: "10", notes: x }\ntotal: "10"\n`, ':5: lines.0.notes: invoice 1: unknown field "notes": expected a line\'s fields (description, kind, amount, model, quantity, unit)'],
      [`${head}lines:\n  - { description: API }\ntotal: "10"\n`, ':5: lines.0.amount: invoice 1: expected an amount such as 1234.56, 1,234.56 or -50 (a decimal point, not a decimal comma), got nothing'],
      [`${head}lines:\n  - { kind: refund, amount: "10" }\ntotal: "10"\n`, ':5: lines.0.kind: invoice 1: expected one of usage, credit, tax, fee, other, got "refund"'],
      [`${head}lines: []\ntotal: "0"\n`, ':4: lines: invoice 1: expected a list of one line or more, each { description: ..., amount: "12.50" }, got []'],
      [`${head}currency: dollars\nlines:\n  - { amount: "10" }\ntotal: "10"\n`, ':4: currency: invoice 1: expected a three-letter currency code such as USD or EUR, got "dollars"'],
      ['number: INV-F\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "10" }\ntotal: "10"\n', ':1: provider: invoice 1: expected the provider\'s id, such as openai or anthropic, got nothing'],
      ['provider: openai\nnumber: INV-F\nlines:\n  - { amount: "10" }\ntotal: "10"\n', ':1: period: invoice 1: expected { start: 2026-10-01, end: 2026-11-01 } (end is where the period stops: that is October), got nothing'],
      // An invoice typed as a CSV (forced with --source invoice) reads as one text, not an invoice.
      ['provider,number,total\nopenai,INV-F,10.00\n', ':1: invoice 1: expected an invoice: YAML or JSON with provider, number, period, lines and total (see README, "Invoices"), got "provider,number,total openai,INV-F,10.00"'],
    ];
    const ledger = await freshLedger();
    for (const [text, message] of cases) {
      const file = join(tempDir(), 'typed.yaml');
      writeFileSync(file, text);
      const error = await importInto(ledger, invoiceImporter, file, { source: 'invoice' }).catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as Error).message, text).toBe(`${file}${message}`);
    }
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    await ledger.close();
  });
});

describe('invoice dates', () => {
  const invoice = (period: string, issued = '2026-11-04') =>
    `provider: openai\nnumber: INV-D\nissued_at: ${issued}\nperiod: ${period}\nlines:\n  - amount: "10.00"\ntotal: "10.00"\n`;

  it('refuses a slash date, which reads as two days, and a date with words after it, at its line, nothing recorded', async () => {
    const ledger = await freshLedger();
    for (const [period, column, got] of [
      ['{ start: 10/01/2026, end: 11/01/2026 }', 'period.start', '10/01/2026'],
      ['{ start: "2026-10-01 to 2026-10-31", end: 2026-11-01 }', 'period.start', '2026-10-01 to 2026-10-31'],
      ['{ start: 2026-10-01, end: "2026-11-01 (exclusive)" }', 'period.end', '2026-11-01 (exclusive)'],
    ] as const) {
      const file = join(tempDir(), 'dated.yaml');
      writeFileSync(file, invoice(period));
      const error = await importInto(ledger, invoiceImporter, file).catch((e: unknown) => e);
      expect(error, period).toBeInstanceOf(InputError);
      expect((error as Error).message, period).toBe(`${file}:4: ${column}: invoice 1: expected a date such as 2026-10-31, got "${got}"`);
    }
    const file = join(tempDir(), 'issued.yaml');
    writeFileSync(file, invoice('{ start: 2026-10-01, end: 2026-11-01 }', '04/11/2026'));
    await expect(importInto(ledger, invoiceImporter, file)).rejects.toThrow(`${file}:3: issued_at: invoice 1: expected a date such as 2026-10-31, got "04/11/2026"`);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    await ledger.close();
  });

  it('reads a day as a UTC day and a time without a zone as UTC, whatever the machine', async () => {
    const ledger = await freshLedger();
    const file = join(tempDir(), 'times.yaml');
    writeFileSync(file, invoice('{ start: "2026-10-01T00:00:00", end: "2026-11-01T05:30:00+05:30" }'));
    // A machine in California: the start is still midnight UTC, not 07:00.
    await inTimeZone('America/Los_Angeles', () => importInto(ledger, invoiceImporter, file));
    expect(await ledger.db.selectFrom('invoices').select(['period_start', 'period_end', 'total_usd']).execute()).toEqual([
      { period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-11-01T00:00:00.000Z', total_usd: '10' },
    ]);
    await ledger.close();
  });
});
