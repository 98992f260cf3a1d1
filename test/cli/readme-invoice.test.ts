// The invoice the README shows under "Invoices (source `invoice`)" is the file a finance
// team copies to start from: it must import as it reads, its total equal to its lines.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');

function invoiceExample(): string {
  const start = README.findIndex((l) => l.startsWith('### Invoices (source `invoice`)'));
  expect(start).toBeGreaterThanOrEqual(0);
  const open = README.findIndex((l, i) => i > start && l === '```yaml');
  const close = README.findIndex((l, i) => i > open && l === '```');
  return `${README.slice(open + 1, close).join('\n')}\n`;
}

describe('the README\'s example invoice', () => {
  it('imports (exit 0) and is recorded with the total it states', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'invoices.yaml'), invoiceExample());
    const r = await runCli(['import', 'invoices.yaml', '--db', 'ledger.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('invoice openai INV-OAI-2026-10-0042  $1,025.95  recorded');
  });

  it('reconcile reads its usage lines and its credit: $1,275.95 of usage (670.56 + 533.77 + 71.62), $250.00 of credit', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'invoices.yaml'), invoiceExample());
    expect((await runCli(['import', 'invoices.yaml', '--db', 'ledger.db'], { cwd })).code).toBe(0);
    const r = await runCli(['reconcile', '--month', '2026-10', '--db', 'ledger.db', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const row = JSON.parse(r.stdout).rows.find((x: { provider: string }) => x.provider === 'openai');
    expect(row.invoice_total_usd).toBe(1025.95);
    expect(row.invoice_usage_usd).toBe(1275.95);
    expect(row.explanations).toContainEqual({ kind: 'credits', explains: 'invoice_vs_billed', usd: -250, detail: 'credits on the invoice' });
  });
});
