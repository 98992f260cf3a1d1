// checkUsage on hand-built token mixes, priced by the bundled catalogue
// (gpt-4o: $2.50 input, $1.25 cache read, $10 output per 1M; gpt-4o-mini: $0.15, $0.075, $0.60).
import { describe, expect, it } from 'vitest';
import type { TokenSlice, UsageSection } from '../../src/check/baseline-schema.js';
import { baselineGroup } from '../../src/check/group-metrics.js';
import { checkUsage, exceeds, fmtPercent } from '../../src/check/compare-usage.js';
import { catalogueSlicePricer, priceMix, pricerFromSnapshot, snapshotPrices, snapshotSlicePricer } from '../../src/check/reprice.js';
import { resolveThresholds } from '../../src/check/thresholds.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { dec } from '../../src/shared/money.js';
import { testPricer } from '../helpers/import.js';

const AT = new Date('2026-10-01T12:00:00Z');

function slice(model: string, requests: number, perRequest: { input: number; output: number; cacheRead?: number }): TokenSlice {
  return {
    provider: 'openai',
    model,
    service_tier: null,
    region: null,
    requests,
    input: perRequest.input * requests,
    cache_read: (perRequest.cacheRead ?? 0) * requests,
    cache_write_5m: 0,
    cache_write_1h: 0,
    input_audio: 0,
    input_image: 0,
    output: perRequest.output * requests,
    reasoning: 0,
    output_audio: 0,
    output_image: 0,
    web_searches: 0,
    recorded_cost_usd: '0',
  };
}

async function setup(groups: Record<string, TokenSlice[]>) {
  const pricer = await testPricer();
  const current = catalogueSlicePricer(pricer);
  const section: UsageSection = {
    group_by: 'feature',
    run_id: 'base',
    since: null,
    until: null,
    catalogue_version: pricer.catalogue.manifest.version,
    priced_at: AT.toISOString(),
    groups: Object.fromEntries(Object.entries(groups).map(([g, s]) => [g, baselineGroup(s, priceMix(current, s, AT).cost)])),
    prices: snapshotPrices(pricer.catalogue, Object.values(groups).flat(), AT),
  };
  const atBaseline = snapshotSlicePricer(pricerFromSnapshot(section.prices, section.catalogue_version, []), pricer, section.catalogue_version);
  const run = (now: Record<string, TokenSlice[]>, check: Record<string, unknown> = {}, strict = false) =>
    checkUsage({
      baseline: section,
      current: new Map(Object.entries(now)),
      currentAt: AT,
      atBaselinePrices: atBaseline,
      atCurrentPrices: current,
      thresholds: resolveThresholds(ConfigSchema.parse({ check }).check, {}),
      strict,
    });
  return { section, run };
}

describe('exceeds', () => {
  it('passes exactly at the tolerance and fails just above', () => {
    expect(exceeds(dec('0.0035'), dec('0.00385'), dec(10))).toBe(false);
    expect(exceeds(dec('0.0035'), dec('0.0038500001'), dec(10))).toBe(true);
    expect(exceeds(dec(0), dec(0), dec(10))).toBe(false);
    expect(exceeds(dec(0), dec('0.0000001'), dec(10))).toBe(true);
  });
});

