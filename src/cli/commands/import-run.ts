/** The work behind `llmfin import` and `llmfin sources`. */
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { LLMFIN_VERSION } from '../version.js';
import { IMPORTERS, importerById } from '../../importers/registry.js';
import { formatImportProgress, type ImportProgress } from '../../importers/import-progress.js';
import { chooseImporter, runImport, type ImportSummary } from '../../importers/run-import.js';
import { OverlapRefusedError } from '../../importers/overlap-refused.js';
import { prestartWriterThread } from '../../importers/record-in-writer-thread.js';
import { isBlankFile } from '../../importers/source-input.js';
import { invoicePeriods } from '../../ledger/queries/usage-facts.js';
import { invoiceDays, nextDay } from '../../reports/invoice-months.js';
import { batchesOfSourceBetween, batchFiles, invoicesOfBatch, listBatches, replacedByBatch, undoBatch } from '../../ledger/queries/import-batches.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import type { OverlapFinding } from '../../ledger/queries/overlapping-batches.js';
import { ledgerNeedsUpgrade, openLedger, snapshotLedger } from '../../ledger/index.js';
import type { ChargeCategory, Provenance } from '../../ledger/ledger-schema.js';
import { InputError, LlmfinError, UsageError } from '../../shared/errors.js';
import { dec, decToNumber, formatInCurrency, formatUsd } from '../../shared/money.js';
import { andList } from '../../shared/and-list.js';
import { countNoun } from '../../shared/count-noun.js';
import { compileMeterMap } from '../../importers/meter-map.js';
import { accountName, assertAccountOption } from '../../importers/import-account.js';

interface ImportOptions {
  source?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  account?: string;
  allowOverlap?: boolean;
  list?: boolean;
  /** Every --undo given: one is taken, more are refused. */
  undo?: string[];
}

/**
 * --list and --undo import nothing: a file or an import option given with them would be
 * ignored without a word (and --dry-run with --undo would still remove the batch).
 */
function assertNoImportOptions(files: string[], opts: ImportOptions): void {
  const mode = opts.list ? '--list' : '--undo';
  if (opts.list && opts.undo !== undefined) throw new UsageError('--list: not with --undo; give one of them', { option: '--list' });
  if (opts.undo !== undefined && opts.dryRun) {
    throw new UsageError('--dry-run: not with --undo, which has no dry run: it removes the batch', { option: '--dry-run', hint: 'see the batch and its rows with `llmfin import --list` first, then run --undo without --dry-run' });
  }
  if (files.length > 0) {
    throw new UsageError(`${mode} imports nothing, but was given ${files.length === 1 ? 'a file' : 'files'} (${files[0]}${files.length > 1 ? ', …' : ''})`, { option: mode, hint: `import the files in a command of their own: llmfin import ${files.join(' ')}` });
  }
  for (const [flag, given] of [['--source', opts.source !== undefined], ['--dry-run', opts.dryRun === true], ['--skip-invalid', opts.skipInvalid === true], ['--rejects', opts.rejects !== undefined], ['--allow-overlap', opts.allowOverlap === true]] as const) {
    if (given) throw new UsageError(`${flag}: not with ${mode}, which imports no file`, { option: flag, hint: `drop ${flag}` });
  }
}

