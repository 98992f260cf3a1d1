/**
 * `llmfin export`: the ledger's usage rows out again, as llmfin's own JSONL or CSV
 * (lossless: `llmfin import` restores them exactly) or as FOCUS 1.2 for BI tools.
 * Streams to stdout or, atomically, to --out. The formats live in src/export/.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../../shared/errors.js';
import { countNoun } from '../../shared/count-noun.js';
import { DIMENSIONS, PROVENANCES, isDimensionName } from '../../ledger/ledger-schema.js';
import type { Provenance } from '../../ledger/ledger-schema.js';
import type { AtomicFile } from '../../export/atomic-file.js';
import type { ExportStats } from '../../export/write-export.js';
import type { LayersWritten, LeftOut } from '../../export/export-basis.js';
import type { Basis } from '../../reports/build-report.js';
import type { RecordedInvoice } from '../../ledger/queries/invoice-list.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { parseBasis, parsePeriod, parseWhere } from '../report-period.js';
import { RECORDED_ONLY_DIMENSIONS, isRecordedOnlyDimension } from '../../attribution/recorded-only-dimensions.js';
import { formatOfFileName } from '../../export/format-of-file-name.js';

/** Kept here rather than read from src/export so that `--help` loads nothing heavy. */
const EXPORT_FORMAT_IDS = ['focus', 'csv', 'jsonl'] as const;
const DEFAULT_FORMAT = 'jsonl';

interface ExportOptions {
  format?: string;
  out?: string;
  since?: string;
  until?: string;
  month?: string;
  provenance?: string;
  basis?: string;
  where?: string[];
}

const HELP = `
Formats:
  jsonl   llmfin's own format, one object per ledger row (the default)
  csv     the same fields as flat CSV with a header row
  focus   FOCUS 1.2 columns for BI and FinOps tools, plus x_llmfin_* columns

Without --format, --out's extension picks the format: .csv writes csv, .jsonl or .ndjson
jsonl, any other name (and stdout) jsonl. FOCUS is CSV too, so ask for it by name:
--format focus --out focus.csv. A --format the name contradicts (--format jsonl --out
x.csv) is written as given, with a warning.

A jsonl or csv export is lossless: \`llmfin import\` of it into an empty ledger gives the
same rows (same source, provenance, money to the last digit and dedupe identity), and
importing it again, or into the ledger it came from, changes nothing. Invoices are not
ledger rows and are in no export: the export names those of its dates, whose files the
new ledger needs imported too. A FOCUS export
carries the money as BilledCost: billed rows the provider's amount, priced rows llmfin's
price (x_llmfin_cost_basis says which) after any pricing.discounts discount, with the list
price before it as ListCost; unpriced rows write 0 with
x_llmfin_cost_status=unpriced, their cost being unknown. \`llmfin import\` reads a FOCUS
export back as the rows it was written from (by its x_llmfin_* columns), less what FOCUS
has no column for (raw usage, the catalogue version, the proxy's timings).

A FOCUS export counts each dollar once, as \`llmfin report\` does: where a provider's month
is in the ledger from several layers (a bill and the proxy's requests for it), its usage
rows come from the layer its money comes from (billed > provider_usage > metered), and a
note says which rows were left out. --basis LAYER writes one layer instead; --provenance
picks layers as asked (a sum of BilledCost may then count spend more than once: the export
warns). jsonl and csv write every row unless --basis or --provenance is given.

Rows are written oldest first, streamed (constant memory on any ledger size). With --out
the file appears only when complete; a failed export leaves no half file.

Examples:
  $ llmfin export --out ledger.jsonl
  $ llmfin export --month 2026-10 --out ledger-2026-10.csv
  $ llmfin export --format focus --month 2026-10 --out focus-2026-10.csv
  $ llmfin export --format focus --month 2026-10 --basis metered --out requests-2026-10.csv
  $ llmfin export --format csv --provenance billed --where team=search
  $ llmfin export --since 2026-10-01 --until 2026-10-15 | gzip > first-half.jsonl.gz`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('the ledger out again: FOCUS 1.2 for BI tools, or lossless CSV / JSONL that `llmfin import` reads back')
    .option('--format <format>', `${EXPORT_FORMAT_IDS.join(' | ')} (default: what --out's extension names, .csv or .jsonl/.ndjson; else ${DEFAULT_FORMAT})`)
    .option('--out <file>', 'write to this file (atomically) instead of stdout (- is stdout); without --format, its extension picks the format')
    .option('--since <when>', 'rows from this ISO date or UTC time on (inclusive), or 90d / 12w before today')
    .option('--until <date>', 'rows before this ISO date or UTC time (exclusive)')
    .option('--month <YYYY-MM>', 'rows of one UTC calendar month (instead of --since/--until)')
    .option('--basis <basis>', 'default (one layer per provider-month, as report counts; the default for focus), or one layer: billed, provider_usage, metered')
    .option('--provenance <layers>', `only these layers, comma-separated: ${PROVENANCES.join(', ')} (instead of --basis)`)
    .option('--where <dim=value>', 'only rows with this dimension value (the column as stored; model=gpt-4o: matched_model too, so its dated ids); repeatable or comma-separated; (unattributed) for missing', collect)
    .addHelpText('after', HELP)
    .action(async (opts: ExportOptions) => {
      await exportCommand(ctx, program, opts);
    });
}

