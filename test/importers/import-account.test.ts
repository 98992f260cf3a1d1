// `import --account NAME`: two organisations' exports that do not name their organisation
// (fixtures: test/fixtures/importers/anthropic-csv/SOURCE.md). The Console cost CSVs of
// two Anthropic organisations for Oct 1-2, both of workspace "Default":
//   org-chat:   12.50 + 30.00 + 10.25 + 20.00 = $72.75 (4 rows)
//   org-search: 12.50 +  7.75 +  1.10         = $21.35 (3 rows)
// Both are "cost:Default" to the ledger, so without --account the second import is taken
// for a corrected version of the first and replaces it.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { anthropicCsvImporter } from '../../src/importers/anthropic-csv/anthropic-csv-importer.js';
import { accountName } from '../../src/importers/import-account.js';
import { IMPORTERS } from '../../src/importers/registry.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { listBatches } from '../../src/ledger/queries/import-batches.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { UsageError } from '../../src/shared/errors.js';
import { editedCopy, freshLedger, importInto } from '../helpers/import.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));
const CHAT = fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-02-org-chat.csv');
const SEARCH = fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-02-org-search.csv');
const CUR = fx('aws-cur/cur2-2026-10.csv');
/** OpenAI's own Costs API example: one bucket, $0.06, grouped by nothing (no project, no organisation). */
const OPENAI_COSTS = fx('openai-costs/openapi-example-costs.json');

/** Cost and rows per account, as `report --by account` groups them. */
async function byAccount(ledger: LedgerStore): Promise<Array<[string | null, number, string]>> {
  const rows = await ledger.db
    .selectFrom('usage_entries')
    .select((eb) => ['account', eb.fn.countAll<number>().as('n'), eb.fn.sum<string>('cost_usd').as('usd')])
    .groupBy('account')
    .orderBy('account')
    .execute();
  return rows.map((r) => [r.account, Number(r.n), String(r.usd)]);
}

describe('two organisations\' Console CSVs of one period', () => {
  it('without --account the second replaces the first (one organisation\'s spend gone), and the summary names the batch it replaced', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, CHAT);
    const s = await importInto(ledger, anthropicCsvImporter, SEARCH);
    // All 4 of org-chat's rows: the Oct 1 input line by its key, the rest by the sweep.
    expect(s).toMatchObject({ account: null, rowsImported: 3, rowsReplaced: 4, replacedBatches: [{ batchId: 1, file: CHAT, account: null, rows: 4 }] });
    expect((await ledgerTotals(ledger)).by_provenance.billed).toMatchObject({ rows: 3, cost_usd: '21.35' });
    await ledger.close();
  });

  it('with --account each keeps its rows: $72.75 + $21.35 = $94.10, and nothing is replaced', async () => {
    const ledger = await freshLedger();
    const chat = await importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-chat' });
    const search = await importInto(ledger, anthropicCsvImporter, SEARCH, { account: 'acme-search' });
    expect(chat).toMatchObject({ account: 'acme-chat', rowsImported: 4, rowsReplaced: 0, costUsd: '72.75' });
    // The Oct 1 input line is the same row in both files: another organisation's, so not a duplicate.
    expect(search).toMatchObject({ account: 'acme-search', rowsImported: 3, rowsSkipped: 0, rowsReplaced: 0, replacedBatches: [], costUsd: '21.35' });
    expect((await ledgerTotals(ledger)).by_provenance.billed).toMatchObject({ rows: 7, cost_usd: '94.1' });
    expect(await byAccount(ledger)).toEqual([
      ['acme-chat/cost:Default', 4, '72.75'],
      ['acme-search/cost:Default', 3, '21.35'],
    ]);
    // Recorded on the batch, for `import --list`.
    expect((await listBatches(ledger)).map((b) => [b.id, b.account, b.cost_usd])).toEqual([[1, 'acme-chat', '72.75'], [2, 'acme-search', '21.35']]);
    const keys = await ledger.db.selectFrom('usage_entries').select('dedupe_key').orderBy('id').execute();
    expect(keys[0]!.dedupe_key.startsWith('@acme-chat|anthropic-csv|cost|2026-10-01|')).toBe(true);
    await ledger.close();
  });

  it('a corrected export under its --account replaces that organisation\'s period only', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-chat' });
    await importInto(ledger, anthropicCsvImporter, SEARCH, { account: 'acme-search' });
    // org-chat's corrected download: the Oct 1 output line $30.00 → $31.00, the Oct 2 output line gone.
    const corrected = editedCopy(CHAT, 'org-chat-corrected.csv', (t) => t.replace(',output,30.00,30.00,', ',output,31.00,31.00,').replace(/\n2026-10-02,[^\n]*,output,[^\n]*/, ''));
    const s = await importInto(ledger, anthropicCsvImporter, corrected, { account: 'acme-chat' });
    // 3 rows re-sent (by key) + the Oct 2 output line swept = 4 of batch 1.
    expect(s).toMatchObject({ rowsImported: 3, rowsReplaced: 4, replacedBatches: [{ batchId: 1, rows: 4, account: 'acme-chat' }] });
    // acme-chat: 12.50 + 31.00 + 10.25 = $53.75; acme-search untouched, $21.35; together $75.10.
    expect(await byAccount(ledger)).toEqual([
      ['acme-chat/cost:Default', 3, '53.75'],
      ['acme-search/cost:Default', 3, '21.35'],
    ]);
    expect((await ledgerTotals(ledger)).by_provenance.billed).toMatchObject({ rows: 6, cost_usd: '75.1' });
    await ledger.close();
  });

  it('a dry run with --account counts the rows as the import would: none replaced', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-chat' });
    const dry = await importInto(ledger, anthropicCsvImporter, SEARCH, { account: 'acme-search', dryRun: true });
    expect(dry).toMatchObject({ status: 'dry-run', account: 'acme-search', rowsImported: 3, rowsReplaced: 0 });
    const without = await importInto(ledger, anthropicCsvImporter, SEARCH, { dryRun: true });
    // Without --account its rows are not acme-chat's account: they would replace nothing either.
    expect(without).toMatchObject({ account: null, rowsImported: 3, rowsReplaced: 0 });
    expect((await ledgerTotals(ledger)).by_provenance.billed).toMatchObject({ rows: 4, cost_usd: '72.75' });
    await ledger.close();
  });
});