export async function importCommand(ctx: CliContext, given: string[], opts: ImportOptions): Promise<void> {
  let files = given;
  if ((opts.list || opts.undo !== undefined) && opts.account !== undefined) {
    throw new UsageError(`--account names the organisation of files being imported; it does not go with ${opts.list ? '--list' : '--undo'}`, { option: '--account' });
  }
  if (opts.list || opts.undo !== undefined) {
    assertNoImportOptions(files, opts);
    if (opts.list) return listCommand(ctx);
    const undo = opts.undo!;
    // Commander keeps the last of a repeated option: `--undo 2 --undo 1` would undo 1 alone, without a word.
    if (undo.length > 1) {
      throw new UsageError(`--undo: one batch per command, got ${andList(undo)}`, { option: '--undo', hint: `undo them one after another: ${undo.map((id) => `llmfin import --undo ${id}`).join(', then ')}` });
    }
    return undoCommand(ctx, undo[0]!);
  }
  if (opts.rejects !== undefined && !opts.skipInvalid) {
    throw new UsageError('--rejects: only with --skip-invalid, which writes the rejected rows there (without it a bad row stops the file and nothing is written)', { option: '--rejects', hint: 'add --skip-invalid, or drop --rejects' });
  }
  const account = opts.account === undefined ? undefined : accountName(opts.account);
  if (files.length === 0) throw new UsageError('give at least one file to import (or --list / --undo ID)', { hint: 'llmfin import --help' });
  // Every path is checked before anything is imported.
  let paths = files.map((f) => resolve(ctx.io.cwd, f));
  const sizes: number[] = [];
  for (const [i, p] of paths.entries()) {
    if (!existsSync(p)) throw new InputError(files[i]!, undefined, 'no such file');
    const stat = statSync(p);
    sizes.push(stat.size);
    if (stat.isDirectory()) throw new InputError(files[i]!, undefined, 'is a directory; give the files inside it');
    // A file is read more than once (detection, its sha256, its rows): a pipe or socket cannot be.
    if (!stat.isFile()) {
      throw new InputError(files[i]!, undefined, 'not a regular file (a pipe, socket or device)', { hint: 'save it to a file first and import that (gzip files are read as they are)' });
    }
    assertReadable(files[i]!, p);
  }
  // A large file's writer thread loads its modules while this one gets ready (record-in-writer-thread.ts).
  if (opts.dryRun !== true) prestartWriterThread(sizes);
  if (opts.source !== undefined && importerById(opts.source) === undefined) {
    throw new UsageError(`--source: unknown source "${opts.source}" (known: ${IMPORTERS.map((i) => i.id).join(', ')})`, { option: '--source' });
  }
  // A file of 0 bytes or blank lines only (a day on which a pipeline had no usage, a Claude
  // Code session opened and left) holds no rows and names no source: there is nothing to
  // import from it, whatever --source says, and that is no error, alone or among others.
  // It is passed over with a warning, and no batch is recorded for it.
  const blank: number[] = [];
  for (const [i, p] of paths.entries()) if (await isBlankFile(p, files[i]!)) blank.push(i);
  if (blank.length > 0) {
    const rest = blank.length < files.length ? 'passed over; the other files are imported' : 'nothing to import, the ledger is unchanged';
    ctx.warn(`${blank.map((i) => `${files[i]}: empty (${sizes[i] === 0 ? '0 bytes' : 'whitespace only'})`).join(', ')}, ${rest}`);
    const keep = (_: unknown, i: number) => !blank.includes(i);
    files = files.filter(keep);
    paths = paths.filter(keep);
    if (files.length === 0) {
      if (ctx.globals.format === 'json') emit(ctx, { json: importJson([]), table: '' });
      return;
    }
  }
  const rejectsPath = opts.rejects ? resolve(ctx.io.cwd, opts.rejects) : undefined;
  // Rejects are written while the file is read: into the file itself they would destroy it.
  if (rejectsPath !== undefined && paths.includes(rejectsPath)) {
    throw new UsageError(`--rejects ${opts.rejects} is one of the files to import; expected another file for the rejected rows`);
  }
  // And recognised: a file no source reads is refused before the ledger is opened (or
  // created) and before the files ahead of it are imported. Each import is then told its
  // source, so that the file is not sampled and detected a second time.
  const sources = paths.map((p, i) => chooseImporter(p, files[i]!, opts.source).id);
  for (const [i, id] of sources.entries()) assertAccountOption(importerById(id)!, files[i]!, account);
  const pricer = await ctx.pricer();
  const meters = compileMeterMap((await ctx.config()).config.import.meters);
  const ledgerPath = await ctx.ledgerPath();
  const newLedger = !existsSync(ledgerPath);
  // A dry run writes nothing, not even a new ledger (a --db mistyped would be left behind):
  // against no ledger it imports for real into an empty one in memory, where every row is
  // new. Several files are imported for real into a scratch copy of the ledger, so that
  // each is judged after the ones before it, as the import would: rolled back file by file,
  // a file given twice read as new both times, and a corrected export's rows replaced by
  // each part. So is a ledger an older llmfin wrote: the copy is upgraded, the ledger keeps
  // the schema that llmfin reads. One file into a current ledger is rolled back instead (no
  // copy needed), and so is each file of a ledger too large to copy quickly, which says so.
  const upgrade = opts.dryRun === true && !newLedger && ledgerNeedsUpgrade(ledgerPath);
  const scratch = opts.dryRun === true && (newLedger || paths.length > 1 || upgrade) ? await scratchLedger(ctx, ledgerPath, newLedger, upgrade) : undefined;
  const ledger = scratch?.ledger ?? (await ctx.openLedger());
  const summaries: ImportSummary[] = [];
  // The batches the scratch copy gave this command's files, by id: no real import has
  // them, so the summary and the warnings name those files instead (see ScratchBatches).
  const inCommand = new Map<number, string>();
  const shownOf = (list: ImportSummary[]): ShownSummary[] => (scratch ? list.map((s) => withoutScratchIds(s, inCommand)) : list);
  let failed = false;
  try {
    for (const [i, path] of paths.entries()) {
      const started = Date.now();
      let shown = 0;
      const progress = ctx.io.stderr.isTTY
        ? (p: ImportProgress) => {
            // A terminal line ten times a second is plenty; writing per chunk cost rows/s.
            const now = Date.now();
            if (now - shown < 100) return;
            shown = now;
            ctx.io.stderr.write(`\r${formatImportProgress(files[i]!, p, now - started)}\u001b[K`);
          }
        : undefined;
      let summary: ImportSummary;
      try {
        summary = await runImport(
          ledger,
          files[i]!,
          path,
          { pricer, catalogueVersion: pricer.catalogue.manifest.version, now: new Date(), meters },
          {
            source: sources[i], dryRun: opts.dryRun && scratch === undefined, skipInvalid: opts.skipInvalid, rejectsPath, onProgress: progress, llmfinVersion: LLMFIN_VERSION, account, allowOverlap: opts.allowOverlap,
            // One --rejects file for several files: each adds to what the ones before it wrote.
            appendRejects: rejectsPath !== undefined && summaries.some((s) => s.rejectsFile === rejectsPath),
            // The parts of one large export are given together: none is the others' corrected version.
            partsOf: summaries.flatMap((s) => (s.batchId !== null ? [s.batchId] : [])),
          },
        );
      } catch (error) {
        if (progress) ctx.io.stderr.write('\r\u001b[K');
        // Each file is all-or-nothing, not the whole command: say what the files before this
        // one did, and which were not read, rather than let the error read as "nothing".
        if (paths.length > 1) {
          if (summaries.length > 0) emit(ctx, { json: importJson(shownOf(summaries)), table: importText(ctx, shownOf(summaries)) });
          const done = summaries.length > 0 ? `${summaries.map((s) => s.file).join(', ')} ${opts.dryRun ? 'checked' : 'imported'} (above); ` : '';
          const rest = files.slice(i + 1);
          ctx.warn(`${files[i]} stopped the import: ${done}${rest.length > 0 ? `not read: ${rest.join(', ')}` : 'it was the last file'}`);
        }
        failed = true;
        // A dry run's earlier files have no batch to undo yet: the refusal names them instead.
        if (scratch && error instanceof OverlapRefusedError) throw error.naming((id, file) => (inCommand.has(id) ? { name: `${inCommand.get(id)!}, given earlier in this dry run,`, undo: false } : { name: `batch ${id}${file === null ? '' : ` (${file})`}`, undo: true }));
        throw error;
      }
      if (progress) ctx.io.stderr.write('\r\u001b[K');
      if (scratch) {
        if (summary.status === 'imported' && summary.batchId !== null) inCommand.set(summary.batchId, files[i]!);
        summary = asDryRun(summary);
      }
      summaries.push(summary);
      await warnSameTraffic(ctx, ledger, files[i]!, summary, inCommand);
      warnOverlaps(ctx, files[i]!, summary, inCommand);
      warnUnfinishedLine(ctx, files[i]!, summary);
      warnReplacedInCommand(ctx, files[i]!, summary, summaries);
      await warnUnnamedBeside(ctx, ledger, files[i]!, summary, inCommand);
      await warnInvoiceDayLeftOut(ctx, ledger, summary);
    }
  } finally {
    await ledger.close();
    scratch?.remove();
    // A ledger this command created for a file refused before any was imported holds
    // nothing: it goes, as it would had the file been refused before the ledger was opened.
    if (failed && newLedger && !opts.dryRun && summaries.length === 0) removeLedgerFiles(ledgerPath);
  }
  const shown = shownOf(summaries);
  emit(ctx, { json: importJson(shown), table: importText(ctx, shown) });
}

