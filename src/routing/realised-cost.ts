/**
 * What the proxy's rewriting of a request's model (routing in enforce mode, a budget's
 * downgrade) realised, read from the row it recorded: `llmfin route simulate`'s
 * `realised` line and `llmfin report --by routed_from` both count it here, so that one
 * period gives one figure in both.
 */
import { dec, type Dec } from '../shared/money.js';
import type { RoutedRow } from './routed-rows.js';

/**
 * A row the proxy served with another model than the one asked for, with both costs
 * recorded. Rewritten is what the tag `routed_from` says, not a `model` that differs from
 * `model_requested`: OpenAI answers `gpt-4o` with the snapshot that ran, `gpt-4o-2024-08-06`.
 * Undefined for a row not rewritten, and for a rewritten one without both costs (the
 * requested model had no price): its saving is unknown, not $0.
 */
export function realisedCosts(row: Pick<RoutedRow, 'routed_from' | 'record' | 'cost_usd'>): { original: Dec; cost: Dec } | undefined {
  const original = row.record?.original_cost_usd;
  if (row.routed_from === undefined) return undefined;
  if (typeof original !== 'string' || row.cost_usd === null) return undefined;
  try {
    return { original: dec(original), cost: dec(row.cost_usd) };
  } catch {
    return undefined;
  }
}

/** An attempt that failed before the model ran: an error status and not a token recorded. */
export function isErrorRow(
  row: Pick<RoutedRow, 'status_code' | 'input_tokens' | 'output_tokens' | 'cache_read_tokens' | 'cache_write_5m_tokens' | 'cache_write_1h_tokens' | 'reasoning_tokens'>,
): boolean {
  if (row.status_code === null || row.status_code < 400) return false;
  return (
    row.input_tokens === 0 && row.output_tokens === 0 && row.cache_read_tokens === 0 &&
    row.cache_write_5m_tokens === 0 && row.cache_write_1h_tokens === 0 && row.reasoning_tokens === 0
  );
}
