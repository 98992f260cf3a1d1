/**
 * The router: picks, for one request, the cheapest tier that is good enough, and the
 * model of that tier the client's API dialect can reach.
 *
 * API for the proxy (and for budgets' `downgrade`, which uses the same policy):
 *
 *   const router = new Router(config, pricer, await learnPriors(ledger, config.routing));
 *   const text = extractRouteText(body, 'openai');            // bounded; no copies of the prompt
 *   const d = router.decide({ dialect: 'openai', model: body.model, ...text,
 *                             agent, feature, traceId });
 *   if (d.apply) { body.model = d.model; upstream = d.upstream ?? defaultUpstream; }
 *   // response header x-llmfin-routed-from: d.requestedModel when d.apply
 *   // ledger row: model_requested = d.requestedModel, model = served model,
 *   //   tags.routed_from = d.requestedModel (only when d.apply), tags.route_tier = d.tier,
 *   //   raw_usage.routing = routeRecord(d, { systemHash, promptHash, servedTier })
 *   // original vs actual cost: routedCosts(pricer, d, usage, at) (routing-cost.ts)
 *
 * `decide` is synchronous, pure apart from the trace-stickiness map (bounded LRU), does
 * no I/O, reads at most `scan_chars` (+512) characters of the prompt and runs in tens of
 * microseconds (bench/routing.mjs). Shadow mode returns the decision it would take with
 * `apply: false`; stickiness still advances, so shadow records show what enforce would do.
 *
 * Order of the decision: rule (first match on agent/feature/model) → cap (the requested
 * model's tier unless allow_upgrade; the rule's max_tier) → no evidence: the default
 * tier; else the cheapest tier whose predicted success is within max_quality_loss of the
 * best allowed tier's and at least min_success → escalation on tool errors / repeats →
 * trace stickiness (only up) → clamp to [floor, cap], the floor winning → the cheapest
 * model of that tier for the dialect, else the next tier up; never below the floor.
 */
import type { RoutingConfig } from '../config/routing-config-schema.js';
import type { Pricer } from '../pricing/pricer.js';
import type { CohortPriors} from './cohort-priors.js';
import { describeCohort, type Cohort } from './cohort-priors.js';
import { CompiledPriors } from './compiled-priors.js';
import type { PriceCatalogue } from '../pricing/price-catalogue.js';
import { catalogueIdOf, compilePolicy, type CompiledPolicy, type CompiledRule, type PoolModel, type UpstreamRef } from './compile-policy.js';
import { signalsOf } from './feature-vector.js';
import { buildPromptView } from './prompt-view.js';
import { extractFeatures } from './feature-vector.js';
import type { RouteDecision, RouteInput } from './route-decision.js';
import { Scorer, type ScoreResult } from './scorer.js';
import { TraceStickiness } from './trace-stickiness.js';

export type { RouteDecision, RouteInput } from './route-decision.js';

export class Router {
  readonly policy: CompiledPolicy;
  private readonly scorer: Scorer;
  private readonly stickiness: TraceStickiness;
  private readonly tierNames: readonly string[];
  private readonly catalogue: PriceCatalogue | undefined;
  /** Requested model id → its catalogue id (null: unknown), for ids no tier lists as written. Bounded. */
  private readonly catalogueIds = new Map<string, string | null>();

  /**
   * @param config `routing` and the proxy's `upstreams` (their dialects decide which pools a client may use).
   * @param pricer orders each pool cheapest first; without it pools keep their listed order.
   * @param priors cohort outcomes (learnPriors); without them every cohort starts from the tiers' base success.
   * @throws RoutingPolicyError when a pool names an upstream that does not exist.
   */
  constructor(config: { routing: RoutingConfig; proxy?: { upstreams?: Record<string, UpstreamRef> | undefined } | undefined }, pricer?: Pricer, priors?: CohortPriors) {
    this.policy = compilePolicy(config.routing, config.proxy, pricer);
    this.catalogue = pricer?.catalogue;
    this.tierNames = this.policy.tiers.map((t) => t.name);
    const base = new Float64Array(this.policy.tiers.map((t) => t.base));
    const compiled = new CompiledPriors(this.tierNames, base, priors, this.policy.priors.strength);
    this.scorer = new Scorer(this.policy.tiers.length, compiled, { minRequests: this.policy.priors.minRequests, scanChars: this.policy.scanChars });
    this.stickiness = new TraceStickiness(this.policy.stickiness.maxTraces, this.policy.stickiness.ttlMs);
  }