/**
 * A dry run of several files imports them into a scratch copy of the ledger (see
 * importCommand), whose batch ids served the command's own checks: the batch each file
 * would become there, by id, with the file. A real import may number them otherwise
 * (another import meanwhile, an undo), and `--undo` of such an id would undo some other
 * batch, so a dry run never shows one: it names the file given earlier in the command.
 */
type ScratchBatches = ReadonlyMap<number, string>;

/** A summary as shown: in a dry run, what it holds of a file given earlier in the command. */
type ShownSummary = Omit<ImportSummary, 'overlaps'> & {
  /** A file already-imported in the scratch copy: the earlier file of this command with the same bytes. */
  sameAsEarlier?: string;
  /** A null batch id is a file given earlier in the same dry run (named by `fileName`), which has no batch. */
  overlaps: Array<Omit<OverlapFinding, 'batchId'> & { batchId: number | null }>;
};

/** A dry-run summary without the scratch copy's batch ids: null, the file named instead. */
function withoutScratchIds(summary: ImportSummary, inCommand: ScratchBatches): ShownSummary {
  const earlier = summary.batchId === null ? undefined : inCommand.get(summary.batchId);
  return {
    ...summary,
    batchId: summary.status === 'dry-run' || earlier !== undefined ? null : summary.batchId,
    replacedBatches: summary.replacedBatches.map((b) => (b.batchId !== null && inCommand.has(b.batchId) ? { ...b, batchId: null } : b)),
    overlaps: summary.overlaps.map((o) => (inCommand.has(o.batchId) ? { ...o, batchId: null } : o)),
    ...(summary.status === 'already-imported' && earlier !== undefined ? { sameAsEarlier: earlier } : {}),
  };
}

/**
 * A log read while its agent writes it ends inside a line: the lines before it are in the
 * ledger, and the user must know that this one is not, and that importing the file again
 * later reads it (its other rows are then duplicates, skipped).
 */
function warnUnfinishedLine(ctx: CliContext, file: string, summary: ImportSummary): void {
  if (summary.unfinishedLine === null) return;
  ctx.warn(`${file}:${summary.unfinishedLine}: the last line is unfinished (no line break ends it and it is not yet valid JSON), as in a log still being written: the lines before it were ${summary.status === 'dry-run' ? 'checked' : 'imported'}, this one is left for the next import of the file`);
}

/** Batches as a warning names them: the ledger's by number, a dry run's scratch ones by file. */
function batchesText(ids: readonly number[], inCommand: ScratchBatches): string {
  const own = ids.filter((id) => !inCommand.has(id));
  const earlier = ids.filter((id) => inCommand.has(id)).map((id) => inCommand.get(id)!);
  return [...(own.length > 0 ? [`batch ${own.join(', ')}`] : []), ...(earlier.length > 0 ? [`${andList(earlier)}, given earlier in this dry run`] : [])].join('; ');
}

/** Past this size a ledger is not copied for a dry run of several files (a copy takes about a second per 200 MB). */
const SCRATCH_COPY_MAX_BYTES = 1024 ** 3;

