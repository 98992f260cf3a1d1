// `llmfin pricing reprice`: history priced again from the ledger's own token columns.
// With the same catalogue nothing changes (every importer's rows reprice to the tick);
// a 10% OpenAI discount moves llmfin-priced rows and leaves bills alone; a custom model
// prices rows that were unpriced. Reports see the new prices at once (the rollup's days
// are recomputed).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const layers = (name: string) => join(fixtures, 'reports', 'layers-2026-10', name);

describe('llmfin pricing reprice', () => {
  it('changes nothing when the catalogue has not changed, for every importer fixture and the demo', async () => {
    const dir = tempDir();
    const db = join(dir, 'all.db');
    const files = readdirSync(join(fixtures, 'importers'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(fixtures, 'importers', d.name)).filter((f) => !f.endsWith('.md')).map((f) => join(fixtures, 'importers', d.name, f)));
    for (const f of files) await runCli(['import', '--db', db, f]);
    await runCli(['import', '--db', db, fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url))]);
    const r = await runJson<{ rows_read: number; rows_changed: number; cost_before_usd: number; cost_after_usd: number }>(['pricing', 'reprice', '--db', db]);
    expect(r.rows_read).toBeGreaterThan(2000);
    expect(r.rows_changed).toBe(0);
    expect(r.cost_after_usd).toBe(r.cost_before_usd);
  });

  it('applies a new discount to llmfin-priced rows, not to bills, and reports follow', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    expect((await runCli(['import', '--db', db, layers('costs.json'), layers('usage.json'), layers('proxy.jsonl')])).code).toBe(0);
    // Before: usage export $89.20, proxy rows $54.00, cost export (billed) $100.00.
    expect((await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--basis', 'metered'])).total.cost_usd).toBe(54);
    writeFileSync(join(dir, 'llmfin.yaml'), 'pricing:\n  discounts:\n    - { provider: openai, percent: 10 }\n');
    const dry = await runJson<{ rows_changed: number }>(['pricing', 'reprice', '--db', db, '--dry-run'], { cwd: dir });
    expect(dry.rows_changed).toBe(8);
    expect((await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--basis', 'metered'])).total.cost_usd).toBe(54);
    const r = await runJson<{ rows_changed: number; cost_before_usd: number; cost_after_usd: number }>(['pricing', 'reprice', '--db', db], { cwd: dir });
    // 4 usage-export rows + 4 proxy rows; (89.20 + 54.00) x 0.9 = 128.88.
    expect(r).toMatchObject({ rows_changed: 8, cost_before_usd: 143.2, cost_after_usd: 128.88 });
    expect((await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--basis', 'metered'])).total.cost_usd).toBe(48.6);
    expect((await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--basis', 'provider_usage'])).total.cost_usd).toBe(80.28);
    expect((await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--basis', 'billed'])).total.cost_usd).toBe(100);
    // Again: nothing more to do.
    expect((await runJson<{ rows_changed: number }>(['pricing', 'reprice', '--db', db], { cwd: dir })).rows_changed).toBe(0);
  });

  it('prices rows that were unpriced once their model is known', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const rows = join(dir, 'rows.jsonl');
    writeFileSync(rows, `${JSON.stringify({ id: 'a', ts: '2026-10-05T10:00:00Z', provider: 'acme', model: 'acme-large', input_tokens: 1_000_000, output_tokens: 100_000, team: 'x' })}\n`);
    expect((await runCli(['import', '--db', db, rows])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'pricing:\n  custom_models:\n    - { provider: acme, id: acme-large, input: 1.20, output: 4.80 }\n');
    const r = await runJson<{ rows_changed: number; newly_priced: number; cost_after_usd: number }>(['pricing', 'reprice', '--db', db], { cwd: dir });
    // 1M x 1.20 + 0.1M x 4.80 = 1.20 + 0.48 = 1.68 USD.
    expect(r).toMatchObject({ rows_changed: 1, newly_priced: 1, cost_after_usd: 1.68 });
    const report = await runJson<{ rows: Array<{ team: string; cost_usd: number; unpriced_rows: number }> }>(['report', '--db', db, '--by', 'team'], { cwd: dir });
    expect(report.rows).toEqual([expect.objectContaining({ team: 'x', cost_usd: 1.68, unpriced_rows: 0 })]);
    // The model gone from the config again: its one row keeps the price it has, said in the singular.
    writeFileSync(join(dir, 'llmfin.yaml'), 'pricing: {}\n');
    const lost = await runCli(['pricing', 'reprice', '--db', db, '--dry-run'], { cwd: dir });
    expect(lost.stdout).toContain(': 1 row read, 0 changed');
    expect(lost.stdout).toContain('  1 row no longer matches a catalogue model and keeps its old price');
  });

  it('gives a bill imported with usage but no price an estimate once its model is known; a bill without usage gets none', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const rows = join(dir, 'bills.jsonl');
    const bill = (id: string, usage: Record<string, number>) =>
      JSON.stringify({ id, ts: '2026-10-05T00:00:00Z', granularity: 'day', provider: 'acme', model: 'acme-large', provenance: 'billed', cost_usd: '2.00', ...usage });
    writeFileSync(rows, `${bill('with-usage', { input_tokens: 1_000_000, output_tokens: 100_000 })}\n${bill('amount-only', {})}\n`);
    expect((await runCli(['import', '--db', db, rows])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'pricing:\n  custom_models:\n    - { provider: acme, id: acme-large, input: 1.20, output: 4.80 }\n');
    const r = await runJson<Record<string, unknown>>(['pricing', 'reprice', '--db', db], { cwd: dir });
    // 1M x 1.20 + 0.1M x 4.80 = 1.68 USD beside the $2.00 bill; the amount-only bill stays without one.
    expect(r).toMatchObject({ rows_changed: 1, newly_priced: 0, newly_estimated: 1, estimate_before_usd: 0, estimate_after_usd: 1.68 });
    const { openLedger } = await import('../../src/ledger/index.js');
    const ledger = await openLedger(db);
    const stored = await ledger.db.selectFrom('usage_entries').select(['dedupe_key', 'cost_usd', 'cost_status', 'estimated_cost_usd']).orderBy('id').execute();
    await ledger.close();
    expect(stored.map((e) => [e.cost_usd, e.cost_status, e.estimated_cost_usd])).toEqual([
      ['2', 'billed', '1.68'],
      ['2', 'billed', null],
    ]);
    // Said in the table too; and a second run has nothing to do.
    const again = await runCli(['pricing', 'reprice', '--db', db, '--dry-run'], { cwd: dir });
    expect(again.stdout).toContain(': 1 row read, 0 changed');
    expect(again.stdout).not.toContain('had none');
  });

  it('keeps web searches on a model without a search fee unpriced, and prices them once the fee is known', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const rows = join(dir, 'rows.jsonl');
    writeFileSync(
      rows,
      [
        { id: 'o', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-5', input_tokens: 0, output_tokens: 0, web_search_requests: 3 },
        { id: 's', ts: '2026-10-05T11:00:00Z', provider: 'acme', model: 'acme-search', input_tokens: 0, output_tokens: 0, web_search_requests: 4 },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    expect((await runCli(['import', '--db', db, rows])).code).toBe(0);
    // acme-search with token rates but no search fee: its searches alone have no price, not $0.
    writeFileSync(join(dir, 'llmfin.yaml'), 'pricing:\n  custom_models:\n    - { provider: acme, id: acme-search, input: 1, output: 2 }\n');
    const r = await runJson<{ rows_changed: number; newly_priced: number; cost_before_usd: number; cost_after_usd: number }>(['pricing', 'reprice', '--db', db], { cwd: dir });
    // gpt-5's 3 searches: 3 x $0.01, unchanged.
    expect(r).toMatchObject({ rows_changed: 0, newly_priced: 0, cost_before_usd: 0.03, cost_after_usd: 0.03 });
    writeFileSync(join(dir, 'llmfin.yaml'), 'pricing:\n  custom_models:\n    - { provider: acme, id: acme-search, input: 1, output: 2, web_search: 0.025 }\n');
    // 4 x $0.025 = $0.10 more.
    expect(await runJson(['pricing', 'reprice', '--db', db], { cwd: dir })).toMatchObject({ rows_changed: 1, newly_priced: 1, cost_after_usd: 0.13 });
  });

  it('leaves an unpriced row without usage unpriced: an images bucket is not $0 because its model is known', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const page = join(dir, 'images.json');
    writeFileSync(
      page,
      '{"object":"page","data":[{"object":"bucket","start_time":1759276800,"end_time":1759363200,"results":[{"object":"organization.usage.images.result","images":4,"num_model_requests":4,"project_id":"proj_a","model":"gpt-image-1","size":"1024x1024","source":"image.generation"}]}]}',
    );
    expect((await runCli(['import', '--db', db, page])).code).toBe(0);
    expect(await runJson(['pricing', 'reprice', '--db', db])).toMatchObject({ rows_read: 0, rows_changed: 0, newly_priced: 0 });
    const report = await runJson<{ total: { unpriced_rows: number } }>(['report', '--db', db]);
    expect(report.total.unpriced_rows).toBe(1);
  });

  it('refuses a ledger that does not exist', async () => {
    const r = await runCli(['pricing', 'reprice', '--db', join(tempDir(), 'none.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no ledger there');
  });
});