/** The format given on the line: export's own option if it saw one, else the root's when given there. */
function givenFormat(program: Command, opts: ExportOptions): string | undefined {
  if (opts.format !== undefined) return opts.format;
  const source = program.getOptionValueSource('format');
  const value = program.getOptionValue('format') as unknown;
  return source === 'cli' && typeof value === 'string' ? value : undefined;
}

/**
 * The format to write: --format as given; else the one --out's extension names (a .csv
 * file is CSV, a .jsonl or .ndjson file JSONL); else the default. A --format the name
 * contradicts still wins, as a flag does over every other source, with a warning (what
 * `mismatch` says): the file is written as asked, and `llmfin import` reads it by its
 * content, but a spreadsheet or a colleague going by its name would not.
 */
function chosenFormat(program: Command, opts: ExportOptions): { formatId: string; mismatch?: string } {
  const given = givenFormat(program, opts);
  const named = opts.out === undefined || opts.out === '-' ? undefined : formatOfFileName(opts.out);
  if (given === undefined) return { formatId: named?.format ?? DEFAULT_FORMAT };
  if (named === undefined || named.fits.includes(given)) return { formatId: given };
  const text = given === 'jsonl' ? 'JSONL' : 'CSV';
  return {
    formatId: given,
    mismatch: `--out "${opts.out}" is named as ${named.format} (${named.extension}), but --format ${given} writes ${text} into it, as given; leave out --format to write what the name says`,
  };
}

function parseProvenance(text: string | undefined): Provenance[] | undefined {
  if (text === undefined) return undefined;
  const layers = text.split(',').map((s) => s.trim());
  for (const layer of layers) {
    if (!(PROVENANCES as readonly string[]).includes(layer)) {
      throw new UsageError(`--provenance: expected ${PROVENANCES.slice(0, -1).join(', ')} or ${PROVENANCES.at(-1)}, got "${layer}"`, { option: '--provenance' });
    }
  }
  return [...new Set(layers)] as Provenance[];
}

/**
 * `--where` as report reads it (repeatable or comma-separated, one value per dimension,
 * `(unattributed)` for none), on the row's own columns: an export writes rows as stored,
 * so a dimension must be one the ledger has a column for.
 */
function columnWhere(items: readonly string[]): Record<string, string> {
  const where = parseWhere(items);
  for (const name of Object.keys(where)) {
    if (!isDimensionName(name) && !isRecordedOnlyDimension(name)) {
      throw new UsageError(`--where: expected one of ${[...DIMENSIONS, ...RECORDED_ONLY_DIMENSIONS].join(', ')}, got "${name}"`, {
        option: '--where',
        hint: 'an export filters the ledger columns as stored; report --where reads the attribution rules too',
      });
    }
  }
  return where;
}