/**
 * Where a dry run imports for real (see importCommand): an empty ledger in memory when
 * there is none, else a copy of the ledger removed after it; undefined when it is too
 * large to copy.
 */
async function scratchLedger(ctx: CliContext, ledgerPath: string, newLedger: boolean, upgrade: boolean): Promise<{ ledger: LedgerStore; remove: () => void } | undefined> {
  if (newLedger) return { ledger: await openLedger(':memory:', { llmfinVersion: LLMFIN_VERSION }), remove: () => undefined };
  const bytes = ['', '-wal'].reduce((n, suffix) => n + (existsSync(ledgerPath + suffix) ? statSync(ledgerPath + suffix).size : 0), 0);
  if (bytes > SCRATCH_COPY_MAX_BYTES) {
    const size = `${(bytes / 1024 ** 3).toFixed(1)} GB`;
    ctx.warn(
      upgrade
        ? `--dry-run: the ledger is too large to copy (${size}) and needs an upgrade to this llmfin's schema, so it is upgraded first, as any command upgrades it`
        : `--dry-run: the ledger is too large to copy for a dry run of several files (${size}), so each file is checked against the ledger alone, not after the files before it in this command`,
    );
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'llmfin-dry-run-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // A consistent copy of the committed ledger as it is (its schema, its batch id sequence).
    snapshotLedger(ledgerPath, join(dir, 'ledger.db'));
    return { ledger: await openLedger(join(dir, 'ledger.db'), { llmfinVersion: LLMFIN_VERSION }), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** A summary of a file imported into the scratch copy, told as the dry run it is. */
function asDryRun(summary: ImportSummary): ImportSummary {
  if (summary.status !== 'imported') return summary;
  return { ...summary, status: 'dry-run', invoices: summary.invoices.map((i) => (i.status === 'recorded' ? { ...i, status: 'dry-run' } : i)) };
}

/** A SQLite ledger and the WAL files beside it. */
function removeLedgerFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
}

/**
 * The days an import's rows are dated (YYYY-MM-DD, inclusive) and the instants [from, to)
 * they span, or undefined when it imported no rows.
 */
function importedDays(summary: ImportSummary): { first: string; last: string; from: string; to: string } | undefined {
  if (summary.firstTs === null || summary.lastTs === null || summary.rowsImported === 0) return undefined;
  const first = summary.firstTs.slice(0, 10);
  const last = summary.lastTs.slice(0, 10);
  return { first, last, from: `${first}T00:00:00.000Z`, to: `${nextDay(last)}T00:00:00.000Z` };
}

/**
 * A source that reads the same traffic as another (LiteLLM's spend logs and daily
 * activity, OpenAI's or Anthropic's dashboard CSV and API pages): the README says to import
 * one or the other for a period, and a user who imports both would see that traffic twice
 * in every report, so the import says so. Only the other's rows of a provenance this file
 * has count: a cost export beside usage pages of the same days is two layers, not twice.
 */
async function warnSameTraffic(ctx: CliContext, ledger: LedgerStore, file: string, summary: ImportSummary, inCommand: ScratchBatches): Promise<void> {
  const same = importerById(summary.source)?.sameTrafficAs;
  const others = same === undefined ? [] : typeof same === 'string' ? [same] : [...same];
  const days = importedDays(summary);
  const provenances = [...new Set(summary.byProvider.map((p) => p.provenance as Provenance))];
  if (others.length === 0 || days === undefined || provenances.length === 0) return;
  for (const other of others) {
    const batches = await batchesOfSourceBetween(ledger, other, days.from, days.to, { provenances });
    if (batches.length === 0) continue;
    // Only files given earlier in this dry run: nothing in the ledger, nothing to undo yet.
    const earlier = batches.every((id) => inCommand.has(id)) ? batches.map((id) => inCommand.get(id)!) : undefined;
    const where = earlier ? `${andList(earlier)}, given earlier in this dry run, ${earlier.length === 1 ? 'holds' : 'hold'} ${other} rows` : `the ledger also holds ${other} rows (${batchesText(batches, inCommand)})`;
    ctx.warn(
      `${file} (${summary.source}) covers ${days.first} … ${days.last}, where ${where}: ` +
        `the same traffic in another form, which reports would count twice; ${earlier ? 'import only one of them' : 'keep one of them (llmfin import --undo ID)'}`,
    );
  }
}

/**
 * Earlier imports of the file's source it left beside itself on days both cover, with
 * totals that differ (overlapping-batches.ts `maybe`): another project's export, or part
 * of the same usage grouped otherwise. Not sure enough to refuse, so the import says it.
 */
function warnOverlaps(ctx: CliContext, file: string, summary: ImportSummary, inCommand: ScratchBatches): void {
  for (const f of summary.overlaps) {
    const days = f.firstDay === f.lastDay ? f.firstDay : `${f.firstDay} … ${f.lastDay}`;
    const earlier = inCommand.has(f.batchId) ? `${inCommand.get(f.batchId)!}, given earlier in this dry run,` : `batch ${f.batchId}${f.fileName === null ? '' : ` (${f.fileName})`}`;
    const undo = inCommand.has(f.batchId) ? 'import only one of them' : `undo one of them (llmfin import --undo ${f.batchId}${summary.batchId === null ? '' : ` or --undo ${summary.batchId}`})`;
    ctx.warn(
      `${file} (${summary.source}) covers ${days}, where ${earlier} holds ${summary.source} rows it did not replace (other accounts, other totals): ` +
        `if they are the same usage grouped or bucketed otherwise, reports count that spend twice; ${undo}. If they are different usage (another project), import with --allow-overlap to say so`,
    );
  }
}

/**
 * A file that replaced rows of a file imported earlier by the same command. The parts of
 * one large export (AWS, Azure and BigQuery split one into `…-00001.csv.gz`,
 * `…-00002.csv.gz` of the same period and accounts) share no row, and are kept together
 * (runImport's partsOf); a file that sends rows of an earlier one again is taken as its
 * corrected version and replaces it, which is wrong when the earlier file is the newer
 * export (a folder holding an original and its correction, read in name order): say so.
 */
function warnReplacedInCommand(ctx: CliContext, file: string, summary: ImportSummary, summaries: readonly ImportSummary[]): void {
  const earlier = summaries.filter((s) => s !== summary && s.batchId !== null && s.source === summary.source);
  const hit = summary.replacedBatches.filter((b) => earlier.some((s) => s.batchId === b.batchId));
  if (hit.length === 0) return;
  const dry = summary.status === 'dry-run';
  // A dry run's earlier files have no batch yet (ScratchBatches): the file names them.
  const which = hit.map((b) => `${countNoun(b.rows, 'row')} of ${earlier.find((s) => s.batchId === b.batchId)!.file}${dry ? '' : ` (batch ${b.batchId})`}`).join(', ');
  ctx.warn(
    `${file} (${summary.source}) ${dry ? 'would replace' : 'replaced'} ${which}, given in this same command: it sends rows of that file again, so it is taken as its corrected version. ` +
      `If the earlier file is the newer export, import it again on its own after this one`,
  );
}

/**
 * A file imported with --account whose days the ledger also holds rows of the same source
 * for that were imported without it: if those are the same organisation's (its files
 * imported before --account was used), neither replaces the other and the period is
 * counted twice, so the import says which batches to undo. Another organisation's
 * unnamed rows are right to stay, hence "if".
 */
async function warnUnnamedBeside(ctx: CliContext, ledger: LedgerStore, file: string, summary: ImportSummary, inCommand: ScratchBatches): Promise<void> {
  const days = importedDays(summary);
  if (summary.account === null || summary.status === 'already-imported' || days === undefined) return;
  // By the rows' keys, not the batches' accounts: a ledger's export read back is a batch
  // without an account whose rows may all have been imported with one.
  const unnamed = (await batchesOfSourceBetween(ledger, summary.source, days.from, days.to, { unnamed: true })).filter((id) => id !== summary.batchId);
  if (unnamed.length === 0) return;
  const files = await batchFiles(ledger, unnamed);
  const which = unnamed.map((id) => (inCommand.has(id) ? `${inCommand.get(id)!}, given earlier in this dry run` : `batch ${id} from ${files.get(id)?.file_name ?? '(no file name)'}`)).join(', ');
  ctx.warn(
    `${file} (${summary.source}, account ${summary.account}) covers ${days.first} … ${days.last}, where the ledger also holds ${summary.source} rows imported without --account ` +
      `(${which}): if they are ${summary.account}'s, reports count those days twice; undo them (llmfin import --undo ID) and import their files again with --account ${summary.account}`,
  );
}

/**
 * An invoice's period end is where the period stops (exclusive). Finance often types a
 * PDF's last billed day instead ("Oct 15 – Nov 14" as `end: 2026-11-14`); then that day is
 * in no invoice, its rows count on top of the invoices, and nothing else would show it.
 * A day left out between two of a provider's invoices is the sign, so the import says so.
 */
async function warnInvoiceDayLeftOut(ctx: CliContext, ledger: LedgerStore, summary: ImportSummary): Promise<void> {
  const recorded = summary.invoices.filter((i) => i.status === 'recorded' || i.status === 'replaced');
  if (recorded.length === 0) return;
  const all = await invoicePeriods(ledger);
  const said = new Set<string>();
  for (const inv of recorded) {
    const self = all.find((o) => o.provider === inv.provider && o.number === inv.number);
    if (self === undefined) continue;
    for (const other of all) {
      if (other.provider !== self.provider || other.number === self.number) continue;
      const [before, after] = [self, other].sort((a, b) => (a.period_start ?? '').localeCompare(b.period_start ?? ''));
      // The days each bills, read as the layer rule reads them (an end on a month's last day counts that day).
      const first = invoiceDays(before!);
      const second = invoiceDays(after!);
      if (first === undefined || second === undefined) continue;
      const day = nextDay(first.last);
      if (second.first !== nextDay(day)) continue;
      const pair = `${self.provider}\u0000${before!.number}\u0000${after!.number}`;
      if (said.has(pair)) continue;
      said.add(pair);
      ctx.warn(
        `invoices ${self.provider} ${before!.number} and ${after!.number} leave out ${day}: an invoice's period end is where it stops (exclusive), so ${day} is in neither, and that day's rows count on top of the invoices; ` +
          `if ${before!.number} bills ${day}, write its end as ${second.first}`,
      );
    }
  }
}

/** A file the user cannot open (permissions) is bad input, named with its reason, whether or not --source skips detection. */
function assertReadable(file: string, path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    const e = cause as NodeJS.ErrnoException;
    const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? String(cause));
    const denied = e.code === 'EACCES' || e.code === 'EPERM';
    throw new InputError(file, undefined, `cannot read file (${why})`, denied ? { hint: 'check its permissions (ls -l), or run as a user who can read it' } : {});
  }
  closeSync(fd);
}