  /**
   * Carries the tiers the traces have reached over from the router this one replaces (a
   * SIGHUP reload builds a new one), so that a reload — of a proxy key, say — does not move
   * every running agent back down to a cheaper tier. Only when the tiers are the same ones:
   * the reached tier is kept as an index.
   */
  carryTraces(previous: Router): void {
    if (previous.tierNames.length !== this.tierNames.length || previous.tierNames.some((name, i) => name !== this.tierNames[i])) return;
    this.stickiness.adopt(previous.stickiness);
  }

  get enabled(): boolean {
    return this.policy.enabled;
  }

  decide(input: RouteInput): RouteDecision {
    if (!this.policy.enabled) return this.off(input);
    const cohort: Cohort = { agent: input.agent, feature: input.feature, system: input.systemHash };
    const scored = this.scorer.scoreVector(extractFeatures(buildPromptView(input, this.policy.scanChars)), cohort);
    return this.decideScored(input, cohort, scored);
  }

  /** Decides from a stored feature vector (replays: `llmfin route simulate`). */
  /**
   * The cheapest model of the lowest tier that has one for `dialect` — where a budget's
   * `downgrade` action sends requests when the budget names no `downgrade_to`.
   * Undefined when routing is off or no tier serves the dialect.
   */
  cheapestFor(dialect: RouteInput['dialect']): PoolModel | undefined {
    for (const tier of this.policy.tiers) {
      const pool = tier.pools[dialect];
      if (pool.length > 0) return pool[0];
    }
    return undefined;
  }

  decideFromFeatures(input: Omit<RouteInput, 'prompt'>, values: Float64Array): RouteDecision {
    if (!this.policy.enabled) return this.off({ ...input, prompt: '' });
    const cohort: Cohort = { agent: input.agent, feature: input.feature, system: input.systemHash };
    return this.decideScored({ ...input, prompt: '' }, cohort, this.scorer.scoreVector(values, cohort));
  }

  /**
   * The tier index of a model id (case-insensitive), or -1. An id no tier lists as written
   * is looked up as the catalogue resolves it: `gpt-4o-2024-08-06` is in gpt-4o's tier.
   */
  tierOf(model: string): number {
    const listed = this.policy.modelTier.get(model.toLowerCase());
    if (listed !== undefined) return listed;
    const id = this.catalogueIdOf(model);
    return id === undefined ? -1 : (this.policy.catalogueTier.get(id) ?? -1);
  }

  /** The catalogue id of a requested model, remembered (model ids are few; the map is bounded all the same). */
  private catalogueIdOf(model: string): string | undefined {
    if (!this.catalogue) return undefined;
    let id = this.catalogueIds.get(model);
    if (id === undefined) {
      if (this.catalogueIds.size >= 4096) this.catalogueIds.clear();
      id = catalogueIdOf(this.catalogue, model) ?? null;
      this.catalogueIds.set(model, id);
    }
    return id ?? undefined;
  }

  /** True when a pool's model is the requested one, as written or as the catalogue knows it (a dated snapshot of it). */
  private isRequested(m: PoolModel, requested: string): boolean {
    if (m.model.toLowerCase() === requested.toLowerCase()) return true;
    return m.catalogueId !== undefined && m.catalogueId === this.catalogueIdOf(requested);
  }

