/**
 * What `check` and `baseline save` say when the run they read has no request. With
 * --since/--until the window is the likelier mistake: it is named as the user wrote it
 * and as read, and the hint is about the window, not about recording the run.
 */
import { countNoun } from '../../shared/count-noun.js';
import { UsageError } from '../../shared/errors.js';

export interface EmptyRun {
  runId: string | undefined;
  /** The flags as given, and the instants they were read as. */
  flags: { since?: string | undefined; until?: string | undefined };
  period: { since?: string | undefined; until?: string | undefined };
  /** Attempts the upstream refused before any token ran: left out of the run, so named. */
  failedAttempts: number;
  ledgerPath: string;
  /** What the command cannot do, after the ledger's path (": nothing to check"), or empty. */
  consequence: string;
}

export function emptyRunError(e: EmptyRun): UsageError {
  const window = [
    e.flags.since !== undefined ? `from ${e.period.since} (--since ${e.flags.since})` : undefined,
    e.flags.until !== undefined ? `before ${e.period.until} (--until ${e.flags.until})` : undefined,
  ].filter((w) => w !== undefined);
  const failed = e.failedAttempts > 0 ? ` (only ${countNoun(e.failedAttempts, 'attempt')} the upstream answered with an error, which ran no model)` : '';
  return new UsageError(
    `no metered requests${e.runId !== undefined ? ` tagged run_id=${e.runId}` : ''}${window.length ? ` ${window.join(' and ')}` : ''} in ${e.ledgerPath}${e.consequence}${failed}`,
    {
      ...(window.length ? { option: e.flags.since !== undefined ? '--since' : '--until' } : {}),
      hint: window.length
        ? 'widen or drop --since/--until: the run must have requests inside the window'
        : 'run the tests through `llmfin proxy --run-id ID --record-only` (or import the run\'s JSONL) and pass the same id with --run (or $LLMFIN_RUN_ID)',
    },
  );
}