function importJson(summaries: ShownSummary[]) {
  return {
    rows: summaries.map((s) => ({
      file: s.file,
      source: s.source,
      status: s.status,
      batch_id: s.batchId,
      account: s.account,
      rows_read: s.rowsRead,
      rows_imported: s.rowsImported,
      rows_skipped: s.rowsSkipped,
      rows_replaced: s.rowsReplaced,
      replaced_batches: s.replacedBatches.map((b) => ({ batch_id: b.batchId, file: b.file, account: b.account, rows: b.rows })),
      rows_rejected: s.rowsRejected,
      rejects_file: s.rejectsFile,
      cost_usd: decToNumber(dec(s.costUsd)),
      first_ts: s.firstTs,
      last_ts: s.lastTs,
      by_provider: s.byProvider.map((p) => ({ ...p, cost_usd: decToNumber(dec(p.cost_usd)) })),
      by_charge_category: s.byCategory.map((c) => ({ charge_category: c.category, rows: c.rows, cost_usd: decToNumber(dec(c.cost_usd)) })),
      unpriced_models: s.unpricedModels,
      unpriced_rows: s.unpricedRows,
      unpriced_reasons: s.unpricedReasons,
      unclassified: s.unclassified,
      notes: s.notes,
      unfinished_line: s.unfinishedLine,
      invoices: s.invoices.map((i) => ({ ...i, total_usd: decToNumber(dec(i.total_usd)) })),
      overlapping_batches: s.overlaps.map((o) => ({ batch_id: o.batchId, file: o.fileName, first_day: o.firstDay, last_day: o.lastDay })),
    })),
  };
}

