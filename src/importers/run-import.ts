/**
 * Imports one file: choose the importer (forced, or the one whose `detect` accepts the
 * content), recognise a file already imported by its sha256, stream its rows into one
 * transaction, and summarise. A bad row aborts the file with `file:line: column:
 * message` and the ledger unchanged, unless `skipInvalid`, which imports the good rows
 * and writes the bad ones, with reasons, to a rejects file.
 */
import { statSync } from 'node:fs';
import type { ImportContext, Importer, ImportItem } from './importer.js';
import { IMPORTERS, importerById } from './registry.js';
import type { ImportProgress } from './import-progress.js';
import { recordInWriterThread, writerThreadAvailable } from './record-in-writer-thread.js';
import { RejectsFile } from './rejects-file.js';
import { itemBlocks } from './item-blocks.js';
import { fileSha256, fileSha256InThread, hashThreadAvailable } from './file-sha256.js';
import { entryOutOfRange } from './entry-range.js';
import { accountName, assertAccountOption, fileUnderAccount } from './import-account.js';
import { openSourceInput, readSample } from './source-input.js';
import { unreadableDocument } from './json-document.js';
import { AllRowsRejectedError } from './all-rows-rejected.js';
import { CHARGE_CATEGORIES, type ChargeCategory, type NewUsageEntry } from '../ledger/ledger-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { batchesByHash, findBatchByHash, sizeImportedBefore } from '../ledger/queries/find-batch-by-hash.js';
import { batchFiles } from '../ledger/queries/import-batches.js';
import { recordImportStream, refusingOverlaps, type StatedPeriod, type StreamImportOptions } from '../ledger/queries/record-import-stream.js';
import type { OverlapFinding } from '../ledger/queries/overlapping-batches.js';
import { OverlapRefusedError } from './overlap-refused.js';
import { writeImportedInvoice, type ImportedInvoiceStatus, type InvoiceInput } from '../ledger/queries/insert-invoice.js';
import { InputError, UsageError } from '../shared/errors.js';
import { ticksToUsd } from '../shared/money.js';
import { isResolved, resolveModel } from '../pricing/resolve-model.js';

export interface RunImportOptions {
  source?: string | undefined;
  dryRun?: boolean | undefined;
  skipInvalid?: boolean | undefined;
  /** Where rejected rows go with `skipInvalid` (default: FILE.rejects.jsonl). */
  rejectsPath?: string | undefined;
  /**
   * Add to the rejects file instead of starting it afresh: an earlier file of the same
   * command wrote its rejects there (one `--rejects` file for several files).
   */
  appendRejects?: boolean | undefined;
  /** Called as rows are recorded: counts, and bytes read for the share done and the ETA. */
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  llmfinVersion: string;
  /**
   * `--account NAME`: the organisation the file comes from, for a source whose exports do
   * not say (import-account.ts); put before each row's account and dedupe key and
   * recorded on the batch. Refused for a source whose rows name their account.
   */
  account?: string | undefined;
  /** The importers to choose from (default: the registry). */
  importers?: readonly Importer[] | undefined;
  /**
   * Batches of the files imported before this one by the same command: a file that shares
   * no row with one of them is another part of the same export, not its corrected version
   * (StreamImportOptions.partsOf).
   */
  partsOf?: readonly number[] | undefined;
  /**
   * `--allow-overlap`: the file is other usage than the earlier imports of its source it
   * leaves beside itself on its days (another project's export), so it is neither refused
   * nor warned about for them (overlapping-batches.ts).
   */
  allowOverlap?: boolean | undefined;
}

