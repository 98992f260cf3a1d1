/**
 * A file refused because the ledger holds the same usage from an earlier import of its
 * source that it would not replace (ledger/queries/overlapping-batches.ts): imported
 * beside it, every report would count those days twice.
 */
import { LlmfinError } from '../shared/errors.js';
import type { OverlapFinding } from '../ledger/queries/overlapping-batches.js';

/** How a batch is named: by number, or (a dry run's scratch batches) by the file given earlier. */
export type BatchNamer = (batchId: number, fileName: string | null) => { name: string; undo: boolean };

const byNumber: BatchNamer = (id, file) => ({ name: `batch ${id}${file === null ? '' : ` (${file})`}`, undo: true });

function days(f: OverlapFinding): string {
  return f.firstDay === f.lastDay ? f.firstDay : `${f.firstDay} … ${f.lastDay}`;
}

/** How a `coarser` finding's buckets reach past the file's period. */
const REACH = {
  start: "start before this file's period and reach into it",
  end: "start inside this file's period and end after it",
  both: "start before this file's period or end after it",
} as const;

/** A bucket width (seconds) as the refusal names it: "hourly", "daily", "monthly", else its hours. */
function bucket(seconds: number): string {
  if (seconds === 3600) return 'hourly';
  if (seconds === 86_400) return 'daily';
  if (seconds >= 28 * 86_400 && seconds <= 31 * 86_400) return 'monthly';
  return `${+(seconds / 3600).toFixed(2)}-hour`;
}

/** Why the file is refused beside one batch; `byNumber`: the batch is named by number, not as a file given earlier in a dry run (which says so itself). */
function why(f: OverlapFinding, name: string, byNumber: boolean): string {
  if (f.kind === 'coarser') return `${name} has rows of the same accounts whose buckets ${REACH[f.edge ?? 'start']} (${days(f)}): a coarser export of hours this file covers`;
  if (f.kind === 'other-buckets') {
    const widths = f.widths === undefined ? 'in buckets of another width than this file\'s' : `in ${bucket(f.widths.earlier)} buckets where this file's are ${bucket(f.widths.file)}`;
    return `${name}${byNumber ? ', given earlier in this command,' : ''} has the same accounts' usage of the same models ${widths} (${days(f)}): the same usage exported twice, not parts of one export`;
  }
  return `${name} holds the same usage grouped otherwise on ${days(f)}: its totals per day and model equal this file's`;
}

export class OverlapRefusedError extends LlmfinError {
  override readonly name = 'OverlapRefusedError';
  readonly file: string;
  readonly source: string;
  readonly findings: readonly OverlapFinding[];

  constructor(file: string, source: string, findings: readonly OverlapFinding[], namer: BatchNamer = byNumber) {
    const named = findings.map((f) => ({ f, ...namer(f.batchId, f.fileName) }));
    const undoable = named.filter((n) => n.undo);
    const coarser = findings.some((f) => f.kind === 'coarser');
    const keep = undoable.length > 0 ? `to keep this file instead, run ${undoable.map((n) => `llmfin import --undo ${n.f.batchId}`).join(', then ')} and import it again` : 'import only one of them';
    super(
      `${file} (${source}): ${named.map((n) => why(n.f, n.name, n.undo)).join('; ')}; imported beside it, reports would count those days twice, so nothing was imported from this file`,
      {
        hint:
          `${keep}${coarser ? '; or export whole days (00:00 to 00:00 UTC), which replace the earlier rows' : ''}; ` +
          'if they really are different usage (another organisation: give each its --account NAME; another project), import it with --allow-overlap',
      },
    );
    this.file = file;
    this.source = source;
    this.findings = findings;
  }

  /** The same refusal naming batches with `namer` (a dry run's scratch batches by their files). */
  naming(namer: BatchNamer): OverlapRefusedError {
    return new OverlapRefusedError(this.file, this.source, this.findings, namer);
  }
}