function importText(ctx: CliContext, summaries: ShownSummary[]): string {
  const { chalk } = ctx;
  const out: string[] = [];
  for (const s of summaries) {
    const verb =
      s.sameAsEarlier !== undefined
        ? chalk.dim(`dry run: the same file as ${s.sameAsEarlier}, given earlier in this dry run, so it would change nothing`)
        : s.status === 'already-imported'
          ? chalk.dim('already imported, nothing changed')
          : s.status === 'dry-run'
            ? chalk.yellow('dry run, nothing written')
            : chalk.green(`imported as batch ${s.batchId}`);
    out.push(`${chalk.bold(s.file)} (${s.source}${s.account === null ? '' : `, account ${s.account}`}): ${verb}`);
    if (s.status === 'already-imported') continue;
    if (s.rowsRead > 0 || s.invoices.length === 0) out.push(
      `  ${countNoun(s.rowsRead, 'row')} read · ${s.rowsImported.toLocaleString('en-US')} ${s.status === 'dry-run' ? 'would be imported' : 'imported'} · ${countNoun(s.rowsSkipped, 'duplicate')} skipped · ${s.rowsReplaced.toLocaleString('en-US')} replaced · ${s.rowsRejected.toLocaleString('en-US')} rejected`,
    );
    if (s.firstTs !== null && s.lastTs !== null) out.push(`  rows dated ${shortTime(s.firstTs)} … ${shortTime(s.lastTs)} (UTC)`);
    for (const p of s.byProvider) out.push(`  ${p.provider.padEnd(12)} ${p.provenance.padEnd(15)} ${p.rows.toLocaleString('en-US').padStart(9)} ${p.rows === 1 ? 'row ' : 'rows'}  ${costWithUnpriced(p.cost_usd, p.rows, p.unpriced_rows).padStart(12)}`);
    for (const inv of s.invoices) {
      const amount = `${formatInCurrency(inv.total_usd, inv.currency)}${inv.currency === 'USD' ? '' : ' (not USD: reports and reconcile list it apart, never as dollars)'}`;
      out.push(`  invoice ${inv.provider} ${inv.number}  ${amount}  ${inv.status.replace('-', ' ')}`);
      for (const note of inv.notes) out.push(chalk.yellow(`    ${note}`));
    }
    if (s.byProvider.length > 0 || s.invoices.length === 0) {
      // Unpriced rows add nothing to the total: say so, so that it never reads as their cost being $0.
      const unknown = s.unpricedRows > 0 ? chalk.yellow(` + ${s.unpricedRows.toLocaleString('en-US')} unpriced ${s.unpricedRows === 1 ? 'row' : 'rows'} of unknown cost`) : '';
      // The rows above are the file's: when some were already in the ledger, the total is not what was added.
      const ofFile = s.rowsSkipped > 0 ? ` in the file (${s.rowsImported === 0 ? 'none of it' : 'not all of it'} new to the ledger: ${countNoun(s.rowsSkipped, 'duplicate')} skipped)` : '';
      out.push(`  total ${chalk.bold(formatUsd(dec(s.costUsd)))}${ofFile}${unknown}`);
      const split = categorySplit(s);
      if (split) out.push(`  ${split}`);
    }
    if (s.unpricedReasons.length > 0) out.push(chalk.yellow(`  rows not priced (cost unknown, not $0): ${s.unpricedReasons.join('; ')}`));
    if (s.unpricedModels.length > 0) out.push(chalk.yellow(`  unpriced models (cost unknown, not $0): ${s.unpricedModels.join(', ')} — add them under pricing.custom_models, or map their meters under import.meters`));
    if (s.unclassified.length > 0) out.push(chalk.yellow(`  unclassified meters kept with their cost: ${s.unclassified.join('; ')} — map them to a model under import.meters`));
    for (const note of s.notes) out.push(chalk.yellow(`  ${note}`));
    if (s.rejectsFile) out.push(chalk.yellow(`  rejected rows written to ${s.rejectsFile}`));
    const otherFiles = replacedOtherFiles(s);
    if (otherFiles) out.push(chalk.yellow(`  ${otherFiles}`));
    // A corrected export replaces its whole period: a rejected row's earlier version went
    // with the rest, and nothing took its place.
    if (s.rowsRejected > 0 && s.rowsReplaced > 0) {
      out.push(chalk.yellow(`  this file replaced the earlier rows of its period, so the rejected rows' earlier versions are gone too: fix them and import the file again to count them`));
    }
  }
  return out.join('\n');
}