describe('checkUsage', () => {
  it('records the hand-computed cost per request in the baseline', async () => {
    const { section } = await setup({ checkout: [slice('gpt-4o', 4, { input: 1000, output: 100 })] });
    // 1000 × 2.50/1M + 100 × 10/1M = 0.0025 + 0.001
    expect(section.groups.checkout).toMatchObject({ requests: 4, cost_usd: '0.014', cost_per_request_usd: '0.0035', input_tokens_per_request: 1000, output_tokens_per_request: 100, model_mix: { 'gpt-4o': 1 } });
  });

  it('says a free model\'s $0 a request grew "from $0", which no percentage can say, and passes $0 against $0', async () => {
    // omni-moderation is free; gpt-4o-mini costs 1000 × 0.15/1M = $0.00015 a request.
    const { run } = await setup({ moderation: [slice('omni-moderation', 4, { input: 1000, output: 0 })] });
    const paid = run({ moderation: [slice('gpt-4o-mini', 4, { input: 1000, output: 0 })] });
    expect(paid.groups[0]!.status).toBe('fail');
    expect(paid.groups[0]!.problems.map((p) => p.message)).toEqual(["cost per request up from $0 to $0.00015 at the baseline's prices (limit +10%)"]);
    const free = run({ moderation: [slice('omni-moderation', 4, { input: 1000, output: 0 })] });
    expect(free.groups[0]!.status).toBe('pass');
  });

  it('passes at exactly +10% cost per request and fails just above', async () => {
    const { run } = await setup({ checkout: [slice('gpt-4o', 4, { input: 1000, output: 100 })] });
    // 1140 input: 0.00285 + 0.001 = 0.00385 = 0.0035 × 1.1 exactly (tokens +12.7%, so their tolerance is raised).
    const at = run({ checkout: [slice('gpt-4o', 2, { input: 1140, output: 100 })] }, { max_token_increase: '50%' });
    expect(at.passed).toBe(true);
    expect(at.groups[0]!.after!.cost_per_request_baseline_prices.toFixed()).toBe('0.00385');
    expect(at.groups[0]!.change.cost_baseline_prices!.toFixed()).toBe('0.1');
    const above = run({ checkout: [slice('gpt-4o', 2, { input: 1141, output: 100 })] }, { max_token_increase: '50%' });
    expect(above.passed).toBe(false);
    expect(above.groups[0]!.problems.map((p) => p.kind)).toEqual(['cost']);
    expect(above.groups[0]!.causes).toEqual(['prompt tokens up: 1,000 → 1,141 per request (+14.1%)']);
  });

  it('shows a change just past the tolerance with the decimals that make it past, never as the limit itself', async () => {
    const { run } = await setup({ search: [slice('gpt-4o', 1, { input: 10000, output: 0 })] });
    // 11001 input tokens: 0.0275025 against 0.025 is +10.01%, which one decimal shows as +10.0%.
    const above = run({ search: [slice('gpt-4o', 1, { input: 11001, output: 0 })] });
    expect(above.passed).toBe(false);
    expect(above.groups[0]!.problems.map((p) => p.message)).toEqual([
      "cost per request +10.01% at the baseline's prices (limit +10%)",
      'tokens per request +10.01% (limit +10%)',
    ]);
    expect(fmtPercent(dec('0.1000001'), dec(10))).toBe('+10.00001%');
    // At or under the limit, and past it by more than rounding hides, one decimal.
    expect(fmtPercent(dec('0.1'), dec(10))).toBe('+10.0%');
    expect(fmtPercent(dec('0.09996'), dec(10))).toBe('+10.0%');
    expect(fmtPercent(dec('0.1234'), dec(10))).toBe('+12.3%');
    expect(fmtPercent(dec('-0.2'), dec(10))).toBe('-20.0%');
  });

  it('passes at exactly +10% tokens per request and fails just above', async () => {
    const { run } = await setup({ checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })] });
    // 1110 + 100 = 1210 = 1100 × 1.1; cost 0.003775 is +7.9%.
    expect(run({ checkout: [slice('gpt-4o', 3, { input: 1110, output: 100 })] }).passed).toBe(true);
    const above = run({ checkout: [slice('gpt-4o', 3, { input: 1111, output: 100 })] });
    expect(above.passed).toBe(false);
    expect(above.groups[0]!.problems.map((p) => p.kind)).toEqual(['tokens']);
  });

  it('names a model switch and a cache hit ratio drop as likely causes', async () => {
    const { run } = await setup({ search: [slice('gpt-4o-mini', 2, { input: 1000, output: 100, cacheRead: 500 })] });
    const r = run({ search: [slice('gpt-4o', 2, { input: 1000, output: 100 })] });
    const g = r.groups[0]!;
    expect(g.status).toBe('fail');
    // before: 500 × 0.15 + 500 × 0.075 + 100 × 0.60 per 1M = 0.0001725; after 0.0035.
    expect(g.before!.cost_per_request_baseline_prices.toFixed()).toBe('0.0001725');
    expect(g.after!.cost_per_request_baseline_prices.toFixed()).toBe('0.0035');
    expect(g.causes).toEqual(['model change: gpt-4o-mini → gpt-4o', 'cache hit ratio down: 50.0% → 0.0%']);
  });

  it('warns about a new group, fails it with strict, and applies caps to it', async () => {
    const { run } = await setup({ checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })] });
    const now = { checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })], chat: [slice('gpt-4o', 1, { input: 400, output: 100 })] };
    const loose = run(now);
    expect(loose.passed).toBe(true);
    expect(loose.groups.find((g) => g.group === 'chat')).toMatchObject({ status: 'warn', problems: [{ kind: 'new_group', fails: false }] });
    expect(run(now, {}, true).passed).toBe(false);
    // chat costs 0.001 + 0.001 = 0.002 per request: at the cap passes, above it fails.
    expect(run(now, { groups: { chat: { max_cost_per_request: '0.002' } } }).passed).toBe(true);
    const capped = run(now, { groups: { chat: { max_cost_per_request: '0.0019' } } });
    expect(capped.passed).toBe(false);
    expect(capped.groups.find((g) => g.group === 'chat')!.problems.map((p) => p.kind)).toEqual(['new_group', 'cap']);
  });

  it('judges a cap on the exact cost, and names an amount just above it with the digits that show it is above', async () => {
    const { run } = await setup({ checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })] });
    // 1321 in, 165 out: 0.0033025 + 0.00165 = 0.0049525 a request, which three digits show as the cap itself.
    const near = run({ checkout: [slice('gpt-4o', 2, { input: 1321, output: 165 })] }, { max_increase: '50%', groups: { checkout: { max_cost_per_request: '0.00495' } } });
    expect(near.groups[0]!.problems).toEqual([{ kind: 'cap', fails: true, message: 'cost per request $0.004952 is above the cap of $0.00495' }]);
    // 100,000 requests and one extra input token: $350.0000025 / 100,000 = $0.003500000025 a request,
    // which a tick (1e-10) rounds onto the cap of $0.0035; the exact sum is above it.
    const many: TokenSlice = { ...slice('gpt-4o', 100_000, { input: 1000, output: 100 }), input: 100_000_001 };
    const tick = run({ checkout: [many] }, { groups: { checkout: { max_cost_per_request: '0.0035' } } });
    expect(tick.groups[0]!.after!.cost_per_request_current_prices.toFixed()).toBe('0.0035');
    expect(tick.groups[0]!.problems).toEqual([{ kind: 'cap', fails: true, message: 'cost per request $0.00350000002 is above the cap of $0.0035' }]);
    // Exactly at the cap passes.
    expect(run({ checkout: [slice('gpt-4o', 100_000, { input: 1000, output: 100 })] }, { groups: { checkout: { max_cost_per_request: '0.0035' } } }).passed).toBe(true);
  });

  it('fails a group whose run sends requests to a model nothing can price, instead of counting them as $0', async () => {
    // Baseline: 4 gpt-4o requests at $0.0035. Now half the requests go to a model neither
    // catalogue knows and the ledger recorded no cost for: $0.014 / 8 = $0.00175 a request,
    // -50% — a cut that is only the unknown cost counted as $0.
    const { run } = await setup({ checkout: [slice('gpt-4o', 4, { input: 1000, output: 100 })] });
    const mixed = [slice('gpt-4o', 4, { input: 1000, output: 100 }), slice('gpt-9-unknown', 4, { input: 1000, output: 100 })];
    const result = run({ checkout: mixed });
    const [g] = result.groups;
    expect(g!.change.cost_baseline_prices!.toFixed()).toBe('-0.5');
    expect(g!.status).toBe('fail');
    expect(result.passed).toBe(false);
    expect(g!.problems).toEqual([
      { kind: 'unpriced', fails: true, message: 'cost per request unknown: gpt-9-unknown has no price, so this run\'s requests to it count as $0 here (add it under pricing.custom_models)' },
    ]);
    // A recorded cost (a bill, LiteLLM's spend) is a price: used, and nothing to fail.
    const recorded = [slice('gpt-4o', 4, { input: 1000, output: 100 }), { ...slice('gpt-9-unknown', 4, { input: 1000, output: 100 }), recorded_cost_usd: '0.014' }];
    const ok = run({ checkout: recorded });
    expect(ok.groups[0]!.status).toBe('pass');
    expect(ok.unpriced_models).toEqual(['gpt-9-unknown']);
  });

  it('warns about a model unpriced on both sides, and fails it with strict', async () => {
    const mixed = [slice('gpt-4o', 4, { input: 1000, output: 100 }), slice('gpt-9-unknown', 4, { input: 1000, output: 100 })];
    const { run } = await setup({ checkout: mixed });
    const loose = run({ checkout: mixed });
    expect(loose.groups[0]!.status).toBe('warn');
    expect(loose.passed).toBe(true);
    expect(loose.groups[0]!.problems).toEqual([
      { kind: 'unpriced', fails: false, message: 'cost per request leaves out gpt-9-unknown (no price: counted as $0 on both sides): add it under pricing.custom_models' },
    ]);
    const strict = run({ checkout: mixed }, {}, true);
    expect(strict.groups[0]!.status).toBe('fail');
    expect(strict.groups[0]!.problems[0]!.message).toContain('(--strict)');
  });

  it('does not compare cost per request against a baseline that counted a model it could not price as $0', async () => {
    // Baseline: 4 requests to a model nothing prices ($0 counted) and 4 gpt-4o at $0.0035:
    // $0.014 / 8 = $0.00175, a lower bound. The run sends all 8 to gpt-4o: $0.0035, "+100%"
    // that is only the unknown cost now priced — not a regression to fail on.
    const mixed = [slice('gpt-4o', 4, { input: 1000, output: 100 }), slice('gpt-9-unknown', 4, { input: 1000, output: 100 })];
    const { run } = await setup({ checkout: mixed, faq: [slice('gpt-9-unknown', 3, { input: 1000, output: 100 })] });
    const now = { checkout: [slice('gpt-4o', 8, { input: 1000, output: 100 })], faq: [slice('gpt-4o', 3, { input: 1000, output: 100 })] };
    const loose = run(now);
    expect(loose.passed).toBe(true);
    const [checkout, faq] = loose.groups;
    expect(checkout!.change.cost_baseline_prices!.toFixed()).toBe('1');
    expect(checkout!.status).toBe('warn');
    expect(checkout!.problems).toEqual([
      { kind: 'unpriced', fails: false, message: 'cost per request not compared: gpt-9-unknown had no price in the baseline (counted as $0 there): add it under pricing.custom_models and save the baseline again' },
    ]);
    // All of faq's baseline was unknown ($0): not "cost per request new".
    expect(faq!.status).toBe('warn');
    expect(faq!.problems.map((p) => p.kind)).toEqual(['unpriced']);
    const strict = run(now, {}, true);
    expect(strict.groups.map((g) => g.status)).toEqual(['fail', 'fail']);
    expect(strict.groups[0]!.problems[0]!.message).toContain('(--strict)');
    // Tokens are still judged: twice the tokens fail whatever the prices.
    const grown = run({ checkout: [slice('gpt-4o', 8, { input: 2000, output: 200 })] });
    expect(grown.groups[0]!.problems.map((p) => [p.kind, p.fails])).toEqual([['tokens', true], ['unpriced', false]]);
  });

  it('prices a dated snapshot the catalogue prices apart as itself, not as the baseline model whose pattern it matches', async () => {
    // gpt-4o-2024-05-13 is $5 input and $15 output per 1M, not gpt-4o's $2.50 and $10:
    // 1000 in / 100 out is 0.0065 a request against 0.0035, +85.7%.
    const { run } = await setup({ checkout: [slice('gpt-4o', 4, { input: 1000, output: 100 })] });
    const r = run({ checkout: [slice('gpt-4o-2024-05-13', 4, { input: 1000, output: 100 })] });
    const g = r.groups[0]!;
    expect(g.after!.cost_per_request_baseline_prices.toFixed()).toBe('0.0065');
    expect(g.after!.cost_per_request_current_prices.toFixed()).toBe('0.0065');
    expect(g.status).toBe('fail');
    expect(g.problems.map((p) => p.kind)).toEqual(['cost']);
    expect(g.causes).toEqual(['model change: gpt-4o → gpt-4o-2024-05-13']);
    expect(r.fallback_models).toEqual(['gpt-4o-2024-05-13']);
    // A dated id the catalogue prices as gpt-4o itself is still priced from the snapshot.
    const same = run({ checkout: [slice('gpt-4o-2024-08-06', 4, { input: 1000, output: 100 })] });
    expect(same.groups[0]!.status).toBe('pass');
    expect(same.fallback_models).toEqual([]);
  });

  it('reports a group the run did not exercise without failing', async () => {
    const { run } = await setup({ checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })], search: [slice('gpt-4o', 1, { input: 10, output: 10 })] });
    const r = run({ checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })] });
    expect(r.passed).toBe(true);
    expect(r.groups.map((g) => [g.group, g.status])).toEqual([['checkout', 'pass'], ['search', 'missing']]);
    // Strict: the run must match the baseline both ways, so a group it lost fails, as a new one does.
    const strict = run({ checkout: [slice('gpt-4o', 1, { input: 1000, output: 100 })] }, {}, true);
    expect(strict.passed).toBe(false);
    expect(strict.groups.map((g) => [g.group, g.status])).toEqual([['checkout', 'pass'], ['search', 'fail']]);
    expect(strict.groups[1]!.problems).toEqual([
      { kind: 'not_run', fails: true, message: '"search" is in the baseline but not in this run (--strict): run its requests, or save a new baseline if it is gone' },
    ]);
  });

  it('prices the web searches of a run: a feature that starts searching fails on cost per request', async () => {
    const sonnet = (searches: number): TokenSlice => ({ ...slice('claude-sonnet-4-5', 10, { input: 1000, output: 100 }), provider: 'anthropic', web_searches: searches });
    const { section, run } = await setup({ research: [sonnet(0)] });
    // 1000 × $3/1M + 100 × $15/1M = 0.0045 a request
    expect(section.groups.research).toMatchObject({ requests: 10, cost_per_request_usd: '0.0045' });
    // One search in two requests: + 5 × $0.01 / 10 = +0.005 a request, +111%
    const r = run({ research: [sonnet(5)] });
    expect(r.groups[0]).toMatchObject({ group: 'research', status: 'fail' });
    expect(r.groups[0]!.after!.cost_per_request_baseline_prices.toFixed()).toBe('0.0095');
    expect(r.groups[0]!.problems.map((p) => p.kind)).toEqual(['cost']);
    expect(r.groups[0]!.causes).toEqual(['web searches up: 0 → 0.5 per request']);
  });

  it('names cache writes and a service tier change as causes when tokens and models stay the same', async () => {
    // claude-sonnet-4-5: $3 input, $3.75 cache write (5m), $15 output per 1M: 1000 in / 100 out is 0.0045.
    const sonnet = (writes: number): TokenSlice => ({ ...slice('claude-sonnet-4-5', 10, { input: 1000, output: 100 }), provider: 'anthropic', cache_write_5m: writes * 10 });
    const { run } = await setup({ agent: [sonnet(0)] });
    // 800 of the 1000 input tokens written to the cache: 200 × 3 + 800 × 3.75 + 100 × 15 per 1M = 0.0051, +13.3%.
    const writes = run({ agent: [sonnet(800)] });
    expect(writes.groups[0]!.after!.cost_per_request_baseline_prices.toFixed()).toBe('0.0051');
    expect(writes.groups[0]!.problems.map((p) => p.kind)).toEqual(['cost']);
    expect(writes.groups[0]!.causes).toEqual(['cache writes up: 0 → 800 tokens per request']);

    // The Batch API halves gpt-4o: a baseline at 0.00175 a request, a run back on the standard tier at 0.0035.
    const batch = await setup({ report: [{ ...slice('gpt-4o', 4, { input: 1000, output: 100 }), service_tier: 'batch' }] });
    expect(batch.section.groups.report!.cost_per_request_usd).toBe('0.00175');
    const standard = batch.run({ report: [slice('gpt-4o', 4, { input: 1000, output: 100 })] });
    expect(standard.groups[0]!.change.cost_baseline_prices!.toFixed()).toBe('1');
    expect(standard.groups[0]!.causes).toEqual(['service tier change: batch → standard']);
    const half = batch.run({ report: [{ ...slice('gpt-4o', 2, { input: 1000, output: 100 }), service_tier: 'batch' }, slice('gpt-4o', 2, { input: 1000, output: 100 })] });
    expect(half.groups[0]!.causes).toEqual(['service tier change: batch 100.0% → 50.0%, standard 0.0% → 50.0%']);
  });

  it('prices a token mix at the baseline snapshot even when the current catalogue changed', async () => {
    const pricer = await testPricer();
    const section = snapshotPrices(pricer.catalogue, [{ provider: 'openai', model: 'gpt-4o' }], AT);
    // Double gpt-4o's input price in the snapshot: the snapshot, not the live catalogue, prices.
    const doubled = structuredClone(section);
    doubled['openai/gpt-4o']!.model.offerings[0]!.periods[0]!.rates.input = '5';
    const atBaseline = snapshotSlicePricer(pricerFromSnapshot(doubled, 'old', []), pricer, 'old');
    const s = slice('gpt-4o', 1, { input: 1000, output: 100 });
    expect(atBaseline.price(s, AT)).toEqual({ cost: dec('0.006'), how: 'priced' });
    // A model the snapshot lacks falls back to the current catalogue, and says so.
    expect(atBaseline.price(slice('gpt-4o-mini', 1, { input: 1000, output: 100 }), AT)).toEqual({ cost: dec('0.00021'), how: 'fallback' });
  });
});