async function exportCommand(ctx: CliContext, program: Command, opts: ExportOptions): Promise<void> {
  const { formatId, mismatch } = chosenFormat(program, opts);
  if (!(EXPORT_FORMAT_IDS as readonly string[]).includes(formatId)) {
    throw new UsageError(`--format: expected focus, csv or jsonl, got "${formatId}"`, { option: '--format', hint: 'llmfin export --help lists the formats' });
  }
  const basis = chosenBasis(formatId, opts);
  const period = parsePeriod(opts);
  const filter = { ...period, provenance: basis === undefined || basis === 'default' ? parseProvenance(opts.provenance) : [basis], where: columnWhere(opts.where ?? []) };
  const [{ exportFormatById }, { exportRows }, { writeExport }, { streamSink }, { defaultBasisLayers, onDefaultBasis, recordLayers }] = await Promise.all([
    import('../../export/export-formats.js'),
    import('../../export/export-rows.js'),
    import('../../export/write-export.js'),
    import('../../export/stream-sink.js'),
    import('../../export/export-basis.js'),
  ]);
  let format = exportFormatById(formatId)!;
  if (format.id === 'focus') {
    const { config } = await ctx.config();
    const [{ createFocusFormat }, { listCostFrom }, { Attributor }] = await Promise.all([import('../../export/focus-writer.js'), import('../../export/list-cost.js'), import('../../attribution/attributor.js')]);
    format = createFocusFormat({
      // ListCost is the price before the negotiated discounts in llmfin.yaml: the catalogue says it.
      listCost: config.pricing.discounts.length > 0 ? listCostFrom(await ctx.pricer()) : undefined,
      // Tags carry the dimensions reports give the rows, so a BI tool's chargeback agrees.
      attributor: config.attribution.rules.length > 0 ? new Attributor(config.attribution.rules) : undefined,
    });
  }
  // `--out -` is stdout, as for most command-line tools, not a file named "-".
  if (opts.out === '-') delete opts.out;
  const outPath = opts.out === undefined ? undefined : checkOutPath(ctx.io.cwd, opts.out, await ctx.ledgerPath());
  // Said once the arguments are known good, before the rows are read.
  if (mismatch !== undefined) ctx.warn(mismatch);
  const ledger = await ctx.openLedger({ create: false });
  let stats: ExportStats;
  const leftOut: LeftOut = new Map();
  const written: LayersWritten = new Map();
  let invoices: RecordedInvoice[] = [];
  try {
    invoices = await invoicesOfExport(ledger, period, filter);
    const layers = basis === 'default' ? await defaultBasisLayers(ledger, period.since, period.until) : undefined;
    // The default basis leaves out what would count twice; else a FOCUS file is checked for it (warnLayers).
    const rows = () => {
      if (layers !== undefined) return onDefaultBasis(exportRows(ledger, filter), layers, leftOut);
      return format.id === 'focus' ? recordLayers(exportRows(ledger, filter), written) : exportRows(ledger, filter);
    };
    if (outPath === undefined) {
      stats = await writeExport(rows(), format, streamSink(ctx.io.stdout));
    } else {
      const file = await openOutFile(opts.out!, outPath);
      // A write that fails (a full disk, a file size limit) is about --out, not a fault of llmfin's.
      const sink = { write: (text: string) => file.write(text).catch((error: unknown) => Promise.reject(cannotWrite(opts.out!, error))) };
      try {
        stats = await writeExport(rows(), format, sink);
        await file.commit().catch((error: unknown) => Promise.reject(cannotWrite(opts.out!, error)));
      } catch (error) {
        await file.abort();
        throw error;
      }
    }
    // A --where no row meets is named, with the values there are, rather than left as an empty file.
    if (stats.rows === 0) await (await import('./export-empty-where.js')).explainEmptyExportWhere(ctx, ledger, filter.where);
  } finally {
    await ledger.close();
  }
  const { rows, unpricedRows: unpriced } = stats;
  if (rows === 0) ctx.info(`note: no ledger rows match; ${format.id === 'jsonl' ? 'nothing was written' : 'only the header was written'}`);
  if (format.id === 'focus' && unpriced > 0) {
    ctx.warn(`${countNoun(unpriced, 'unpriced row')} written with BilledCost 0: ${unpriced === 1 ? 'its' : 'their'} cost is unknown, not $0 (x_llmfin_cost_status=unpriced)`);
  }
  if (basis === 'default') noteLeftOut(ctx, leftOut);
  else if (format.id === 'focus') warnLayers(ctx, written);
  warnInvoices(ctx, format.id, invoices);
  if (opts.out !== undefined) ctx.info(`exported ${countNoun(rows, 'row')} as ${format.id} to ${opts.out}`);
}

