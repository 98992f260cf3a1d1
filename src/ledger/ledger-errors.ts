/**
 * The ledger's user-facing failures. Each names the ledger file and says what to do;
 * all are exit 2 because the user chose the path (`--db`, `LLMFIN_DB`, llmfin.yaml).
 */
import { ExitCode, LlmfinError } from '../shared/errors.js';
import { DIMENSIONS } from './ledger-schema.js';

/** The ledger file cannot be opened or created: why, in words, with the path. */
export class LedgerOpenError extends LlmfinError {
  override readonly name = 'LedgerOpenError';
  /** The ledger path as given to `openLedger`. */
  readonly path: string;

  constructor(path: string, reason: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`cannot open ledger ${path}: ${reason}`, {
      exitCode: ExitCode.badInput,
      hint: options.hint ?? 'use --db PATH (or LLMFIN_DB) to open another ledger',
      cause: options.cause,
    });
    this.path = path;
  }
}

/** The ledger was written by a newer llmfin; it is left untouched. */
export class LedgerVersionError extends LlmfinError {
  override readonly name = 'LedgerVersionError';
  readonly path: string;
  /** The schema version the file says it has. */
  readonly found: number;
  /** The newest schema version this llmfin knows. */
  readonly known: number;

  constructor(path: string, found: number, known: number) {
    super(
      `${path} was written by a newer llmfin (ledger schema ${found}, this llmfin knows up to ${known}); ` +
        'upgrade llmfin, or use --db to open another ledger',
      { exitCode: ExitCode.badInput },
    );
    this.path = path;
    this.found = found;
    this.known = known;
  }
}

/** A report asked for a dimension the ledger does not have. */
export class UnknownDimensionError extends LlmfinError {
  override readonly name = 'UnknownDimensionError';
  readonly dimension: string;

  constructor(dimension: string) {
    super(`unknown dimension "${dimension}"; expected one of ${DIMENSIONS.join(', ')}`, { exitCode: ExitCode.badInput });
    this.dimension = dimension;
  }
}