  private decideScored(input: RouteInput, cohort: Cohort, scored: ScoreResult): RouteDecision {
    const p = this.policy;
    const top = p.tiers.length - 1;
    const requestedTier = this.tierOf(input.model);
    const rule = this.ruleFor(input);
    const mode = rule?.mode ?? p.mode;
    const base: DecisionBase = {
      mode,
      requestedModel: input.model,
      requestedTier: requestedTier >= 0 ? this.tierNames[requestedTier]! : null,
      score: round(scored.score),
      success: this.successRecord(scored.success),
      signals: signalsOf(scored.values),
      rule: rule?.name,
      cohort: describeCohort(cohort),
      evidence: scored.evidence || scored.cohortEvidence,
    };
    if (requestedTier < 0 && !p.allowUpgrade) {
      return decision(base, {
        apply: false,
        tier: null,
        model: input.model,
        upstream: undefined,
        provider: undefined,
        reason: `${input.model} is in no routing tier: kept (list it in a tier, or set routing.allow_upgrade)`,
        escalated: false,
        sticky: false,
        floorMet: rule?.minTier === undefined,
      });
    }
    const floor = rule?.minTier ?? 0;
    let cap = p.allowUpgrade || requestedTier < 0 ? top : requestedTier;
    if (rule?.maxTier !== undefined) cap = Math.min(cap, rule.maxTier);
    const maxLoss = rule?.maxQualityLoss ?? p.maxQualityLoss;
    const minSuccess = rule?.minSuccess ?? p.minSuccess;

    let chosen: number;
    let reason: string;
    if (!base.evidence) {
      chosen = rule?.defaultTier ?? p.defaultTier;
      reason = `no evidence (no feature fired, cohort has < ${p.priors.minRequests} outcomes): default tier ${this.tierNames[chosen]}`;
    } else {
      const lo = Math.min(floor, cap);
      const best = scored.success[Math.max(lo, cap)]!;
      chosen = cap;
      for (let t = lo; t <= cap; t++) {
        const s = scored.success[t]!;
        if (best - s <= maxLoss && (s >= minSuccess || t === cap)) {
          chosen = t;
          break;
        }
      }
      const s = scored.success[chosen]!;
      reason = `${this.tierNames[chosen]} predicts ${pct(s)} success, within ${pct(maxLoss)} of ${this.tierNames[cap]}'s ${pct(best)}`;
    }
    let escalated = false;
    const errors = input.toolErrors ?? 0;
    const repeats = input.repeats ?? 0;
    if (errors >= p.escalation.toolErrors || repeats >= p.escalation.repeats) {
      chosen += p.escalation.tiers;
      escalated = true;
      reason += `; escalated ${p.escalation.tiers} tier(s) after ${errors >= p.escalation.toolErrors ? `${errors} tool errors` : `${repeats} repeats`}`;
    }
    let sticky = false;
    const now = input.now ?? Date.now();
    if (p.stickiness.enabled && input.traceId) {
      const reached = this.stickiness.get(input.traceId, now);
      if (reached > chosen) {
        chosen = reached;
        sticky = true;
        reason += `; trace already at ${this.tierNames[reached]} (tiers only go up within a trace)`;
      }
    }
    if (chosen > cap) {
      // The default tier, an escalation or a trace's tier above the ceiling: say where it was
      // held, or "default tier medium" would explain a request left at small.
      const ceiling = rule?.maxTier === cap ? `${rule.name}'s max_tier` : cap === requestedTier ? "the requested model's tier (routing.allow_upgrade is off)" : 'the top tier';
      reason += `; held at ${this.tierNames[cap]}, ${ceiling}`;
      chosen = cap;
    }
    if (chosen < floor) {
      chosen = floor;
      reason += `; raised to the floor ${this.tierNames[floor]}${rule ? ` (${rule.name})` : ''}`;
    }
    // The requested model when it is in the chosen tier (no rewrite), else the cheapest of the tier for this dialect, else go up.
    let pick: PoolModel | undefined;
    let tier = chosen;
    for (; tier <= top; tier++) {
      const pool = p.tiers[tier]!.pools[input.dialect];
      if (pool.length === 0) continue;
      pick = pool.find((m) => m.model.toLowerCase() === input.model.toLowerCase()) ?? pool.find((m) => this.isRequested(m, input.model)) ?? pool[0];
      break;
    }
    if (!pick) {
      return decision(base, {
        apply: false,
        tier: base.requestedTier,
        model: input.model,
        upstream: undefined,
        provider: undefined,
        reason: `${reason}; no ${input.dialect}-dialect model at or above ${this.tierNames[chosen]}: kept ${input.model}`,
        escalated,
        sticky,
        floorMet: requestedTier >= floor,
      });
    }
    if (tier !== chosen) reason += `; ${this.tierNames[chosen]} has no ${input.dialect}-dialect model, used ${this.tierNames[tier]}`;
    if (p.stickiness.enabled && input.traceId) this.stickiness.raise(input.traceId, tier, now);
    // The requested model (or a dated snapshot of the tier's model) is kept as the client wrote it.
    const model = this.isRequested(pick, input.model) ? input.model : pick.model;
    return decision(base, {
      apply: mode === 'enforce' && model !== input.model,
      tier: this.tierNames[tier]!,
      model,
      upstream: pick.upstream,
      provider: pick.provider,
      reason,
      escalated,
      sticky,
      floorMet: true,
    });
  }