/**
 * The basis the rows are chosen on: --basis as given; else, for FOCUS (summed by the tools
 * that read it) without --provenance, the default basis; else none (every layer asked for).
 */
function chosenBasis(formatId: string, opts: ExportOptions): Basis | undefined {
  if (opts.basis !== undefined) {
    if (opts.provenance !== undefined) {
      throw new UsageError('--basis: give --basis or --provenance, not both', { option: '--basis', hint: '--basis picks one layer per provider-month (or one layer); --provenance picks layers as they are' });
    }
    return parseBasis(opts.basis);
  }
  return formatId === 'focus' && opts.provenance === undefined ? 'default' : undefined;
}

/**
 * The invoices an export with this filter leaves out: an invoice is not a ledger row, so
 * no format carries it, yet reports take a month's money from its usage lines and
 * reconcile compares against it. Those of the export's dates, when it asks for the billed
 * layer and for nothing an invoice cannot have (a team, a feature: only its provider).
 */
async function invoicesOfExport(
  ledger: LedgerStore,
  period: { since?: string; until?: string },
  filter: { provenance?: readonly Provenance[]; where: Record<string, string> },
): Promise<RecordedInvoice[]> {
  if (filter.provenance !== undefined && !filter.provenance.includes('billed')) return [];
  if (Object.keys(filter.where).some((dim) => dim !== 'provider')) return [];
  const [{ recordedInvoices }, { invoiceMeets }] = await Promise.all([import('../../ledger/queries/invoice-list.js'), import('../../reports/invoice-months.js')]);
  const provider = filter.where.provider;
  return (await recordedInvoices(ledger, period)).filter((inv) => (provider === undefined || inv.provider === provider) && invoiceMeets(inv, period));
}

/**
 * Names the invoices the export left out. Imported from a jsonl or csv export alone, a
 * ledger would take those months' money from their billed exports instead and reconcile
 * them against no invoice; a FOCUS file's BilledCost can differ from the report there
 * (USD invoices: reports add up no other currency).
 */
function warnInvoices(ctx: CliContext, formatId: string, recorded: readonly RecordedInvoice[]): void {
  // A FOCUS file is summed against reports, which add up USD invoices only.
  const invoices = formatId === 'focus' ? recorded.filter((inv) => inv.currency === 'USD') : recorded;
  if (invoices.length === 0) return;
  const named = invoices.slice(0, 5).map((inv) => `${inv.provider} ${inv.number}${inv.currency === 'USD' ? '' : ` (${inv.currency})`}`);
  const more = invoices.length > 5 ? ` and ${invoices.length - 5} more` : '';
  const what = `${countNoun(invoices.length, 'invoice')} of these dates ${invoices.length === 1 ? 'is' : 'are'} not in the export (an invoice is not a ledger row): ${named.join(', ')}${more}`;
  if (formatId === 'focus') {
    ctx.warn(`${what}; \`llmfin report\` takes those months' usage from the invoices, so a sum of BilledCost can differ from its total there (\`llmfin reconcile\` shows by how much)`);
  } else {
    ctx.warn(`${what}; a ledger made from this file alone reports and reconciles those months without them: import the invoice files into it too (\`llmfin import invoices.yaml\`)`);
  }
}