export interface ImportSummary {
  file: string;
  source: string;
  status: 'imported' | 'already-imported' | 'dry-run';
  batchId: number | null;
  /** The organisation the rows are filed under (`--account`; for a file already imported, the one it was imported with), or null. */
  account: string | null;
  rowsRead: number;
  rowsImported: number;
  rowsSkipped: number;
  rowsReplaced: number;
  /**
   * The earlier imports whose rows this one replaced, how many of each, and their file; a
   * null batch id is a file given earlier in the same dry run, which has no batch.
   */
  replacedBatches: Array<{ batchId: number | null; file: string | null; account: string | null; rows: number }>;
  rowsRejected: number;
  rejectsFile: string | null;
  /** Per provider and provenance: rows and exact cost. */
  /** Rows and cost per provider and provenance; `unpriced_rows` of them have no price (cost unknown, not in cost_usd). */
  byProvider: Array<{ provider: string; provenance: string; rows: number; cost_usd: string; unpriced_rows: number }>;
  /**
   * Per charge category (usage, tax, credit, fee, support, non_llm, unclassified), in that
   * order: reports count `usage` alone, so a bill's total differs from theirs by the rest.
   */
  byCategory: Array<{ category: ChargeCategory; rows: number; cost_usd: string }>;
  costUsd: string;
  /** The earliest and latest row time (ISO, UTC) in the file: null without rows. An export of the wrong month shows here. */
  firstTs: string | null;
  lastTs: string | null;
  unpricedModels: string[];
  /** Rows with no price (cost unknown, never $0): those of unpricedModels and the others, each with its reason. */
  unpricedRows: number;
  /**
   * Why rows were left unpriced other than a model the catalogue lacks: no model (a usage
   * export not grouped by model, a non-token meter), or money with no tokens
   * ("google/gemini-2.5-flash: no token counts; …").
   */
  unpricedReasons: string[];
  unclassified: string[];
  /** What the file says of itself that its rows do not show: API pages that end on one saying more follow, trace spans none of which is a model call. */
  notes: string[];
  /** The file's last line, left unread because its writer had not finished it (see ImportItem 'unfinished'), or null. */
  unfinishedLine: number | null;
  /** Invoices in the file: recorded, or already there (same provider and number) and left alone. */
  /** `total_usd` is in the invoice's own `currency`: USD unless the invoice says otherwise (then reports list it apart, never as dollars). */
  invoices: Array<{ provider: string; number: string; total_usd: string; currency: string; status: ImportedInvoiceStatus | 'dry-run'; notes: string[] }>;
  /**
   * Earlier imports of the source left beside this one on days both cover, which may be
   * the same usage counted twice (`maybe`: warned about; the surer findings refuse the file).
   */
  overlaps: OverlapFinding[];
}

/**
 * Whether an import looks for the same usage imported before under another grouping: a
 * provider's usage or bill that replaces its period (metered rows are keyed by request,
 * and never the same usage twice), unless `--allow-overlap`. A source whose accounts are
 * groupings one organisation's usage is split by (`--account` takes NAME before them)
 * also compares totals with batches of other accounts.
 */
function overlapGuard(importer: Importer, options: RunImportOptions): StreamImportOptions['overlaps'] {
  if (!importer.replacesPeriod || importer.provenance === 'metered' || options.allowOverlap === true) return undefined;
  return { groupedAccounts: importer.accountOption === 'prefix', kindInAccount: importer.kindInAccount === true, groupOwnsUsage: importer.groupOwnsUsage === true, refuse: true };
}

/** Picks the importer: forced with `--source`, else the first whose detect accepts the file. */
export function chooseImporter(path: string, fileName: string, forced: string | undefined, importers: readonly Importer[] = IMPORTERS): Importer {
  if (forced !== undefined) {
    const importer = importers === IMPORTERS ? importerById(forced) : importers.find((i) => i.id === forced);
    if (!importer) throw new UsageError(`--source: unknown source "${forced}" (known: ${importers.map((i) => i.id).join(', ')})`, { option: '--source' });
    // Read even when the source has no refusal of its own: a ZIP or Parquet file is refused here, by name.
    const sample = readSample(path, fileName);
    const refusal = importer.refuseForced?.(sample);
    if (refusal !== undefined) throw new InputError(fileName, undefined, refusal.message, { hint: refusal.hint });
    return importer;
  }
  const sample = readSample(path, fileName);
  if (sample.head.trim() === '') throw new InputError(fileName, undefined, 'the file is empty (or blank): there is nothing to import', { hint: 'check that the export finished writing, or that this is the file you meant' });
  const reasons: string[] = [];
  for (const importer of importers) {
    const verdict = importer.detect(sample);
    if (verdict.ok) return importer;
    reasons.push(`  ${importer.id}: ${verdict.reason}`);
  }
  const separator = otherSeparator(sample.head);
  throw new InputError(fileName, undefined, `not a file any import source recognises; tried:\n${reasons.join('\n')}`, {
    hint: separator ? separatorHint(separator) : 'force one with --source ID (see `llmfin sources`)',
  });
}