describe('without --account nothing changes for existing ledgers', () => {
  it('rows keep their account and key as before, the same file twice changes nothing, and a re-export of the same rows dedupes against them', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, CHAT);
    const rows = await ledger.db.selectFrom('usage_entries').select(['account', 'dedupe_key']).orderBy('id').execute();
    // The key as it was made before --account existed: a re-import finds the rows by it.
    expect(rows[0]).toEqual({ account: 'cost:Default', dedupe_key: 'anthropic-csv|cost|2026-10-01|Claude Sonnet 4.5|Default||prod|message|≤ 200k|input_no_cache|token|global|standard' });
    expect(await importInto(ledger, anthropicCsvImporter, CHAT)).toMatchObject({ status: 'already-imported', batchId: 1, account: null });
    // The same rows in another file (a re-download with a trailing newline): replaced one for one.
    const again = editedCopy(CHAT, 'org-chat-again.csv', (t) => `${t}\n`);
    expect(await importInto(ledger, anthropicCsvImporter, again)).toMatchObject({ status: 'imported', rowsImported: 4, rowsReplaced: 4 });
    expect((await ledgerTotals(ledger)).by_provenance.billed).toMatchObject({ rows: 4, cost_usd: '72.75' });
    await ledger.close();
  });

  it('a file already imported under an account is already imported without --account; under another account it is refused, the ledger unchanged', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-chat' });
    expect(await importInto(ledger, anthropicCsvImporter, CHAT)).toMatchObject({ status: 'already-imported', batchId: 1, account: 'acme-chat' });
    expect(await importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-chat' })).toMatchObject({ status: 'already-imported', batchId: 1 });
    // The same bytes under another name would be counted twice ($145.50): refused.
    await expect(importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-search' })).rejects.toThrow(
      `--account: ${CHAT} was already imported with --account acme-chat (batch 1); the same file filed under acme-search too would be counted twice`,
    );
    const ledger2 = await freshLedger();
    await importInto(ledger2, anthropicCsvImporter, CHAT);
    await expect(importInto(ledger2, anthropicCsvImporter, CHAT, { account: 'acme-chat' })).rejects.toThrow(/was already imported without --account \(batch 1\).*counted twice/);
    for (const l of [ledger, ledger2]) {
      expect((await ledgerTotals(l)).by_provenance.billed).toMatchObject({ rows: 4, cost_usd: '72.75' });
      expect(await listBatches(l)).toHaveLength(1);
      await l.close();
    }
  });
});

