/**
 * The verdict of `llmfin check` for a recorded run: each group of the current run
 * against its baseline group. A group fails when its cost per request at the
 * baseline's prices, or its tokens per request, grew past the tolerance, or when its
 * cost per request at current prices is above an absolute cap; a group the baseline
 * does not know is a warning (a failure with `strict`); one it knows that the run did not
 * exercise is shown as not run (a failure with `strict`).
 *
 * Growth is judged at the baseline's prices on both sides, so a catalogue change
 * alone moves nothing; the same comparison at current prices is shown beside it, and
 * the pure price effect (today's prices against the baseline's, on the current mix)
 * is reported and never counted against the change. A model neither catalogue nor
 * ledger could price has an unknown cost, not $0: the current run's requests to one the
 * baseline priced (or never used) fail the group, since a cost per request that leaves
 * them out could hide any regression; one unpriced on both sides is a warning (a failure
 * with `strict`). "Exactly at the tolerance"
 * passes: the test is after × 100 ≤ before × (100 + tolerance), on exact decimals.
 */
import { Dec, dec } from '../shared/money.js';
import type { BaselineGroup, TokenSlice, UsageSection } from './baseline-schema.js';
import { cacheHitRatio, mixTotals, modelMix, perRequest, tierMix } from './group-metrics.js';
import { likelyCauses } from './likely-causes.js';
import { priceMix, type MixCost, type SlicePricer } from './reprice.js';
import type { ThresholdsFor } from './thresholds.js';

export type ProblemKind = 'cost' | 'tokens' | 'cap' | 'new_group' | 'not_run' | 'unpriced';

export interface Problem {
  kind: ProblemKind;
  /** Fails the check (exit 1), or only warns. */
  fails: boolean;
  message: string;
}

/** One side of a comparison. */
export interface Side {
  requests: number;
  cost_per_request_baseline_prices: Dec;
  cost_per_request_current_prices: Dec;
  input_tokens_per_request: number;
  output_tokens_per_request: number;
  tokens_per_request: number;
  cache_hit_ratio: number | null;
  model_mix: Record<string, number>;
  /** Cache writes (5m and 1h) per request: priced above plain input. */
  cache_write_tokens_per_request: number;
  /** Server-side web searches per request, priced per search. */
  web_searches_per_request: number;
  /** Share of requests past a long-context threshold of their model (priced at its long-context rates). */
  long_context_share: number;
  /** Share of requests per service tier (`standard` when none was recorded). */
  tier_mix: Record<string, number>;
  /**
   * Requests to models nothing could price, at the baseline's and at current prices: their
   * cost is unknown (counted as $0), so a cost per request with any is only a lower bound.
   */
  unknown_cost_requests: { baseline_prices: number; current_prices: number };
}

export interface GroupVerdict {
  group: string;
  status: 'pass' | 'fail' | 'warn' | 'missing';
  before: Side | null;
  after: Side | null;
  /** Relative changes (0.125 = +12.5%), null when there is nothing to compare. */
  change: { cost_baseline_prices: Dec | null; cost_current_prices: Dec | null; tokens: Dec | null };
  /** What today's prices alone do to the current mix, against the baseline's prices. */
  price_effect: Dec | null;
  thresholds: { max_increase: Dec; max_token_increase: Dec; max_cost_per_request: Dec | undefined };
  problems: Problem[];
  causes: string[];
}

export interface UsageCheck {
  baseline_catalogue: string;
  current_catalogue: string;
  groups: GroupVerdict[];
  /** Models priced with the current catalogue because the baseline's snapshot lacks them. */
  fallback_models: string[];
  unpriced_models: string[];
  /** Of those, the ones with no recorded cost either: counted as $0, their cost unknown. */
  unknown_cost_models: string[];
  passed: boolean;
}

export interface UsageCheckInput {
  baseline: UsageSection;
  current: Map<string, TokenSlice[]>;
  /** When the current run's prices are looked up (its last request). */
  currentAt: Date;
  atBaselinePrices: SlicePricer;
  atCurrentPrices: SlicePricer;
  thresholds: ThresholdsFor;
  strict: boolean;
}

const HUNDRED = new Dec(100);

/** (after − before) / before, or null when before is zero. */
export function relativeChange(before: Dec, after: Dec): Dec | null {
  return before.isZero() ? null : after.minus(before).div(before);
}

/** True when after grew past `percent` over before (exactly at the limit passes). */
export function exceeds(before: Dec, after: Dec, percent: Dec): boolean {
  if (before.isZero()) return after.greaterThan(0);
  return after.times(HUNDRED).greaterThan(before.times(HUNDRED.plus(percent)));
}

