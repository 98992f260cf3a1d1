/**
 * Why a group's cost per request moved, in the words a reviewer needs: a model
 * change, prompt (input) tokens up, output tokens up, cache hit ratio down, cache
 * writes up, web searches up, more requests past a long-context threshold, a service
 * tier change, and —
 * named separately so it is not blamed on the code — a price change. Heuristic by
 * design: each cause is listed when its own number moved noticeably, model changes
 * first (they move cost the most), then the token causes by size.
 */
import type { Dec } from '../shared/money.js';
import type { Side } from './compare-usage.js';

/** A move smaller than this is noise, not a cause. */
const TOKEN_NOISE = 0.01;
const MIX_NOISE = 0.05;
const CACHE_NOISE = 0.01;

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const signed = (r: number) => `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`;
const tokens = (n: number) => Math.round(n).toLocaleString('en-US');
/** A small per-request count (searches): up to two decimals. */
const few = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function likelyCauses(before: Side, after: Side, priceEffect: Dec | null): string[] {
  const causes: string[] = [];
  const models = [...new Set([...Object.keys(before.model_mix), ...Object.keys(after.model_mix)])].sort();
  const moved = models
    .map((m) => ({ m, was: before.model_mix[m] ?? 0, now: after.model_mix[m] ?? 0 }))
    .filter((x) => Math.abs(x.now - x.was) >= MIX_NOISE);
  const only = (mix: Record<string, number>) => (Object.keys(mix).length === 1 ? Object.keys(mix)[0] : undefined);
  const [from, to] = [only(before.model_mix), only(after.model_mix)];
  if (from !== undefined && to !== undefined && from !== to) causes.push(`model change: ${from} → ${to}`);
  else if (moved.length > 0) causes.push(`model change: ${moved.map((x) => `${x.m} ${pct(x.was)} → ${pct(x.now)}`).join(', ')}`);

  const tokenCauses: Array<{ size: number; text: string }> = [];
  const grew = (was: number, now: number) => (was > 0 ? (now - was) / was : now > 0 ? Infinity : 0);
  const input = grew(before.input_tokens_per_request, after.input_tokens_per_request);
  if (input > TOKEN_NOISE) {
    tokenCauses.push({
      size: input,
      text: `prompt tokens up: ${tokens(before.input_tokens_per_request)} → ${tokens(after.input_tokens_per_request)} per request${Number.isFinite(input) ? ` (${signed(input)})` : ''}`,
    });
  }
  const output = grew(before.output_tokens_per_request, after.output_tokens_per_request);
  if (output > TOKEN_NOISE) {
    tokenCauses.push({
      size: output,
      text: `output tokens up: ${tokens(before.output_tokens_per_request)} → ${tokens(after.output_tokens_per_request)} per request${Number.isFinite(output) ? ` (${signed(output)})` : ''}`,
    });
  }
  tokenCauses.sort((a, b) => b.size - a.size);
  causes.push(...tokenCauses.map((c) => c.text));

  if (before.cache_hit_ratio !== null && after.cache_hit_ratio !== null && before.cache_hit_ratio - after.cache_hit_ratio >= CACHE_NOISE) {
    causes.push(`cache hit ratio down: ${pct(before.cache_hit_ratio)} → ${pct(after.cache_hit_ratio)}`);
  }
  // What moves cost with the same tokens and models: dearer cache writes, searches, a tier.
  const writes = grew(before.cache_write_tokens_per_request, after.cache_write_tokens_per_request);
  if (writes > TOKEN_NOISE) {
    causes.push(`cache writes up: ${tokens(before.cache_write_tokens_per_request)} → ${tokens(after.cache_write_tokens_per_request)} tokens per request${Number.isFinite(writes) ? ` (${signed(writes)})` : ''}`);
  }
  if (grew(before.web_searches_per_request, after.web_searches_per_request) > TOKEN_NOISE) {
    causes.push(`web searches up: ${few(before.web_searches_per_request)} → ${few(after.web_searches_per_request)} per request`);
  }
  // The same tokens per request, but more of the requests past the model's long-context threshold.
  if (after.long_context_share - before.long_context_share >= MIX_NOISE) {
    causes.push(`long-context requests up: ${pct(before.long_context_share)} → ${pct(after.long_context_share)} of requests past the model's long-context threshold (priced at long-context rates)`);
  }
  const tiers = [...new Set([...Object.keys(before.tier_mix), ...Object.keys(after.tier_mix)])].sort();
  const tierMoved = tiers
    .map((t) => ({ t, was: before.tier_mix[t] ?? 0, now: after.tier_mix[t] ?? 0 }))
    .filter((x) => Math.abs(x.now - x.was) >= MIX_NOISE);
  const [tierFrom, tierTo] = [only(before.tier_mix), only(after.tier_mix)];
  if (tierFrom !== undefined && tierTo !== undefined && tierFrom !== tierTo) causes.push(`service tier change: ${tierFrom} → ${tierTo}`);
  else if (tierMoved.length > 0) causes.push(`service tier change: ${tierMoved.map((x) => `${x.t} ${pct(x.was)} → ${pct(x.now)}`).join(', ')}`);

  if (priceEffect !== null && !priceEffect.isZero()) {
    causes.push(`prices changed since the baseline: ${signed(priceEffect.toNumber())} on this token mix (not counted against this change)`);
  }
  return causes;
}
