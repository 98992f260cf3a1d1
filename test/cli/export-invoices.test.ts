/**
 * An invoice is not a ledger row, so no export format carries it: `llmfin export` names
 * the invoices of its dates that it leaves out, since a ledger made from a jsonl export
 * alone reports and reconciles those months without them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

// Metered: search $3.50 (1M in / 100K out of gpt-4o at $2.50/$10 per 1M) on Oct 1.
const METERED = `{"id":"m1","ts":"2026-10-01T09:00:00Z","provider":"openai","model":"gpt-4o","requests":100,"input_tokens":1000000,"output_tokens":100000,"team":"search"}\n`;
// Billed by the Costs API: $4.00 on Oct 20.
const COSTS = JSON.stringify({
  object: 'page',
  data: [
    {
      object: 'bucket',
      start_time: 1792454400,
      end_time: 1792540800,
      results: [{ object: 'organization.costs.result', amount: { value: 4.0, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'proj_a', api_key_id: null }],
    },
  ],
  has_more: false,
  next_page: null,
});
// October's invoice bills $10.00 of usage (+ $0.80 tax); a credit note; an invoice in EUR.
const INVOICES = `provider: openai
number: OAI-2026-10
issued_at: 2026-11-04
period: { start: 2026-10-01, end: 2026-11-01 }
currency: usd
lines:
  - { description: API usage, model: gpt-4o, amount: "10.00" }
  - { description: Sales tax, kind: tax, amount: "0.80" }
total: "10.80"
---
provider: openai
number: OAI-CN-2026-10
issued_at: 2026-11-10
period: { start: 2026-10-01, end: 2026-11-01 }
currency: usd
lines:
  - { description: Service credit, kind: credit, amount: "-2.00" }
total: "-2.00"
---
provider: anthropic
number: ANT-EU-2026-10
issued_at: 2026-11-02
period: { start: 2026-10-01, end: 2026-11-01 }
currency: eur
lines:
  - { description: API usage, amount: "8.80" }
total: "8.80"
`;

interface Report {
  rows: Array<{ team: string; cost_usd: number }>;
  total: { cost_usd: number };
}

describe('llmfin export names the invoices it leaves out', () => {
  const cwd = tempDir();
  const db = join(cwd, 'ledger.db');
  beforeAll(async () => {
    writeFileSync(join(cwd, 'proxy.jsonl'), METERED);
    writeFileSync(join(cwd, 'costs.json'), COSTS);
    writeFileSync(join(cwd, 'invoices.yaml'), INVOICES);
    const r = await runCli(['import', 'proxy.jsonl', 'costs.json', 'invoices.yaml', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
  });

  const october = async (path: string) => runJson<Report>(['report', '--by', 'team', '--month', '2026-10', '--db', path, '--format', 'json'], { cwd });

  it('a jsonl export names every invoice of its dates, whatever its currency, and the copy needs them to report the same', async () => {
    const r = await runCli(['export', '--out', 'ledger.jsonl', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: 3 invoices of these dates are not in the export (an invoice is not a ledger row): anthropic ANT-EU-2026-10 (EUR), openai OAI-2026-10, openai OAI-CN-2026-10; ' +
        'a ledger made from this file alone reports and reconciles those months without them: import the invoice files into it too (`llmfin import invoices.yaml`)',
    );
    // The warning is the truth: the invoice's $10.00 of usage ($3.50 search, $6.50 unattributed)
    // becomes the Costs API's $4.00 ($3.50 search, $0.50 unattributed) in the copy alone.
    expect((await october(db)).total.cost_usd).toBe(10);
    const copy = join(cwd, 'copy.db');
    expect((await runCli(['import', 'ledger.jsonl', '--db', copy], { cwd })).code).toBe(0);
    expect((await october(copy)).total.cost_usd).toBe(4);
    // With the invoice files imported beside it, the copy reports what the ledger does.
    expect((await runCli(['import', 'invoices.yaml', '--db', copy], { cwd })).code).toBe(0);
    expect(await october(copy)).toEqual(await october(db));
  });

  it('csv says the same; an export of other dates, without the billed layer or of one team names none', async () => {
    const csv = await runCli(['export', '--format', 'csv', '--month', '2026-10', '--where', 'provider=openai', '--db', db], { cwd });
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain('2 invoices of these dates are not in the export (an invoice is not a ledger row): openai OAI-2026-10, openai OAI-CN-2026-10;');
    for (const argv of [['--month', '2026-09'], ['--basis', 'metered'], ['--provenance', 'metered,provider_usage'], ['--where', 'team=search'], ['--where', 'provider=google']]) {
      const r = await runCli(['export', ...argv, '--db', db], { cwd });
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stderr, argv.join(' ')).not.toContain('invoice');
    }
  });

  it('a FOCUS export names the USD invoices, whose usage reports count instead of its rows', async () => {
    const r = await runCli(['export', '--format', 'focus', '--month', '2026-10', '--db', db], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: 2 invoices of these dates are not in the export (an invoice is not a ledger row): openai OAI-2026-10, openai OAI-CN-2026-10; ' +
        "`llmfin report` takes those months' usage from the invoices, so a sum of BilledCost can differ from its total there (`llmfin reconcile` shows by how much)",
    );
  });
});