  private ruleFor(input: RouteInput): CompiledRule | undefined {
    for (const r of this.policy.rules) {
      if (r.agent && !(input.agent !== undefined && r.agent.test(input.agent))) continue;
      if (r.feature && !(input.feature !== undefined && r.feature.test(input.feature))) continue;
      if (r.model && !r.model.test(input.model)) continue;
      return r;
    }
    return undefined;
  }

  private successRecord(success: Float64Array): Record<string, number> {
    const out: Record<string, number> = {};
    for (let t = 0; t < this.tierNames.length; t++) out[this.tierNames[t]!] = round(success[t]!);
    return out;
  }

  private off(input: RouteInput): RouteDecision {
    return {
      mode: 'off',
      apply: false,
      requestedModel: input.model,
      requestedTier: null,
      tier: null,
      model: input.model,
      upstream: undefined,
      provider: undefined,
      score: 0,
      success: {},
      signals: {},
      reason: 'routing is off (no tiers under routing: in llmfin.yaml)',
      rule: undefined,
      cohort: describeCohort({ agent: input.agent, feature: input.feature, system: input.systemHash }),
      evidence: false,
      escalated: false,
      sticky: false,
      floorMet: true,
    };
  }
}

type DecisionBase = Pick<RouteDecision, 'mode' | 'requestedModel' | 'requestedTier' | 'score' | 'success' | 'signals' | 'rule' | 'cohort' | 'evidence'>;
type DecisionRest = Omit<RouteDecision, keyof DecisionBase>;

/**
 * The decision as one object literal, in the order the spread gave. `{ ...base, …nine
 * more }` cost ~10 µs a request (about a sixth of a decision) in a profile of the proxy:
 * the properties added after the copy outgrow the shape the copy was made in.
 */
function decision(b: DecisionBase, r: DecisionRest): RouteDecision {
  return {
    mode: b.mode,
    requestedModel: b.requestedModel,
    requestedTier: b.requestedTier,
    score: b.score,
    success: b.success,
    signals: b.signals,
    rule: b.rule,
    cohort: b.cohort,
    evidence: b.evidence,
    apply: r.apply,
    tier: r.tier,
    model: r.model,
    upstream: r.upstream,
    provider: r.provider,
    reason: r.reason,
    escalated: r.escalated,
    sticky: r.sticky,
    floorMet: r.floorMet,
  };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