function separatorHint(separator: string): string {
  return `its first line is separated by ${separator}, not commas (a spreadsheet's export in some locales): save it from the spreadsheet as "CSV UTF-8 (comma delimited)", with "." as the decimal mark, and import that`;
}

/** `";"` or `tabs` when the first line of a text reads as a header split by that instead of commas. */
function otherSeparator(head: string): string | undefined {
  const first = head.slice(0, head.search(/\r?\n|$/));
  if (first.trimStart().startsWith('{') || first.trimStart().startsWith('[')) return undefined;
  const count = (c: string) => first.split(c).length - 1;
  const commas = count(',');
  if (count(';') >= 2 && count(';') > commas) return '";"';
  if (count('\t') >= 2 && count('\t') > commas) return 'tabs';
  return undefined;
}

type InvoiceSummary = ImportSummary['invoices'][number];

/** One invoice of the file as the summary lists it, whichever thread wrote it. */
function invoiceSummary(item: { invoice: InvoiceInput; notes?: string[] | undefined }, status: InvoiceSummary['status']): InvoiceSummary {
  const { invoice } = item;
  return { provider: invoice.provider, number: invoice.number, total_usd: invoice.total_usd, currency: invoice.currency ?? 'USD', status, notes: item.notes ?? [] };
}

/**
 * Why a row without a model has no price: the first clause of its description ("no model:
 * export the usage grouped by model to price it", "vector_stores: not priced per token …"),
 * without the pricer's own "unpriced: no model …" note appended to it.
 */
function unpricedReason(description: string | null | undefined): string {
  const first = description?.split('; ')[0]?.trim();
  return first ? first : 'no model';
}