/** How the summary names a charge category that reports leave out. */
const CATEGORY_LABELS: Record<Exclude<ChargeCategory, 'usage'>, string> = {
  non_llm: 'other services',
  tax: 'tax',
  fee: 'fees',
  support: 'support',
  credit: 'credits',
  unclassified: 'unclassified meters',
};

/**
 * A bill's total holds tax, credits and other services' charges, which reports leave out
 * (only LLM usage is spend): without this line the total reads as a report's that does
 * not come. Undefined when the file is LLM usage alone.
 */
function categorySplit(s: ShownSummary): string | undefined {
  const others = s.byCategory.filter((c) => c.category !== 'usage');
  if (others.length === 0) return undefined;
  const usage = s.byCategory.find((c) => c.category === 'usage');
  const rest = others.map((c) => `${CATEGORY_LABELS[c.category as Exclude<ChargeCategory, 'usage'>]} ${formatUsd(dec(c.cost_usd))}`).join(', ');
  return `of which LLM usage ${formatUsd(dec(usage?.cost_usd ?? '0'))}, what reports count; left out of reports: ${rest} (see llmfin reconcile)`;
}

/**
 * The line that says whose rows a file imported without --account replaced, for a source
 * whose exports do not name their organisation: a corrected export replaces its earlier
 * version, but another organisation's export of the same period looks just like one
 * (two Anthropic organisations' Console CSVs, both of workspace "Default"), and its rows
 * would silently go. Undefined when there is nothing to say.
 */