function side(slices: readonly TokenSlice[], atBaseline: MixCost, atCurrent: MixCost): Side {
  const t = mixTotals(slices);
  const per = (n: number) => (t.requests > 0 ? n / t.requests : 0);
  return {
    requests: t.requests,
    cost_per_request_baseline_prices: perRequest(atBaseline.cost, t.requests),
    cost_per_request_current_prices: perRequest(atCurrent.cost, t.requests),
    input_tokens_per_request: per(t.input),
    output_tokens_per_request: per(t.output),
    tokens_per_request: per(t.input + t.output),
    cache_hit_ratio: cacheHitRatio(t),
    model_mix: modelMix(slices),
    cache_write_tokens_per_request: per(slices.reduce((n, s) => n + s.cache_write_5m + s.cache_write_1h, 0)),
    web_searches_per_request: per(slices.reduce((n, s) => n + s.web_searches, 0)),
    tier_mix: tierMix(slices),
    long_context_share: per(slices.reduce((n, s) => n + (s.long_context_above != null ? s.requests : 0), 0)),
    unknown_cost_requests: { baseline_prices: atBaseline.unknownRequests, current_prices: atCurrent.unknownRequests },
  };
}

/**
 * A relative change as a signed percentage to one decimal. Given the limit it was judged
 * against, a change past the limit that one decimal would round down onto it (+10.01%
 * against 10%) gets the decimals that show it is past, so a failure never reads "+10.0%
 * (limit +10%)".
 */
export const fmtPercent = (d: Dec | null, limit?: Dec): string => {
  if (d === null) return 'new';
  const pct = d.times(100);
  let places = 1;
  if (limit !== undefined && pct.greaterThan(limit)) while (places < 6 && !dec(pct.toFixed(places)).greaterThan(limit)) places++;
  return `${d.isNegative() ? '' : '+'}${pct.toFixed(places)}%`;
};

/**
 * An amount above `limit`, to three significant digits, or as many more as it takes to
 * read as above it: $0.0049525 against a cap of $0.00495 is "$0.0049525", not "$0.00495".
 */
export function fmtAbove(value: Dec, limit: Dec): string {
  let digits = 3;
  while (digits < 20 && !value.toSignificantDigits(digits).greaterThan(limit)) digits++;
  return value.toSignificantDigits(digits).toFixed();
}

