/**
 * Price changes the catalogue has scheduled inside a forecast's horizon: a period that
 * starts after today (gemini-3.6-flash's rates double on 2027-01-01). The history is
 * re-priced at today's prices and the forecast is at today's prices; from a change's day
 * on, each group's days are scaled by what its recent mix (the one a what-if re-prices,
 * what-if.ts) costs at the prices of that day against today's. What has no tokens to
 * re-price (billed money only) or no price then stays at its level.
 */
import type { Pricer } from '../pricing/pricer.js';
import type { GroupHistory } from './spend-history.js';
import { RECENT_DAYS, tailSum } from './spend-history.js';
import { addMix, emptyMix, mixKey, mixPriceRequest, type MixChange, type TokenMix } from './token-mix.js';
import { swapFor, whatIfFactor, type WhatIf, type WhatIfFactor } from './what-if.js';

/** One model whose price changes on a forecast day. */
export interface ModelPriceChange {
  provider: string;
  /** The catalogue's id of the model. */
  model: string;
  /** The catalogue's rates (USD per 1M tokens; per request or search for fees) before the day and from it; null: no price then. */
  rates_before: Record<string, number> | null;
  rates_after: Record<string, number> | null;
  /** A discount in llmfin.yaml that applied (percent, 0 for none), before the day and from it. */
  discount_percent_before: number;
  discount_percent_after: number;
}

/** A day from which a group's forecast is priced otherwise. */
export interface PriceStep {
  /** The first forecast day at the new prices. */
  from: string;
  /** The group's spend per day from that day on, against today's prices (1.5: +50%). */
  cost_factor: number;
  models: ModelPriceChange[];
}

/** The instant (ms) a step's day begins: its UTC midnight, where the forecast's UTC days change. */
export const stepStart = (step: PriceStep): number => Date.parse(`${step.from}T00:00:00Z`);

export interface GroupPrices {
  /** Per forecast day, the multiplier on its forecast at today's prices. */
  factors: Float64Array;
  steps: PriceStep[];
  /**
   * Changed models the group has no token counts of (billed money only), which the change
   * cannot re-price: kept at today's level. `share`: of the group's last week of spend.
   */
  untouched: Array<{ from: string; change: ModelPriceChange; share: number }>;
}

const DAY_MS = 86_400_000;

/** A model as a group's mix is priced: its own, or the one a what-if switches it to. */
const pricedKey = (m: TokenMix, swapModel: string | undefined): string => (swapModel !== undefined ? `\u0001${swapModel}` : mixKey(m));

export class ScheduledPrices {
  /** The forecast's days. */
  readonly days: readonly string[];
  /** The moment each forecast day is priced at; null before today (priced at today's prices). */
  private readonly instants: ReadonlyArray<Date | null>;
  /** Per priced model (pricedKey), the forecast days on which its price changes. */
  private readonly changes: ReadonlyMap<string, ReadonlyMap<number, ModelPriceChange>>;
  private readonly pricer: Pricer;
  private readonly whatIf: WhatIf;
  private readonly now: Date;

  private constructor(days: string[], instants: Array<Date | null>, changes: Map<string, Map<number, ModelPriceChange>>, pricer: Pricer, whatIf: WhatIf, now: Date) {
    this.days = days;
    this.instants = instants;
    this.changes = changes;
    this.pricer = pricer;
    this.whatIf = whatIf;
    this.now = now;
  }

  /**
   * The changes on the forecast's days (`horizon` days from `start`) of every model the
   * groups' mixes are priced as. Each day is priced at today's time of day, so that a
   * time-of-day window (DeepSeek's off-peak) is no change; days before today (a history
   * that stops in the past) stay at today's prices, as the history is.
   */
  static find(pricer: Pricer, groups: ReadonlyArray<Pick<GroupHistory, 'dims' | 'mix'>>, whatIf: WhatIf, start: string | null, horizon: number, now: Date): ScheduledPrices {
    const days: string[] = [];
    const instants: Array<Date | null> = [];
    const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const changes = new Map<string, Map<number, ModelPriceChange>>();
    if (start !== null) {
      const first = Date.parse(`${start}T00:00:00Z`);
      for (let h = 0; h < horizon; h++) {
        const t = first + h * DAY_MS;
        days.push(new Date(t).toISOString().slice(0, 10));
        instants.push(t < today ? null : t === today ? now : new Date(t + (now.getTime() - today)));
      }
    }
    if (instants.some((t) => t !== null)) {
      // Each priced model once, with every group's mix of it: its period, and what that mix
      // costs (a discount starting or ending), are its price's signature on a day.
      const probes = new Map<string, { mix: TokenMix; change: MixChange }>();
      for (const g of groups) {
        const swap = swapFor(whatIf.swaps, g.dims);
        for (const m of g.mix) {
          const key = pricedKey(m, swap?.model);
          let probe = probes.get(key);
          if (!probe) probes.set(key, (probe = { mix: emptyMix(m.provider, m.model), change: swap ? { model: swap.model } : {} }));
          addMix(probe.mix, m);
        }
      }
      for (const [key, { mix, change }] of probes) {
        const signature = (at: Date) => {
          const r = pricer.priceExact(mixPriceRequest(mix, at, change));
          return r.status === 'priced' ? `${r.priceRef}\u0000${r.costUsd}` : 'unpriced';
        };
        let before = now;
        let last = signature(now);
        for (let h = 0; h < instants.length; h++) {
          const at = instants[h];
          if (!at) continue;
          const current = signature(at);
          if (current !== last) {
            const described = describeChange(pricer, mix, change, before, at);
            if (described) {
              let byDay = changes.get(key);
              if (!byDay) changes.set(key, (byDay = new Map()));
              byDay.set(h, described);
            }
            last = current;
          }
          before = at;
        }
      }
    }
    return new ScheduledPrices(days, instants, changes, pricer, whatIf, now);
  }