/** Says which usage rows the default basis left out, and how to have them. */
function noteLeftOut(ctx: CliContext, leftOut: LeftOut): void {
  if (leftOut.size === 0) return;
  const months = [...leftOut].sort(([a], [b]) => a.localeCompare(b));
  const shown = months.slice(0, 3).map(([key, counts]) => {
    const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([layer, n]) => countNoun(n, `${layer} row`));
    return `${key} (${parts.join(', ')})`;
  });
  const more = months.length > 3 ? `; ${months.length - 3} more provider-months too` : '';
  ctx.info(
    `note: one layer per provider-month, as \`llmfin report\` counts money: left out the usage rows of a less authoritative layer in ${shown.join('; ')}${more}; ` +
      '--basis LAYER exports one layer whole',
  );
}

/**
 * A FOCUS file is summed by the tools that read it. Where --provenance put a provider's
 * month in the file from more than one layer (its bill, its usage API, the proxy's
 * requests), every layer holds the same spend, and a sum of BilledCost counts it once per
 * layer; the default basis takes one layer per provider-month. Say so.
 */
function warnLayers(ctx: CliContext, layers: ReadonlyMap<string, ReadonlySet<string>>): void {
  const overlaps = [...layers].filter(([, set]) => set.size > 1);
  if (overlaps.length === 0) return;
  const shown = overlaps.slice(0, 3).map(([key, set]) => `${key} is in ${set.size} layers (${[...set].sort().join(', ')})`);
  const more = overlaps.length > 3 ? `; ${overlaps.length - 3} more provider-months too` : '';
  ctx.warn(
    `a sum of BilledCost counts the same spend more than once: ${shown.join('; ')}${more}; ` +
      'leave out --provenance to export one layer per provider-month as `llmfin report` counts it, or sum per x_llmfin_provenance',
  );
}

/** The absolute path of --out, checked before the ledger is read: a usage error names what is wrong. */
function checkOutPath(cwd: string, out: string, ledger: string): string {
  const path = resolve(cwd, out);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--out: "${out}" is a directory; give a file name`, { option: '--out' });
  // The export is plain text: under a compressed name it would be a file gunzip refuses.
  const compressed = /\.(gz|gzip|bz2|xz|zst|zip)$/i.exec(out);
  if (compressed) {
    throw new UsageError(`--out: "${out}" names a ${compressed[1]!.toLowerCase()} file, but an export is written as plain text; expected a name such as "${out.slice(0, -compressed[0].length)}"`, {
      option: '--out',
      hint: `to compress it, pipe it: llmfin export … | gzip > ${out}`,
    });
  }
  // The export is renamed over --out when complete: over the ledger (or its journal), it
  // would replace the ledger it was read from.
  const ledgerFiles = [ledger, `${ledger}-wal`, `${ledger}-shm`, `${ledger}-journal`].map((f) => sameFileKey(f));
  const target = sameFileKey(path);
  if (target !== undefined && ledgerFiles.includes(target)) {
    throw new UsageError(`--out: "${out}" is the ledger being exported; give another file name`, { option: '--out' });
  }
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out: no directory "${dirname(out)}" to write "${out}" in`, { option: '--out' });
  return path;
}

function cannotWrite(out: string, error: unknown): UsageError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UsageError(`--out: cannot write "${out}" (${reason}); nothing was written there`, {
    option: '--out',
    hint: 'free some space, or give --out a file on another disk',
  });
}

async function openOutFile(out: string, path: string): Promise<AtomicFile> {
  const { createAtomicFile } = await import('../../export/atomic-file.js');
  try {
    return await createAtomicFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`--out: cannot write "${out}" (${code})`, { option: '--out' });
  }
}

/** A path as the file it names: the real path when it exists (links, `..`), else the path itself. */
function sameFileKey(path: string): string | undefined {
  try {
    return existsSync(path) ? realpathSync(path) : resolve(path);
  } catch {
    return undefined;
  }
}
