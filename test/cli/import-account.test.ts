// `llmfin import FILE --account NAME` as a user runs it: two Anthropic organisations'
// Console cost CSVs of Oct 1-2, both of workspace "Default" (fixtures' SOURCE.md):
// org-chat $72.75 (4 rows), org-search $21.35 (3 rows).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));

/** A folder with the two organisations' downloads as chat.csv and search.csv. */
function twoOrganisations(): string {
  const cwd = tempDir();
  copyFileSync(fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-02-org-chat.csv'), join(cwd, 'chat.csv'));
  copyFileSync(fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-02-org-search.csv'), join(cwd, 'search.csv'));
  copyFileSync(fx('aws-cur/cur2-2026-10.csv'), join(cwd, 'cur.csv'));
  return cwd;
}

interface ByAccount { rows: Array<{ account: string; cost_usd: number }>; total: { cost_usd: number } }

describe('llmfin import --account', () => {
  it('keeps two organisations apart: report --by account shows both, $72.75 + $21.35 = $94.10, and import --list shows the account', async () => {
    const cwd = twoOrganisations();
    const chat = await runCli(['import', 'chat.csv', '--account', 'acme-chat', '--db', 'l.db'], { cwd });
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout.split('\n')[0]).toBe('chat.csv (anthropic-csv, account acme-chat): imported as batch 1');
    const search = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', 'search.csv', '--account', 'acme-search', '--db', 'l.db'], { cwd });
    expect(search.rows[0]).toMatchObject({ account: 'acme-search', rows_imported: 3, rows_replaced: 0, replaced_batches: [], cost_usd: 21.35 });

    const report = await runJson<ByAccount>(['report', '--by', 'account', '--db', 'l.db'], { cwd });
    expect(report.rows.map((r) => [r.account, r.cost_usd])).toEqual([['acme-chat/cost:Default', 72.75], ['acme-search/cost:Default', 21.35]]);
    expect(report.total.cost_usd).toBe(94.1);

    const list = await runCli(['import', '--list', '--db', 'l.db'], { cwd });
    expect(list.stdout).toMatch(/BATCH +SOURCE +IMPORTED +ROWS +COST +ACCOUNT +FILE\n/);
    expect(list.stdout).toMatch(/ 1 +anthropic-csv .* 4 +\$72\.75 +acme-chat +chat\.csv\n/);
    const listed = await runJson<{ rows: Array<{ id: number; account: string | null }> }>(['import', '--list', '--db', 'l.db'], { cwd });
    expect(listed.rows.map((b) => [b.id, b.account])).toEqual([[1, 'acme-chat'], [2, 'acme-search']]);
  });

  it('without --account the second file replaces the first, and the summary says so in one line, naming the batch, its file and --account', async () => {
    const cwd = twoOrganisations();
    expect((await runCli(['import', 'chat.csv', '--db', 'l.db'], { cwd })).code).toBe(0);
    const dry = await runCli(['import', 'search.csv', '--dry-run', '--db', 'l.db'], { cwd });
    expect(dry.stdout).toContain(
      "\n  would replace 4 rows of batch #1 from chat.csv as an earlier version of this export; if that file is another organisation's, import each with --account NAME to keep two organisations apart\n",
    );
    const r = await runCli(['import', 'search.csv', '--db', 'l.db'], { cwd });
    expect(r.stdout).toContain(
      "\n  replaced 4 rows of batch #1 from chat.csv as an earlier version of this export; if that file is another organisation's, undo the imports (llmfin import --undo 2 and --undo 1) and import each file again with --account NAME to keep two organisations apart",
    );
    // One line, not two warnings.
    expect(r.stdout.match(/replaced 4 rows of batch/g)).toHaveLength(1);
    const json = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', 'chat.csv', '--dry-run', '--db', 'l.db'], { cwd });
    expect(json.rows[0]).toMatchObject({ status: 'already-imported', account: null });
    // Following the advice brings both back: $94.10.
    for (const args of [['--undo', '2'], ['--undo', '1'], ['chat.csv', '--account', 'acme-chat'], ['search.csv', '--account', 'acme-search']]) {
      const step = await runCli(['import', ...args, '--db', 'l.db'], { cwd });
      expect(step.code, step.stderr).toBe(0);
      expect(step.stdout).not.toContain('earlier version');
    }
    expect((await runJson<ByAccount>(['report', '--by', 'account', '--db', 'l.db'], { cwd })).total.cost_usd).toBe(94.1);
  });

  it('an empty or odd --account, --account for a source whose rows name their account, and --account with --list are exit 2 before the ledger is opened', async () => {
    const cwd = twoOrganisations();
    const cases: Array<[string[], string]> = [
      [['chat.csv', '--account', ''], 'llmfin: error: --account: expected an organisation name of letters, digits, ".", "_" or "-" starting with a letter or digit, such as acme-eu or org-2, got an empty value\n'],
      [['chat.csv', '--account', 'acme eu'], 'llmfin: error: --account: expected an organisation name of letters, digits, ".", "_" or "-" starting with a letter or digit, such as acme-eu or org-2, got "acme eu"\n'],
      [['chat.csv', 'cur.csv', '--account', 'acme-eu'], "llmfin: error: --account: cur.csv (aws-cur): every CUR row names its AWS account (line_item_usage_account_id or the payer), which no other organisation's bill shares; import it without --account\n"],
      [['--list', '--account', 'acme-eu'], 'llmfin: error: --account names the organisation of files being imported; it does not go with --list\n'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['import', ...args, '--db', 'l.db'], { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]! + '\n', args.join(' ')).toBe(message);
      expect(r.stdout).toBe('');
    }
    // chat.csv, ahead of cur.csv, was not imported either: the ledger was never created.
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
  });

  it('a file under --account whose days the ledger holds unnamed rows of the same source for warns that they may be counted twice', async () => {
    const cwd = twoOrganisations();
    expect((await runCli(['import', 'chat.csv', '--db', 'l.db'], { cwd })).code).toBe(0);
    // org-chat's download again, now under its name: the first import's rows are not replaced.
    const named = await runCli(['import', 'search.csv', '--account', 'acme-chat', '--db', 'l.db'], { cwd });
    expect(named.code).toBe(0);
    expect(named.stderr).toBe(
      'warning: search.csv (anthropic-csv, account acme-chat) covers 2026-10-01 … 2026-10-02, where the ledger also holds anthropic-csv rows imported without --account (batch 1 from chat.csv): ' +
        "if they are acme-chat's, reports count those days twice; undo them (llmfin import --undo ID) and import their files again with --account acme-chat\n",
    );
    // Nothing was replaced: 72.75 + 21.35.
    expect((await runJson<ByAccount>(['report', '--by', 'account', '--db', 'l.db'], { cwd })).total.cost_usd).toBe(94.1);
    // Named beside named rows: no warning.
    const other = tempDir();
    copyFileSync(join(cwd, 'chat.csv'), join(other, 'chat.csv'));
    copyFileSync(join(cwd, 'search.csv'), join(other, 'search.csv'));
    expect((await runCli(['import', 'chat.csv', '--account', 'acme-chat', '--db', 'l.db'], { cwd: other })).stderr).toBe('');
    expect((await runCli(['import', 'search.csv', '--account', 'acme-search', '--db', 'l.db'], { cwd: other })).stderr).toBe('');
  });

  it('a ledger restored from its export (source llmfin) keeps both organisations when one of them imports a corrected file under its name', async () => {
    const cwd = twoOrganisations();
    for (const args of [['chat.csv', '--account', 'acme-chat'], ['search.csv', '--account', 'acme-search']]) {
      expect((await runCli(['import', ...args, '--db', 'l.db'], { cwd })).code).toBe(0);
    }
    expect((await runCli(['export', '--out', 'all.jsonl', '--db', 'l.db'], { cwd })).code).toBe(0);
    // The export read back into a new ledger: one batch of source llmfin holding both organisations' rows.
    const restored = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', 'all.jsonl', '--db', 'r.db'], { cwd });
    expect(restored.rows[0]).toMatchObject({ source: 'llmfin', rows_imported: 7, cost_usd: 94.1 });
    const before = await runJson<ByAccount>(['report', '--by', 'account', '--db', 'r.db'], { cwd });
    expect(before.rows.map((r) => [r.account, r.cost_usd])).toEqual([['acme-chat/cost:Default', 72.75], ['acme-search/cost:Default', 21.35]]);
    // org-chat's corrected download: the Oct 1 output line $30.00 -> $31.00, the Oct 2 output line gone.
    writeFileSync(
      join(cwd, 'chat-corrected.csv'),
      readFileSync(join(cwd, 'chat.csv'), 'utf8').replace(',output,30.00,30.00,', ',output,31.00,31.00,').replace(/\n2026-10-02,[^\n]*,output,[^\n]*/, ''),
    );
    const run = await runCli(['import', 'chat-corrected.csv', '--account', 'acme-chat', '--format', 'json', '--db', 'r.db'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    // The restored rows were imported with --account (their keys say so): no warning that
    // would have the user undo the whole restored ledger.
    expect(run.stderr).toBe('');
    const corrected = JSON.parse(run.stdout) as { rows: Array<Record<string, unknown>> };
    // acme-chat's 4 rows (3 re-sent, the Oct 2 output line swept), not acme-search's 3 beside them in the restored batch.
    expect(corrected.rows[0]).toMatchObject({ rows_imported: 3, rows_replaced: 4, replaced_batches: [{ batch_id: 1, file: 'all.jsonl', account: null, rows: 4 }] });
    // acme-chat 12.50 + 31.00 + 10.25 = $53.75; acme-search untouched, $21.35; together $75.10.
    const after = await runJson<ByAccount>(['report', '--by', 'account', '--db', 'r.db'], { cwd });
    expect(after.rows.map((r) => [r.account, r.cost_usd])).toEqual([['acme-chat/cost:Default', 53.75], ['acme-search/cost:Default', 21.35]]);
    expect(after.total.cost_usd).toBe(75.1);
  });

  it("undoing one organisation's corrected import names only that organisation's earlier batches, never another's it did not replace", async () => {
    const cwd = twoOrganisations();
    const edit = (from: string, to: string, change: (t: string) => string) => writeFileSync(join(cwd, to), change(readFileSync(join(cwd, from), 'utf8')));
    // Each organisation's corrected download: org-chat's Oct 1 output $30.00 -> $31.00, org-search's $7.75 -> $8.75.
    edit('chat.csv', 'chat-v2.csv', (t) => t.replace(',output,30.00,30.00,', ',output,31.00,31.00,'));
    edit('search.csv', 'search-v2.csv', (t) => t.replace(',output,7.75,7.75,', ',output,8.75,8.75,'));
    // Batches 1 chat, 2 chat-v2 (replaces 1), 3 search, 4 search-v2 (replaces 3).
    for (const [file, name] of [['chat.csv', 'acme-chat'], ['chat-v2.csv', 'acme-chat'], ['search.csv', 'acme-search'], ['search-v2.csv', 'acme-search']] as const) {
      expect((await runCli(['import', file, '--account', name, '--db', 'l.db'], { cwd })).code).toBe(0);
    }
    const undo = await runCli(['import', '--undo', '4', '--db', 'l.db'], { cwd });
    expect(undo.code).toBe(0);
    // Batch 1 is short because of batch 2, acme-chat's own correction: undoing it and importing
    // chat.csv again, as the advice says of the batches it names, would put back org-chat's old $30.00 line.
    expect(undo.stderr).toBe(
      'warning: batch 4 had replaced 3 rows of earlier anthropic-csv imports, and undo does not bring them back: batch 3 (search.csv) holds 0 of its 3 rows. ' +
        'To restore one, undo it too (llmfin import --undo ID) and import its file again\n',
    );
    // acme-chat's corrected 12.50 + 31.00 + 10.25 + 20.00 = $73.75 stays; acme-search's rows went with batch 4.
    const after = await runJson<ByAccount>(['report', '--by', 'account', '--db', 'l.db'], { cwd });
    expect(after.rows.map((r) => [r.account, r.cost_usd])).toEqual([['acme-chat/cost:Default', 73.75]]);
  });

  it('`llmfin sources --format json` says which sources take --account', async () => {
    const sources = await runJson<{ rows: Array<{ id: string; takes_account: boolean }> }>(['sources']);
    expect(sources.rows.filter((r) => r.takes_account).map((r) => r.id).sort()).toEqual(['anthropic-cost', 'anthropic-csv', 'anthropic-usage', 'litellm-activity', 'openai-costs', 'openai-csv', 'openai-usage']);
  });

  it('the same file under another account is exit 2 with the batch to undo; without --account it is already imported', async () => {
    const cwd = twoOrganisations();
    expect((await runCli(['import', 'chat.csv', '--account', 'acme-chat', '--db', 'l.db'], { cwd })).code).toBe(0);
    const again = await runCli(['import', 'chat.csv', '--db', 'l.db'], { cwd });
    expect(again.stdout.split('\n')[0]).toBe('chat.csv (anthropic-csv, account acme-chat): already imported, nothing changed');
    const other = await runCli(['import', 'chat.csv', '--account', 'acme-search', '--db', 'l.db'], { cwd });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      'llmfin: error: --account: chat.csv was already imported with --account acme-chat (batch 1); the same file filed under acme-search too would be counted twice\n' +
        'hint: to file it under acme-search instead, undo that import first (llmfin import --undo 1) and import it again with --account acme-search\n',
    );
    expect((await runJson<ByAccount>(['report', '--by', 'account', '--db', 'l.db'], { cwd })).total.cost_usd).toBe(72.75);
  });
});