  /**
   * The days a mix `find` was given (with no model switch) changes price on: each with the
   * moment that day is priced at and what changed, in day order. For a usage priced as a
   * whole rather than scaled (`forecast --new-feature`: requests × one request's price).
   */
  changesOf(mix: TokenMix): Array<{ day: string; at: Date; change: ModelPriceChange }> {
    const byDay = this.changes.get(pricedKey(mix, undefined));
    if (byDay === undefined) return [];
    return [...byDay].sort(([a], [b]) => a - b).map(([h, change]) => ({ day: this.days[h]!, at: this.instants[h]!, change }));
  }

  /**
   * The group's factor per forecast day, or undefined when none of its models changes
   * price. `today`: the group's what-if at today's prices (its factor on every day before
   * the first change).
   */
  forGroup(g: GroupHistory, today: WhatIfFactor): GroupPrices | undefined {
    if (this.changes.size === 0) return undefined;
    const swap = swapFor(this.whatIf.swaps, g.dims);
    /**
     * The group's changes by day, each model once (by its catalogue id), whether the group
     * has token counts of it, and its last week's spend on it with none.
     */
    const byDay = new Map<number, Map<string, { change: ModelPriceChange; tokened: boolean; billed: number }>>();
    for (const m of g.mix) {
      const tokened = m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_write_tokens > 0;
      const billed = tokened ? 0 : (g.recentCost.get(mixKey(m)) ?? 0);
      for (const [h, change] of this.changes.get(pricedKey(m, swap?.model)) ?? []) {
        let models = byDay.get(h);
        if (!models) byDay.set(h, (models = new Map()));
        const id = `${change.provider}\u0000${change.model}`;
        const had = models.get(id) ?? { change, tokened: false, billed: 0 };
        had.tokened ||= tokened;
        had.billed += billed;
        models.set(id, had);
      }
    }
    if (byDay.size === 0) return undefined;
    const recentSpend = tailSum(g.cost, RECENT_DAYS);
    const factors = new Float64Array(this.days.length).fill(1);
    const steps: PriceStep[] = [];
    const untouched: GroupPrices['untouched'] = [];
    let factor = 1;
    for (const h of [...byDay.keys()].sort((a, b) => a - b)) {
      const list = [...byDay.get(h)!.values()];
      const then = whatIfFactor(this.whatIf, g.dims, g.mix, this.pricer, this.now, g.recentCost, this.instants[h]!);
      // The last week's spend on models with priced tokens takes the new prices; the rest
      // (billed money with no token counts) keeps its level, in the what-if then as today
      // (what-if.ts `kept`). Without recent priced tokens the what-if weighed the whole mix,
      // and the factor is the whole group's.
      const next = then.repriced && today.factor > 0 ? then.factor / today.factor : 1;
      for (const c of list) if (!c.tokened) untouched.push({ from: this.days[h]!, change: c.change, share: recentSpend > 0 ? c.billed / recentSpend : 1 });
      // A change the group's cost does not feel (a rate its mix does not use) is no step.
      if (Math.abs(next - factor) < 1e-12) continue;
      factor = next;
      factors.fill(factor, h);
      const models = list.filter((c) => c.tokened).map((c) => c.change);
      steps.push({ from: this.days[h]!, cost_factor: factor, models: models.length > 0 ? models : list.map((c) => c.change) });
    }
    if (steps.length === 0 && untouched.length === 0) return undefined;
    return { factors, steps, untouched };
  }
}

/**
 * What changed in a model's price between two moments: the catalogue's rates and any
 * discount from llmfin.yaml. Undefined when neither did (a period split with the same
 * rates, say) or the model has no price at either.
 */
function describeChange(pricer: Pricer, mix: TokenMix, change: MixChange, before: Date, after: Date): ModelPriceChange | undefined {
  const a = pricer.price(mixPriceRequest(mix, before, change));
  const b = pricer.price(mixPriceRequest(mix, after, change));
  if (a.status !== 'priced' && b.status !== 'priced') return undefined;
  const rates = (r: typeof a) => (r.status === 'priced' ? Object.fromEntries(Object.entries(r.breakdown.period.rates).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Number(v)])) : null);
  const discount = (r: typeof a) => (r.status === 'priced' ? (r.discount?.percent ?? 0) : 0);
  const known = a.status === 'priced' ? a : (b as Extract<typeof b, { status: 'priced' }>);
  const result: ModelPriceChange = {
    provider: known.provider,
    model: known.matchedModel,
    rates_before: rates(a),
    rates_after: rates(b),
    discount_percent_before: discount(a),
    discount_percent_after: discount(b),
  };
  const same = JSON.stringify(result.rates_before) === JSON.stringify(result.rates_after) && result.discount_percent_before === result.discount_percent_after;
  return same ? undefined : result;
}
