/**
 * The import extension point. An importer reads one kind of file as a stream and
 * yields ledger entries and per-row issues; it never touches the database
 * (`run-import.ts` records a whole file in one transaction). See ARCHITECTURE.md.
 */
import type { NewUsageEntry, Provenance } from '../ledger/ledger-schema.js';
import type { InvoiceInput, InvoiceLineInput } from '../ledger/queries/insert-invoice.js';
import type { StatedPeriod } from '../ledger/queries/record-import-stream.js';
import type { Pricer } from '../pricing/pricer.js';
import type { SourceInput, SourceSample } from './source-input.js';
import type { MeterMap } from './meter-map.js';

export interface ImportContext {
  pricer: Pricer;
  catalogueVersion: string;
  /** The path the user gave, for messages. */
  fileName: string;
  /** Import time: `created_at` on every row. */
  now: Date;
  /** The user's mappings for bill meters llmfin does not recognise (`import.meters`). */
  meters?: MeterMap;
  /**
   * Set by runImport for an importer with `legacyKeysBelow` when the ledger holds rows
   * of its source keyed the older way: this import then keys its rows that way too, so
   * that a re-import finds them by key as before.
   */
  legacyKeys?: boolean;
}

/** `detect`'s verdict, with the reason when it refuses (shown when no importer accepts a file). */
export type Detection = { ok: true } | { ok: false; reason: string };

/** One thing an importer found in a file. */
export type ImportItem =
  | { kind: 'entry'; line: number; entry: NewUsageEntry }
  /**
   * A row that cannot be read, or with `wholeFile` the file itself (a header without a
   * column the source needs): that has no row to reject, so the file is refused whole,
   * with --skip-invalid too, where rejecting it as a row would record an empty batch;
   * `hint` then says what helps (a header's column to restore), when a file cut short does not.
   */
  | { kind: 'issue'; line: number; column?: string | undefined; message: string; wholeFile?: true; hint?: string }
  /** An invoice with its lines; recorded with the batch, in the same transaction. */
  | { kind: 'invoice'; line: number; invoice: InvoiceInput; lines: InvoiceLineInput[]; /** What the import should say of it (a line it read as another kind). */ notes?: string[] }
  /**
   * The period the file says it covers, empty buckets included (API pages list every
   * bucket asked for): a replacing import replaces that whole period, not only the days
   * its rows fall on (see StatedPeriod).
   */
  | { kind: 'period'; period: StatedPeriod; /** What the import should say of the file (pages missing after its last). */ notes?: string[] }
  /**
   * The file's last line, cut off by the writer still writing it (no line break ends it,
   * and it does not parse): a log read while its agent runs. The lines before it are
   * imported; this one is left for the next import of the grown file, which reads it
   * whole. Only for a line `lines()` marks `unterminated`: a bad line anywhere else, or
   * one a line break ends, is an issue.
   */
  | { kind: 'unfinished'; line: number }
  /** What the import should say of a file whose rows do not show it (why it has none). */
  | { kind: 'note'; note: string };

export interface Importer {
  /** Stable id used with `--source` and stored on every row. */
  id: string;
  /** One line for `llmfin sources`: what it reads. */
  description: string;
  /** Where the user gets the file, for `llmfin sources` and the README. */
  obtain: string;
  provenance: Provenance | 'mixed';
  /**
   * Whether a file from this source is the complete truth for the period and account it
   * covers, so that a corrected export replaces rows of an earlier one (cost exports,
   * CUR) instead of adding to them.
   */
  replacesPeriod: boolean;
  /**
   * What `llmfin import --account NAME` does with this source's files. 'prefix': its
   * exports may not say which organisation they come from (the Console CSVs name only a
   * workspace, and every organisation has one called "Default"), so two organisations'
   * files of a period would look like one account's and the second would replace the
   * first; NAME is put before each row's account and dedupe key (`run-import.ts`).
   * Otherwise `--account` is refused with `refused`, the reason shown to the user (its
   * rows already name an account no other organisation shares, or are keyed by ids no
   * other organisation's rows have and never replace a period). Undefined: refused.
   */
  accountOption?: 'prefix' | { refused: string };
  /**
   * Whether a file is a log read while it is written, whose rows a later write may finish
   * (Claude Code logs a streamed message again with its final output count): a row
   * imported again under its key with other usage replaces the earlier one, instead of
   * being skipped as a duplicate. The same usage is still a duplicate.
   */
  rowsGrow?: true;
  /**
   * Whether each row's account begins with the kind of usage it counts, `kind` or
   * `kind:group` (the Usage API's endpoint, a dashboard CSV's file kind), to scope a
   * corrected export's replacement to its kind. Files of different kinds are then
   * different usage to the overlap guard (ledger/queries/overlapping-batches.ts), however
   * alike their totals.
   */
  kindInAccount?: true;
  /**
   * Whether a row's account (past its kind) names the project or workspace its usage
   * belongs to, present only when the export was grouped by it (null or none otherwise):
   * the overlap guard then takes files of disjoint groups for different projects' usage.
   * Not for a source whose ungrouped rows name the organisation or whose groups overlap.
   */
  groupOwnsUsage?: true;
  /**
   * Whether rows are trace spans, keyed `trace:span`, whose raw usage lists the spans above
   * and below them in their file (`ancestor_span_ids`, `descendant_span_ids`), so that a
   * span totalling spans of another import is found after recording (ledger/queries/span-totals.ts).
   */
  spanTotals?: boolean;
  /**
   * Other sources that read the same traffic in another form (LiteLLM's spend logs and
   * its daily activity; a provider's dashboard CSV and its API pages): importing both for a
   * day counts that day twice, so the import warns when the ledger holds the other's rows
   * of the same provenance (a bill beside a bill, usage beside usage) for the file's days.
   */
  sameTrafficAs?: string | readonly string[];
  /**
   * For a source whose dedupe keys changed form: every key of the older form sorts
   * below this text and no key of the newer one does, so one probe of the (source,
   * dedupe_key) index tells whether a ledger holds any (see `ImportContext.legacyKeys`).
   */
  legacyKeysBelow?: string;
  /** Cheap sniffing of the decompressed first 64 KiB: content first, file name second. */
  detect(sample: SourceSample): Detection;
  /**
   * Optional: for a file forced on this source with `--source`, why it must still not read
   * it (another source's file that it would misread, such as llmfin's own FOCUS export
   * read as a bill), from the same sample; undefined to read it. The file is then refused
   * before any file of the command is imported.
   */
  refuseForced?(sample: SourceSample): { message: string; hint: string } | undefined;
  /**
   * The file's items in order. After a row's issue, go on with the next row: the caller
   * stops at the first issue by default, and with --skip-invalid it rejects that row and
   * records the others, which it can only do if they come. End the file after an issue only
   * when nothing more can be read from it (not JSON, no header, a truncated gzip).
   */
  read(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem>;
  /**
   * Optional: the same items as `read`, a block at a time (never an empty one), for a
   * source whose files run to millions of rows. runImport reads a source by it when
   * there is one (and hands a source's `read` on in blocks when not): an async step per
   * row cost ~0.3–0.4 µs, as much as a third of a simple row.
   */
  readBatches?(input: SourceInput, ctx: ImportContext): AsyncIterable<ImportItem[]>;
}