function replacedOtherFiles(s: ShownSummary): string | undefined {
  const earlier = s.replacedBatches;
  if (s.account !== null || earlier.length === 0 || importerById(s.source)?.accountOption !== 'prefix') return undefined;
  const dry = s.status === 'dry-run';
  // A batch without an id is a file given earlier in this dry run (ScratchBatches).
  const which = earlier
    .map((b, i) => `${i === 0 ? countNoun(b.rows, 'row') : b.rows.toLocaleString('en-US')} of ${b.batchId === null ? `${b.file ?? '(no file name)'} (given earlier in this dry run)` : `batch #${b.batchId} from ${b.file ?? '(no file name)'}`}`)
    .join(', ');
  const it = earlier.length === 1 ? 'that file is' : 'those files are';
  const fix = dry
    ? 'import each with --account NAME to keep two organisations apart'
    : `undo the imports (llmfin import ${andList([s.batchId!, ...earlier.map((b) => b.batchId!)].map((id) => `--undo ${id}`))}) and import each file again with --account NAME to keep two organisations apart`;
  return `${dry ? 'would replace' : 'replaced'} ${which} as an earlier version of this export; if ${it} another organisation's, ${fix}`;
}

/** An ISO time as a date at midnight, else to the minute: `2026-10-01`, `2026-10-03 14:05`. */
function shortTime(iso: string): string {
  const t = new Date(iso).toISOString();
  return t.endsWith('T00:00:00.000Z') ? t.slice(0, 10) : `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

async function listCommand(ctx: CliContext): Promise<void> {
  // Listing creates no ledger: a --db mistyped is "no ledger there", as for a report.
  const ledger = await ctx.openLedger({ create: false });
  try {
    const batches = await listBatches(ledger);
    emit(ctx, {
      json: { rows: batches.map((b) => ({ ...b, cost_usd: decToNumber(dec(b.cost_usd)) })) },
      table: {
        columns: [
          { key: 'id', header: 'BATCH', align: 'right' },
          { key: 'source', header: 'SOURCE' },
          { key: 'imported_at', header: 'IMPORTED' },
          { key: 'rows', header: 'ROWS', align: 'right' },
          { key: 'cost', header: 'COST', align: 'right' },
          // An invoice file's batch has no rows and costs $0 as rows: its invoices say what it holds.
          ...(batches.some((b) => b.invoices > 0) ? [{ key: 'invoices', header: 'INVOICES', align: 'right' as const }] : []),
          { key: 'account', header: 'ACCOUNT' },
          { key: 'file', header: 'FILE' },
        ],
        rows: batches.map((b) => ({ id: b.id, source: b.source, imported_at: b.imported_at.slice(0, 19).replace('T', ' '), rows: b.rows_now.toLocaleString('en-US'), cost: costWithUnpriced(b.cost_usd, b.rows_now, b.unpriced_rows), invoices: b.invoices === 0 ? '' : b.invoices.toLocaleString('en-US'), account: b.account ?? '', file: b.file_name ?? '' })),
      },
    });
  } finally {
    await ledger.close();
  }
}

async function undoCommand(ctx: CliContext, raw: string): Promise<void> {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--undo: expected a batch number from \`llmfin import --list\`, got "${raw}"`, { option: '--undo' });
  const ledger = await ctx.openLedger({ create: false });
  try {
    const id = Number(raw);
    // The earlier imports this batch replaced rows of (a corrected export's predecessors):
    // those rows are gone, and undo does not bring them back.
    const batch = await replacedByBatch(ledger, id);
    const short = batch?.short ?? [];
    const invoices = await invoicesOfBatch(ledger, id);
    const removed = await undoBatch(ledger, id);
    if (removed === undefined) throw new LlmfinError(`no import batch ${raw} in ${ledger.path}`, { hint: 'see `llmfin import --list`' });
    if (batch && batch.rows_replaced > 0) {
      const which = short.map((b) => `batch ${b.id} (${b.file_name ?? 'no file name'}) holds ${b.rows_now.toLocaleString('en-US')} of its ${b.rows_imported.toLocaleString('en-US')} rows`).join('; ');
      ctx.warn(
        `batch ${raw} had replaced ${batch.rows_replaced.toLocaleString('en-US')} rows of earlier ${batch.source} imports, and undo does not bring them back` +
          (which ? `: ${which}. To restore one, undo it too (llmfin import --undo ID) and import its file again` : ''),
      );
    }
    // A corrected invoice this batch recorded replaced (deleted) the earlier version: undone, the invoice is gone altogether.
    const lost = (batch?.invoices ?? []).filter((r) => invoices.some((i) => i.provider === r.provider && i.number === r.number));
    for (const r of lost) {
      ctx.warn(
        `invoice ${r.provider} ${r.number} of batch ${raw} was a corrected version: the one it replaced${r.batch_id === null ? '' : ` (batch ${r.batch_id}, ${r.file_name ?? 'no file name'})`} was deleted then, so the ledger now has neither; to restore it, ${r.batch_id === null ? '' : `undo batch ${r.batch_id} too (llmfin import --undo ${r.batch_id}) and `}import ${r.file_name ?? 'the earlier file'} again`,
      );
    }
    if (ctx.globals.format === 'json') {
      ctx.io.stdout.write(
        `${JSON.stringify({ batch_id: id, rows_removed: removed, invoices_removed: invoices.map((i) => ({ provider: i.provider, number: i.number })), rows_replaced_not_restored: batch?.rows_replaced ?? 0, earlier_batches_short: short.map((b) => b.id), invoices_replaced_not_restored: lost.map((r) => ({ provider: r.provider, number: r.number, batch_id: r.batch_id, file_name: r.file_name })) })}\n`,
      );
    } else {
      // An invoice file's batch has no rows: say what it did have.
      const named = invoices.map((i) => `${i.provider} ${i.number}`).join(', ');
      const also = invoices.length === 0 ? '' : ` and ${invoices.length === 1 ? 'invoice' : `${invoices.length} invoices`} ${named}`;
      ctx.io.stdout.write(`removed batch ${raw} and its ${countNoun(removed, 'row')}${also}\n`);
    }
  } finally {
    await ledger.close();
  }
}

export async function sourcesCommand(ctx: CliContext): Promise<void> {
  const title = `${IMPORTERS.length} import sources (detected from content; force one with --source ID)`;
  emit(ctx, {
    json: { rows: IMPORTERS.map((i) => ({ id: i.id, provenance: i.provenance, description: i.description, obtain: i.obtain, replaces_period: i.replacesPeriod, takes_account: i.accountOption === 'prefix' })) },
    // Where to get each file is what a first import needs, and too long for a column of a
    // terminal's table: the text form gives each source a few lines.
    table:
      ctx.globals.format === 'table'
        ? [ctx.chalk.bold(title), ...IMPORTERS.map((i) => `\n${ctx.chalk.bold(i.id)} (${i.provenance})\n  reads   ${i.description}\n  get it  ${i.obtain}`)].join('\n')
        : {
            columns: [
              { key: 'id', header: 'SOURCE' },
              { key: 'provenance', header: 'PROVENANCE' },
              { key: 'description', header: 'READS' },
              { key: 'obtain', header: 'WHERE TO GET IT' },
            ],
            rows: IMPORTERS.map((i) => ({ id: i.id, provenance: i.provenance, description: i.description, obtain: i.obtain })),
          },
    title,
  });
}

/**
 * A cost of some rows as a table shows it, never a bare $0 for rows whose cost is unknown:
 * "unpriced" when none of them has a price, "$12.50 + 3 unpriced" when some lack one.
 */
function costWithUnpriced(costUsd: string, rows: number, unpricedRows: number): string {
  if (unpricedRows === 0) return formatUsd(dec(costUsd));
  if (unpricedRows >= rows) return 'unpriced';
  return `${formatUsd(dec(costUsd))} + ${unpricedRows.toLocaleString('en-US')} unpriced`;
}