/** Whether the ledger has a row of `source` whose key sorts below `below`: one probe of the (source, dedupe_key) index. */
async function holdsLegacyKeys(ledger: LedgerStore, source: string, below: string): Promise<boolean> {
  const row = await ledger.db.selectFrom('usage_entries').select('id').where('source', '=', source).where('dedupe_key', '<', below).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * The earlier import of these bytes that an import under `account` is: the one filed under
 * it, else one under another name (or none) that recorded rows (refused by the caller).
 */
async function previousUnder(ledger: LedgerStore, source: string, hash: string, account: string) {
  const batches = await batchesByHash(ledger, source, hash);
  return batches.find((b) => b.account === account) ?? batches.find((b) => b.rows_imported > 0);
}

/**
 * When `--source` forced a source that would not have taken the file, why not, and the
 * source that would: the hint for a file that fails on its first row, which is then
 * more likely another source's file than a file with a bad row.
 */
function forcedAgainstDetection(importer: Importer, path: string, fileName: string, importers: readonly Importer[]): string | undefined {
  const sample = readSample(path, fileName);
  const own = importer.detect(sample);
  if (own.ok) return undefined;
  const other = importers.find((i) => i !== importer && i.detect(sample).ok);
  // A spreadsheet's ";" or tab export of the right file is refused by its header too: say why.
  const separator = other ? undefined : otherSeparator(sample.head);
  const instead = other
    ? `; detection takes it as ${other.id}: drop --source to import it as that`
    : separator
      ? `; ${separatorHint(separator)}`
      : '; check that this is the file you meant';
  return `nothing was imported from this file; --source ${importer.id} would not have chosen it (${own.reason})${instead}`;
}

/** An import's running totals for one provider and provenance (the summary's byProvider). */
interface ProviderGroup {
  provider: string;
  provenance: string;
  rows: number;
  ticks: bigint;
  unpriced: number;
}

export async function runImport(ledger: LedgerStore, fileName: string, path: string, ctx: Omit<ImportContext, 'fileName'>, options: RunImportOptions): Promise<ImportSummary> {
  const importer = chooseImporter(path, fileName, options.source, options.importers);
  // Asked only of a forced file whose first row fails: a file that reads well needs no second sample and no detector.
  const mismatch = () => (options.source === undefined ? undefined : forcedAgainstDetection(importer, path, fileName, options.importers ?? IMPORTERS));
  const account = options.account === undefined ? undefined : accountName(options.account);
  assertAccountOption(importer, fileName, account);
  const totalBytes = statSync(path).size;
  const writerThread = !options.dryRun && writerThreadAvailable(ledger.path, totalBytes);
  // A large file of a size no earlier import of this source read cannot be one of them:
  // its hash is made on a thread of its own while its rows are read (file-sha256.ts).
  const hashLater = writerThread && hashThreadAvailable() && !(await sizeImportedBefore(ledger, importer.id, totalBytes));
  const hash = hashLater ? undefined : fileSha256(path);
  const summary: ImportSummary = {
    file: fileName, source: importer.id, status: options.dryRun ? 'dry-run' : 'imported', batchId: null, account: account ?? null,
    rowsRead: 0, rowsImported: 0, rowsSkipped: 0, rowsReplaced: 0, replacedBatches: [], rowsRejected: 0, rejectsFile: null,
    byProvider: [], byCategory: [], costUsd: '0', firstTs: null, lastTs: null, unpricedModels: [], unpricedRows: 0, unpricedReasons: [], unclassified: [], notes: [], unfinishedLine: null, invoices: [], overlaps: [],
  };
  const invoices: Array<Extract<ImportItem, { kind: 'invoice' }>> = [];
  // The period the file states (API pages' buckets, empty ones too), when it states one.
  let statedPeriod: StatedPeriod | undefined;
  // The same bytes are the same export: filed under another account they would be
  // counted twice (its rows are keyed apart), so that is refused. Without --account the
  // file is in the ledger whichever account it was filed under, and nothing changes. A
  // file that imported no rows (a download of an organisation with no usage, the header
  // alone) has nothing to count twice and is alike for every organisation: each files it.
  const previous = hash === undefined ? undefined : account === undefined ? await findBatchByHash(ledger, importer.id, hash) : await previousUnder(ledger, importer.id, hash, account);
  if (previous) {
    if (account !== undefined && previous.account !== account) {
      const was = previous.account === null ? 'without --account' : `with --account ${previous.account}`;
      throw new UsageError(`--account: ${fileName} was already imported ${was} (batch ${previous.id}); the same file filed under ${account} too would be counted twice`, {
        option: '--account',
        hint: `to file it under ${account} instead, undo that import first (llmfin import --undo ${previous.id}) and import it again with --account ${account}`,
      });
    }
    return { ...summary, status: 'already-imported', batchId: previous.id, account: previous.account, rowsRead: previous.rows_read, rowsSkipped: previous.rows_read };
  }

  const groups = new Map<string, ProviderGroup>();
  let last: ProviderGroup | undefined;
  const unpriced = new Set<string>();
  const unpricedReasons = new Set<string>();
  const modelsKnown = new Map<string, boolean>();
  /** Whether the catalogue has the row's model (asked once per provider and model). */
  const catalogueHas = (e: NewUsageEntry): boolean => {
    const key = `${e.provider}\u0000${e.model}`;
    let known = modelsKnown.get(key);
    if (known === undefined) modelsKnown.set(key, (known = isResolved(resolveModel(ctx.pricer.catalogue, { provider: e.provider, model: e.model!, at: new Date(e.ts) }))));
    return known;
  };
  let unpricedRows = 0;
  const unclassified = new Set<string>();
  const categories = new Map<ChargeCategory, { rows: number; ticks: bigint }>();
  let total = 0n;
  let rows = 0;
  const rejectsPath = options.rejectsPath ?? `${path}.rejects.jsonl`;
  const rejects = new RejectsFile(rejectsPath, fileName, options.appendRejects === true);
  const input = openSourceInput(path, fileName);
  const legacyKeys = importer.legacyKeysBelow !== undefined && (await holdsLegacyKeys(ledger, importer.id, importer.legacyKeysBelow));
  const readCtx: ImportContext = { ...ctx, fileName, ...(legacyKeys ? { legacyKeys } : {}) };
  const onProgress = options.onProgress;
  // The first row rejected, named when every row was (AllRowsRejectedError).
  let firstReject: { line: number; reason: string } | undefined;
  const progress = onProgress && ((recorded: number) => onProgress({ rows: recorded + summary.rowsRejected, bytesRead: input.bytesRead(), totalBytes }));

  /** One item: the entry to record, or undefined for an issue skipped (or thrown) and an invoice kept. */
  function take(item: ImportItem): NewUsageEntry | undefined {
    if (item.kind === 'issue') {
      // A reader that met a byte that is not UTF-8, or a gzip cut short, ended there: the whole file is refused.
      const broken = input.fileError();
      if (broken) throw broken;
      const where = `${item.column ? `${item.column}: ` : ''}${item.message}`;
      // A forced source refused by the file's first row (a header it lacks, rows of
      // another kind) is the wrong source, not a bad row: --skip-invalid would record
      // an empty import of it.
      const wrongSource = rows === 0 && summary.rowsRejected === 0 ? mismatch() : undefined;
      if (wrongSource !== undefined) throw new InputError(fileName, item.line, where, { hint: wrongSource });
      if (item.wholeFile) throw item.hint === undefined ? unreadableDocument(fileName, item.line, where) : new InputError(fileName, item.line, where, { hint: item.hint });
      if (!options.skipInvalid) {
        throw new InputError(fileName, item.line, where, { hint: 'nothing was imported from this file; fix the row, or use --skip-invalid to import the good rows' });
      }
      rejects.add({ line: item.line, column: item.column, reason: item.message });
      firstReject ??= { line: item.line, reason: where };
      summary.rowsRejected++;
      summary.rejectsFile = rejectsPath;
      return undefined;
    }
    if (item.kind === 'invoice') {
      invoices.push(item);
      return undefined;
    }
    if (item.kind === 'note') {
      summary.notes.push(item.note);
      return undefined;
    }
    if (item.kind === 'unfinished') {
      summary.unfinishedLine = item.line;
      return undefined;
    }
    if (item.kind === 'period') {
      const { from, to } = item.period;
      if (item.notes) summary.notes.push(...item.notes);
      statedPeriod = statedPeriod === undefined ? { from, to } : { from: from < statedPeriod.from ? from : statedPeriod.from, to: to > statedPeriod.to ? to : statedPeriod.to };
      return undefined;
    }
    const e = account === undefined ? item.entry : fileUnderAccount(item.entry, account);
    const range = entryOutOfRange(e);
    if (range !== undefined) return take({ kind: 'issue', line: item.line, column: range.column, message: range.message });
    rows++;
    // ISO UTC text of one form (buildEntry), so it orders as text.
    if (summary.firstTs === null || e.ts < summary.firstTs) summary.firstTs = e.ts;
    if (summary.lastTs === null || e.ts > summary.lastTs) summary.lastTs = e.ts;
    // Rows come in runs of one provider: the last row's group, unless this one differs.
    let g = last;
    if (g === undefined || g.provider !== e.provider || g.provenance !== e.provenance) {
      const key = `${e.provider}\u0000${e.provenance}`;
      g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { provider: e.provider, provenance: e.provenance, rows: 0, ticks: 0n, unpriced: 0 }));
      last = g;
    }
    const ticks = e.cost_ticks === null || e.cost_ticks === undefined ? 0n : BigInt(e.cost_ticks);
    g.rows++;
    g.ticks += ticks;
    total += ticks;
    const category = e.charge_category ?? 'usage';
    const c = categories.get(category);
    if (c === undefined) categories.set(category, { rows: 1, ticks });
    else {
      c.rows++;
      c.ticks += ticks;
    }
    if (e.cost_status === 'unpriced') {
      unpricedRows++;
      g.unpriced++;
      // The catalogue refused the model (its note is "unpriced: …"): a model to add. A row
      // the importer left without usage (money with no tokens) is not the model's fault, nor
      // one of a model the catalogue has that lacks the price asked for (a service tier, a
      // period): its note says which, and a custom model is not the fix.
      if (e.model && (e.description == null || e.description.includes('unpriced: ')) && !catalogueHas(e)) unpriced.add(`${e.provider}/${e.model}`);
      else unpricedReasons.add(e.model ? `${e.provider}/${e.model}: ${e.description!}` : unpricedReason(e.description));
    }
    if (e.charge_category === 'unclassified') unclassified.add(e.description ?? e.model ?? '(unknown meter)');
    return e;
  }

  // The entries a block at a time: one async step a block of the file, not a row (a
  // source without `readBatches` is read an item at a time and handed on in blocks).
  async function* entryBlocks(): AsyncGenerator<NewUsageEntry[]> {
    const blocks = importer.readBatches ? importer.readBatches(input, readCtx) : itemBlocks(importer.read(input, readCtx));
    for await (const items of blocks) {
      const block: NewUsageEntry[] = [];
      for (const item of items) {
        const e = take(item);
        if (e !== undefined) block.push(e);
      }
      if (block.length > 0) yield block;
    }
    // Also when the importer ended its read at the error without reporting it.
    const broken = input.fileError();
    if (broken) throw broken;
    // Nothing good and something rejected: no batch (thrown here, the transaction rolls
    // back), but the rejects are written first, to fix the rows by. A file of no rows at
    // all (a header alone) is an export of nothing, and recorded as that.
    if (firstReject !== undefined && rows === 0 && invoices.length === 0) {
      await rejects.finish(() => openSourceInput(path, fileName));
      throw new AllRowsRejectedError(fileName, summary.rowsRejected, rejectsPath, firstReject);
    }
  }

  // A hash made while the rows are read is set when the batch's counts are (the transaction's end).
  const batch = { source: importer.id, file_name: fileName, file_hash: hash ?? '', file_size: totalBytes, account: account ?? null, llmfin_version: options.llmfinVersion, catalogue_version: ctx.catalogueVersion };
  const rowsRead = () => rows + summary.rowsRejected;
  const spanTotalsOf = importer.spanTotals === true ? importer.id : undefined;
  // The file's invoices, in the import's transaction (on this thread; the writer thread writes its own).
  const writeInvoices = async (trx: Parameters<typeof writeImportedInvoice>[0], batchId: number, status: 'recorded' | 'dry-run') => {
    for (const item of invoices) {
      const r = await writeImportedInvoice(trx, { ...item.invoice, batch_id: batchId }, item.lines);
      summary.invoices.push(invoiceSummary(item, r === 'recorded' ? status : r));
    }
  };
  let replaced: Array<{ batchId: number; rows: number }> = [];
  let overlaps: OverlapFinding[] = [];
  const guard = overlapGuard(importer, options);
  if (options.dryRun) {
    // The import itself, rolled back at its end: what it would import, skip as duplicates
    // and replace is then what a real import does, not a guess beside it.
    const result = await recordImportStream(ledger, batch, entryBlocks(), rowsRead, {
      replacePeriod: importer.replacesPeriod,
      replaceChanged: importer.rowsGrow === true,
      statedPeriod: () => statedPeriod,
      spanTotalsOf,
      partsOf: options.partsOf,
      overlaps: guard,
      onProgress: progress,
      afterEntries: (trx, batchId) => writeInvoices(trx, batchId, 'dry-run'),
      rollback: true,
    });
    Object.assign(summary, { rowsImported: result.rowsImported, rowsSkipped: result.rowsSkipped, rowsReplaced: result.rowsReplaced });
    replaced = result.replacedBatches;
    overlaps = result.overlaps;
  } else {
    let result: Awaited<ReturnType<typeof recordImportStream>>;
    if (writerThread) {
      // A large file: SQLite writes on a second thread while this one parses and prices.
      const fileHash = hashLater ? fileSha256InThread(path) : undefined;
      // Observed now: an import that fails before it asks for the hash must not leave its rejection unhandled.
      fileHash?.catch(() => undefined);
      const written = await recordInWriterThread({
        fileHash,
        path: ledger.path, llmfinVersion: options.llmfinVersion, batch, replacePeriod: importer.replacesPeriod, replaceChanged: importer.rowsGrow === true, spanTotalsOf, partsOf: options.partsOf, overlaps: guard, entryBlocks: entryBlocks(), rowsRead,
        invoices: () => invoices.map(({ invoice, lines }) => ({ invoice, lines })),
        statedPeriod: () => statedPeriod,
        onProgress: progress,
      });
      result = written.result;
      summary.invoices = invoices.map((item, i) => invoiceSummary(item, written.invoices[i] ?? 'recorded'));
    } else {
      result = await recordImportStream(ledger, batch, entryBlocks(), rowsRead, {
        replacePeriod: importer.replacesPeriod,
        replaceChanged: importer.rowsGrow === true,
        statedPeriod: () => statedPeriod,
        spanTotalsOf,
        partsOf: options.partsOf,
        overlaps: guard,
        onProgress: progress,
        afterEntries: (trx, batchId) => writeInvoices(trx, batchId, 'recorded'),
      });
    }
    Object.assign(summary, { batchId: result.batchId, rowsImported: result.rowsImported, rowsSkipped: result.rowsSkipped, rowsReplaced: result.rowsReplaced });
    replaced = result.replacedBatches;
    overlaps = result.overlaps;
  }
  // Rolled back already (record-import-stream.ts): the same usage is in the ledger.
  const refusing = refusingOverlaps(overlaps);
  if (refusing.length > 0) throw new OverlapRefusedError(fileName, importer.id, refusing);
  summary.overlaps = overlaps;
  if (replaced.length > 0) {
    const files = await batchFiles(ledger, replaced.map((r) => r.batchId));
    summary.replacedBatches = replaced.map((r) => ({ ...r, file: files.get(r.batchId)?.file_name ?? null, account: files.get(r.batchId)?.account ?? null }));
  }
  // A second read of the file, for the text of each rejected line (see RejectsFile).
  await rejects.finish(() => openSourceInput(path, fileName));
  summary.rowsRead = rowsRead();
  summary.byProvider = [...groups.values()].map((g) => ({ provider: g.provider, provenance: g.provenance, rows: g.rows, cost_usd: ticksToUsd(g.ticks).toFixed(), unpriced_rows: g.unpriced }));
  summary.byCategory = CHARGE_CATEGORIES.flatMap((category) => {
    const c = categories.get(category);
    return c === undefined ? [] : [{ category, rows: c.rows, cost_usd: ticksToUsd(c.ticks).toFixed() }];
  });
  summary.costUsd = ticksToUsd(total).toFixed();
  summary.unpricedModels = [...unpriced].sort();
  summary.unpricedRows = unpricedRows;
  summary.unpricedReasons = [...unpricedReasons].sort();
  summary.unclassified = [...unclassified].sort();
  return summary;
}