describe('an organisation with nothing to show', () => {
  it("two organisations' downloads with no rows (the same bytes: the header alone) are each imported under their name, and again are already imported", async () => {
    const ledger = await freshLedger();
    const empty = editedCopy(CHAT, 'org-empty.csv', (t) => `${t.split('\n')[0]!}\n`);
    expect(await importInto(ledger, anthropicCsvImporter, empty, { account: 'acme-chat' })).toMatchObject({ status: 'imported', batchId: 1, rowsRead: 0 });
    // Nothing of it is in the ledger, so nothing could be counted twice ($0 + $0): no refusal.
    expect(await importInto(ledger, anthropicCsvImporter, empty, { account: 'acme-search' })).toMatchObject({ status: 'imported', batchId: 2, account: 'acme-search', rowsRead: 0 });
    expect(await importInto(ledger, anthropicCsvImporter, empty, { account: 'acme-chat' })).toMatchObject({ status: 'already-imported', batchId: 1, account: 'acme-chat' });
    expect(await importInto(ledger, anthropicCsvImporter, empty, { account: 'acme-search' })).toMatchObject({ status: 'already-imported', batchId: 2, account: 'acme-search' });
    expect((await listBatches(ledger)).map((b) => [b.id, b.account, b.rows_imported])).toEqual([[1, 'acme-chat', 0], [2, 'acme-search', 0]]);
    // A file with rows under one name is still refused under another, though a 0-row batch of its bytes exists too.
    await importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-chat' });
    await expect(importInto(ledger, anthropicCsvImporter, CHAT, { account: 'acme-search' })).rejects.toThrow(/was already imported with --account acme-chat \(batch 3\)/);
    await ledger.close();
  });
});

describe('--account by source', () => {
  it('every source says what --account does with its files', () => {
    const prefix = IMPORTERS.filter((i) => i.accountOption === 'prefix').map((i) => i.id).sort();
    expect(prefix).toEqual(['anthropic-cost', 'anthropic-csv', 'anthropic-usage', 'litellm-activity', 'openai-costs', 'openai-csv', 'openai-usage']);
    for (const i of IMPORTERS) if (i.accountOption !== 'prefix') expect(i.accountOption?.refused, i.id).toMatch(/\w/);
  });

  it('is refused for a source whose rows name their account (a CUR), naming the file and the source, before anything is written', async () => {
    const ledger = await freshLedger();
    await expect(importInto(ledger, IMPORTERS, CUR, { account: 'acme-eu' })).rejects.toThrow(new RegExp(`^--account: ${CUR} \\(aws-cur\\): every CUR row names its AWS account .*; import it without --account$`));
    expect(await listBatches(ledger)).toEqual([]);
    await ledger.close();
  });

  it('keeps two organisations\' OpenAI Costs API pages apart too: ungrouped, they name no project and no organisation', async () => {
    // The example bucket ($0.06) and another organisation's of the same day ($0.10).
    const other = editedCopy(OPENAI_COSTS, 'other-org-costs.json', (t) => t.replace('"value": 0.06', '"value": 0.1'));
    const lost = await freshLedger();
    await importInto(lost, IMPORTERS, OPENAI_COSTS);
    expect(await importInto(lost, IMPORTERS, other)).toMatchObject({ source: 'openai-costs', rowsReplaced: 1 });
    expect((await ledgerTotals(lost)).by_provenance.billed).toMatchObject({ rows: 1, cost_usd: '0.1' });
    const kept = await freshLedger();
    await importInto(kept, IMPORTERS, OPENAI_COSTS, { account: 'org-a' });
    expect(await importInto(kept, IMPORTERS, other, { account: 'org-b' })).toMatchObject({ rowsReplaced: 0 });
    // 0.06 + 0.10 = $0.16
    expect((await ledgerTotals(kept)).by_provenance.billed).toMatchObject({ rows: 2, cost_usd: '0.16' });
    expect(await byAccount(kept)).toEqual([['org-a', 1, '0.06'], ['org-b', 1, '0.1']]);
    await lost.close();
    await kept.close();
  });

  it('an empty or odd name is a usage error saying what is expected', () => {
    expect(accountName('acme-eu')).toBe('acme-eu');
    expect(accountName('org_01.EU')).toBe('org_01.EU');
    for (const [raw, got] of [['', 'got an empty value'], ['  ', 'got an empty value'], ['acme eu', 'got "acme eu"'], ['acme/eu', 'got "acme/eu"'], ['a:b', 'got "a:b"'], ['-x', 'got "-x"'], ['a|b', 'got "a|b"'], ['x'.repeat(65), 'at most 64 characters, got 65']] as const) {
      expect(() => accountName(raw), raw).toThrow(UsageError);
      expect(() => accountName(raw), raw).toThrow(new RegExp(`^--account: expected an organisation name of letters, digits, .*${got.replace(/[|]/g, '\\|')}$`));
    }
  });
});
