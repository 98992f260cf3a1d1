/** `llmfin route feedback --request-id ID --outcome good|bad|escalated`: an outcome routing learns from. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { UsageError } from '../../shared/errors.js';
import type { RouteOutcome } from '../../ledger/ledger-schema.js';
import { recordFeedback } from '../../routing/route-feedback-store.js';

/** The longest --note kept. */
export const MAX_NOTE_CHARS = 1000;

export async function routeFeedbackCommand(ctx: CliContext, opts: { requestId: string; outcome: RouteOutcome; note?: string }): Promise<void> {
  const id = opts.requestId.trim();
  if (id === '' || id.length > 200) throw new UsageError(`--request-id: expected the request id the proxy returned (x-llmfin-request-id), got "${opts.requestId}"`, { option: '--request-id' });
  // A note is a remark beside an outcome, not a place for a transcript: prompts stay out of the ledger unless store_prompts says otherwise.
  if (opts.note !== undefined && opts.note.length > MAX_NOTE_CHARS) {
    throw new UsageError(`--note: expected a short note of at most ${MAX_NOTE_CHARS.toLocaleString('en-US')} characters, got ${opts.note.length.toLocaleString('en-US')}`, { option: '--note' });
  }
  // Feedback is about a request the proxy recorded in this ledger: a --db that names no ledger is a mistake, not one to create.
  const ledger = await ctx.openLedger({ create: false });
  let receipt;
  try {
    receipt = await recordFeedback(ledger, id, opts.outcome, opts.note, new Date());
  } finally {
    await ledger.close();
  }
  // The proxy writes rows in batches: feedback may arrive first, so it is kept either way.
  if (!receipt.row_found) ctx.warn(`no ledger row has request id ${id} yet; the feedback is kept and counts once the row arrives`);
  emit(ctx, { json: receipt, table: `recorded: ${id} → ${opts.outcome}` });
}