export function checkUsage(input: UsageCheckInput): UsageCheck {
  const baselineAt = new Date(input.baseline.priced_at);
  const fallback = new Set<string>();
  const unpriced = new Set<string>();
  const unknown = new Set<string>();
  const note = (m: MixCost) => {
    for (const x of m.fallbackModels) fallback.add(x);
    for (const x of m.unpricedModels) unpriced.add(x);
    for (const x of m.unknownCostModels) unknown.add(x);
  };
  const names = [...new Set([...Object.keys(input.baseline.groups), ...input.current.keys()])].sort();
  const groups: GroupVerdict[] = [];
  for (const group of names) {
    const t = input.thresholds(group);
    const base: BaselineGroup | undefined = input.baseline.groups[group];
    const now = input.current.get(group);
    const verdict: GroupVerdict = {
      group,
      status: 'pass',
      before: null,
      after: null,
      change: { cost_baseline_prices: null, cost_current_prices: null, tokens: null },
      price_effect: null,
      thresholds: { max_increase: t.maxIncrease, max_token_increase: t.maxTokenIncrease, max_cost_per_request: t.maxCostPerRequest },
      problems: [],
      causes: [],
    };
    groups.push(verdict);

    let b0: MixCost | undefined;
    if (base) {
      b0 = priceMix(input.atBaselinePrices, base.token_mix, baselineAt);
      const b1 = priceMix(input.atCurrentPrices, base.token_mix, input.currentAt);
      note(b0);
      note(b1);
      verdict.before = side(base.token_mix, b0, b1);
    }
    if (!now) {
      verdict.status = 'missing';
      // Strict: the run must match the baseline both ways. A group that stopped appearing
      // may have moved its traffic to a new name (which strict already fails) or lost its tests.
      if (input.strict) {
        verdict.problems.push({ kind: 'not_run', fails: true, message: `"${group}" is in the baseline but not in this run (--strict): run its requests, or save a new baseline if it is gone` });
        verdict.status = 'fail';
      }
      continue;
    }
    const a0 = priceMix(input.atBaselinePrices, now, baselineAt);
    const a1 = priceMix(input.atCurrentPrices, now, input.currentAt);
    note(a0);
    note(a1);
    const after = side(now, a0, a1);
    verdict.after = after;
    verdict.price_effect = relativeChange(after.cost_per_request_baseline_prices, after.cost_per_request_current_prices);

    const before = verdict.before;
    if (!before || !b0 || !base) {
      verdict.problems.push({
        kind: 'new_group',
        fails: input.strict,
        message: `no baseline for "${group}"${input.strict ? ' (--strict)' : ''}: save a new baseline to start tracking it`,
      });
    } else {
      verdict.change = {
        cost_baseline_prices: relativeChange(before.cost_per_request_baseline_prices, after.cost_per_request_baseline_prices),
        cost_current_prices: relativeChange(before.cost_per_request_current_prices, after.cost_per_request_current_prices),
        tokens: relativeChange(dec(before.tokens_per_request), dec(after.tokens_per_request)),
      };
      // A model the baseline could not price but this run does not leave unknown (priced now,
      // or no longer used) counts as $0 in the baseline only: its cost per request is then a
      // lower bound that any price would seem to grow past ("+100%", or "new" from $0). Not
      // compared; the unpriced warning below says why (a failure with strict).
      const unknownInRun = new Set(a0.unknownCostModels);
      const comparable = b0.unknownCostModels.every((m) => unknownInRun.has(m));
      // Cross-multiplied on exact sums, not on the rounded per-request figures.
      if (comparable && exceeds(b0.cost.times(a0.requests), a0.cost.times(b0.requests), t.maxIncrease)) {
        verdict.problems.push({
          kind: 'cost',
          fails: true,
          // From a free model's $0 a request no percentage says how much: the amounts do.
          message: `cost per request ${verdict.change.cost_baseline_prices === null ? `up from $0 to $${fmtAbove(a0.cost.div(a0.requests), new Dec(0))}` : fmtPercent(verdict.change.cost_baseline_prices, t.maxIncrease)} at the baseline's prices (limit +${t.maxIncrease.toFixed()}%)`,
        });
      }
      const tokensBefore = mixTotals(base.token_mix);
      const tokensAfter = mixTotals(now);
      const tb = dec(tokensBefore.input + tokensBefore.output).times(tokensAfter.requests);
      const ta = dec(tokensAfter.input + tokensAfter.output).times(tokensBefore.requests);
      if (exceeds(tb, ta, t.maxTokenIncrease)) {
        verdict.problems.push({
          kind: 'tokens',
          fails: true,
          message: `tokens per request ${fmtPercent(verdict.change.tokens, t.maxTokenIncrease)} (limit +${t.maxTokenIncrease.toFixed()}%)`,
        });
      }
      verdict.causes = likelyCauses(before, after, verdict.price_effect);
    }
    // On the exact sum against cap × requests, not on the per-request figure rounded to a tick.
    if (t.maxCostPerRequest !== undefined && a1.requests > 0 && a1.cost.greaterThan(t.maxCostPerRequest.times(a1.requests))) {
      verdict.problems.push({
        kind: 'cap',
        fails: true,
        message: `cost per request $${fmtAbove(a1.cost.div(a1.requests), t.maxCostPerRequest)} is above the cap of $${t.maxCostPerRequest.toFixed()}`,
      });
    }
    const unknownNow = a0.unknownCostModels;
    if (unknownNow.length > 0 || (b0?.unknownCostModels.length ?? 0) > 0) {
      const unknownBefore = new Set(b0?.unknownCostModels ?? []);
      const fresh = unknownNow.filter((m) => !unknownBefore.has(m));
      const both = unknownNow.filter((m) => unknownBefore.has(m));
      const onlyBefore = [...unknownBefore].filter((m) => !unknownNow.includes(m));
      if (fresh.length > 0) {
        verdict.problems.push({
          kind: 'unpriced',
          fails: true,
          message: `cost per request unknown: ${fresh.join(', ')} ${fresh.length === 1 ? 'has' : 'have'} no price, so this run's requests to ${fresh.length === 1 ? 'it' : 'them'} count as $0 here (add ${fresh.length === 1 ? 'it' : 'them'} under pricing.custom_models)`,
        });
      }
      if (both.length > 0 || onlyBefore.length > 0) {
        const models = [...both, ...onlyBefore].sort();
        verdict.problems.push({
          kind: 'unpriced',
          fails: input.strict,
          message:
            onlyBefore.length > 0
              ? `cost per request not compared: ${models.join(', ')} had no price in the baseline (counted as $0 there)${input.strict ? ' (--strict)' : ''}: add ${models.length === 1 ? 'it' : 'them'} under pricing.custom_models and save the baseline again`
              : `cost per request leaves out ${models.join(', ')} (no price: counted as $0 on both sides)${input.strict ? ' (--strict)' : ''}: add ${models.length === 1 ? 'it' : 'them'} under pricing.custom_models`,
        });
      }
    }
    verdict.status = verdict.problems.some((p) => p.fails) ? 'fail' : verdict.problems.length > 0 ? 'warn' : 'pass';
  }
  return {
    baseline_catalogue: input.baseline.catalogue_version,
    current_catalogue: input.atCurrentPrices.catalogueVersion,
    groups,
    fallback_models: [...fallback].sort(),
    unpriced_models: [...unpriced].sort(),
    unknown_cost_models: [...unknown].sort(),
    passed: groups.every((g) => g.status !== 'fail'),
  };
}
