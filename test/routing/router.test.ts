import { describe, expect, it } from 'vitest';
import { Router } from '../../src/routing/router.js';
import { RoutingSchema, type RoutingConfig } from '../../src/config/routing-config-schema.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { RoutingPolicyError } from '../../src/routing/routing-errors.js';
import { CohortPriors } from '../../src/routing/cohort-priors.js';
import { testPricer } from '../helpers/import.js';

const TIERS: RoutingConfig['tiers'] = [
  { name: 'small', models: { openai: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] } },
  { name: 'medium', models: { openai: ['gpt-4.1-mini'], anthropic: ['claude-sonnet-4-5'] } },
  { name: 'large', models: { openai: ['gpt-4o'], anthropic: ['claude-opus-4-5'] } },
];
const router = (extra: Partial<RoutingConfig> = {}, upstreams: Record<string, { dialect: 'openai' | 'anthropic' }> = {}) =>
  new Router({ routing: RoutingSchema.parse({ mode: 'enforce', tiers: TIERS, ...extra }), proxy: { upstreams } });
const SHORT = 'thanks, that works';
const HARD = `Write a complete implementation in TypeScript of a function that must parse JSON exactly. First validate, then transform, finally return a table.\n\`\`\`ts\nfunction f(x: number) { return x * 2; }\n\`\`\`\n${'Context paragraph with details. '.repeat(300)}`;

describe('routing config', () => {
  it('routing: {} stays valid and means off', () => {
    expect(ConfigSchema.parse({}).routing).toEqual({});
    const d = new Router({ routing: {} }).decide({ dialect: 'openai', model: 'gpt-4o', prompt: HARD });
    expect(d).toMatchObject({ mode: 'off', apply: false, model: 'gpt-4o', tier: null });
  });
  it('rejects unknown tier names in rules and duplicate tiers, naming the path', () => {
    const bad = RoutingSchema.safeParse({ tiers: TIERS, rules: [{ match: { agent: 'a' }, min_tier: 'huge' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['rules', 0, 'min_tier']);
    expect(bad.error?.issues[0]?.message).toContain('expected a tier name (small, medium, large), got "huge"');
    expect(RoutingSchema.safeParse({ tiers: [TIERS![0], TIERS![0]] }).success).toBe(false);
    expect(RoutingSchema.safeParse({ mode: 'enforce' }).success).toBe(false);
  });
  it('warns, naming the model and the tiers, when one model is in two tiers for the same clients', () => {
    const tiers: RoutingConfig['tiers'] = [
      { name: 'small', models: { openai: ['gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] } },
      { name: 'large', models: { openai: ['gpt-4o', 'GPT-4o-mini'], anthropic: ['claude-opus-4-5'] } },
    ];
    const r = new Router({ routing: RoutingSchema.parse({ tiers }) });
    expect(r.policy.warnings).toEqual([
      'gpt-4o-mini / GPT-4o-mini is listed in tiers small, large for openai-dialect clients: which tier a request for it is in, and so what is routed and saved, depends on how it is spelt; list it in one tier',
    ]);
    const same = new Router({ routing: RoutingSchema.parse({ tiers: [tiers[0]!, { name: 'large', models: { openai: ['gpt-4o-mini'] } }] }) });
    expect(same.policy.warnings).toEqual([
      'gpt-4o-mini is listed in tiers small, large for openai-dialect clients: a request for it is taken as tier small, so what is routed and saved depends on the order of the tiers; list it in one tier',
    ]);
    // Still a policy that runs: a warning, not an error.
    expect(same.tierOf('gpt-4o-mini')).toBe(0);
    // The same model for clients of two dialects (an upstream speaking openai for a claude model) is two listings.
    const compat = new Router({
      routing: RoutingSchema.parse({ tiers: [{ name: 'small', models: { 'anthropic-compat': ['claude-haiku-4-5'] } }, { name: 'large', models: { anthropic: ['claude-haiku-4-5'] } }] }),
      proxy: { upstreams: { 'anthropic-compat': { dialect: 'openai' } } },
    });
    expect(compat.policy.warnings).toEqual([]);
    expect(router().policy.warnings).toEqual([]);
  });
  it('says a model the catalogue cannot price once, however many pools list it', async () => {
    const pricer = await testPricer();
    const tiers: RoutingConfig['tiers'] = [{ name: 'small', models: { openai: ['my-llm'] } }, { name: 'large', models: { openai: ['gpt-4o', 'my-llm'] } }];
    const warnings = new Router({ routing: RoutingSchema.parse({ tiers }) }, pricer).policy.warnings;
    expect(warnings.filter((w) => w.startsWith('my-llm is not in the price catalogue'))).toHaveLength(1);
    expect(warnings.filter((w) => w.startsWith('my-llm is listed in tiers small, large'))).toHaveLength(1);
  });
  it('a pool naming an unknown upstream is a RoutingPolicyError', () => {
    expect(() => new Router({ routing: { tiers: [{ name: 'a', models: { groq: ['llama'] } }] } })).toThrow(RoutingPolicyError);
  });
});

describe('Router.decide', () => {
  it('sends a short request down and a hard one to the top, with signals and a reason', () => {
    const r = router({ default_tier: 'small' });
    const easy = r.decide({ dialect: 'openai', model: 'gpt-4o', prompt: SHORT });
    expect(easy).toMatchObject({ tier: 'small', model: 'gpt-4o-mini', apply: true, evidence: false });
    expect(easy.reason).toContain('no evidence');
    const hard = r.decide({ dialect: 'openai', model: 'gpt-4o', prompt: HARD });
    expect(hard.tier).toBe('large');
    expect(hard.model).toBe('gpt-4o');
    expect(hard.apply).toBe(false);
    expect(hard.signals.code).toBeGreaterThan(0);
    expect(hard.signals.constraints).toBeGreaterThan(0);
    expect(hard.score).toBeGreaterThan(easy.score);
    expect(hard.success.large).toBeGreaterThanOrEqual(hard.success.small!);
  });
  it('shadow mode decides the same and applies nothing', () => {
    const d = router({ mode: 'shadow', default_tier: 'small' }).decide({ dialect: 'openai', model: 'gpt-4o', prompt: SHORT });
    expect(d).toMatchObject({ mode: 'shadow', apply: false, tier: 'small', model: 'gpt-4o-mini' });
  });
  it('never upgrades above the requested model unless allowed; floors still raise it', () => {
    expect(router().decide({ dialect: 'openai', model: 'gpt-4o-mini', prompt: HARD }).tier).toBe('small');
    expect(router({ allow_upgrade: true }).decide({ dialect: 'openai', model: 'gpt-4o-mini', prompt: HARD }).tier).toBe('large');
    const floored = router({ rules: [{ match: { agent: 'support*' }, min_tier: 'medium' }] }).decide({ dialect: 'openai', model: 'gpt-4o-mini', prompt: SHORT, agent: 'support-bot' });
    expect(floored).toMatchObject({ tier: 'medium', model: 'gpt-4.1-mini', rule: 'rules.0' });
  });
  it('says where a tier above its ceiling was held, rather than name the tier it did not choose', () => {
    // No evidence: the default tier (medium) is above a request for gpt-4o-mini (small).
    const held = router({ default_tier: 'medium' }).decide({ dialect: 'openai', model: 'gpt-4o-mini', prompt: SHORT });
    expect(held).toMatchObject({ tier: 'small', model: 'gpt-4o-mini' });
    expect(held.reason).toBe("no evidence (no feature fired, cohort has < 30 outcomes): default tier medium; held at small, the requested model's tier (routing.allow_upgrade is off)");
    // A rule's max_tier below the default tier.
    const capped = router({ default_tier: 'large', rules: [{ name: 'cheap-bots', match: { agent: 'bot' }, max_tier: 'medium' }] }).decide({ dialect: 'openai', model: 'gpt-4o', prompt: SHORT, agent: 'bot' });
    expect(capped).toMatchObject({ tier: 'medium', model: 'gpt-4.1-mini', rule: 'cheap-bots' });
    expect(capped.reason).toBe("no evidence (no feature fired, cohort has < 30 outcomes): default tier large; held at medium, cheap-bots's max_tier");
    // Within its ceiling, nothing is added.
    expect(router({ default_tier: 'medium' }).decide({ dialect: 'openai', model: 'gpt-4o', prompt: SHORT }).reason).toBe('no evidence (no feature fired, cohort has < 30 outcomes): default tier medium');
  });
  it('never crosses dialects: an anthropic client stays on anthropic models unless an upstream speaks its dialect', () => {
    const d = router({ default_tier: 'small' }).decide({ dialect: 'anthropic', model: 'claude-opus-4-5', prompt: SHORT });
    expect(d.model).toBe('claude-haiku-4-5');
    const only = new Router({
      routing: { mode: 'enforce', default_tier: 'small', tiers: [{ name: 'small', models: { openai: ['gpt-4o-mini'] } }, { name: 'large', models: { openai: ['gpt-4o'], anthropic: ['claude-opus-4-5'] } }] },
    });
    const kept = only.decide({ dialect: 'anthropic', model: 'claude-opus-4-5', prompt: SHORT });
    expect(kept.model).toBe('claude-opus-4-5');
    expect(kept.tier).toBe('large');
    expect(kept.reason).toContain('small has no anthropic-dialect model');
    // Anthropic's OpenAI-compatible endpoint speaks openai: an openai client may go there.
    const compat = new Router({
      routing: { mode: 'enforce', default_tier: 'small', tiers: [{ name: 'small', models: { 'anthropic-compat': ['claude-haiku-4-5'] } }, { name: 'large', models: { openai: ['gpt-4o'] } }] },
      proxy: { upstreams: { 'anthropic-compat': { dialect: 'openai' } } },
    });
    expect(compat.decide({ dialect: 'openai', model: 'gpt-4o', prompt: SHORT })).toMatchObject({ model: 'claude-haiku-4-5', upstream: 'anthropic-compat' });
  });
  it('within a trace the tier only goes up', () => {
    const r = router({ default_tier: 'small' });
    const t = { dialect: 'openai' as const, model: 'gpt-4o', traceId: 'trace-1', now: 1000 };
    expect(r.decide({ ...t, prompt: SHORT }).tier).toBe('small');
    expect(r.decide({ ...t, prompt: HARD }).tier).toBe('large');
    const after = r.decide({ ...t, prompt: SHORT });
    expect(after).toMatchObject({ tier: 'large', sticky: true });
    expect(r.decide({ ...t, traceId: 'trace-2', prompt: SHORT }).tier).toBe('small');
    // Past the TTL the trace starts again.
    expect(r.decide({ ...t, prompt: SHORT, now: 1000 + 3_600_001 }).tier).toBe('small');
  });
  it('a router built on reload keeps the tiers the traces reached, when its tiers are the same', () => {
    const t = { dialect: 'openai' as const, model: 'gpt-4o', traceId: 'trace-1', now: 1000 };
    const before = router({ default_tier: 'small' });
    expect(before.decide({ ...t, prompt: HARD }).tier).toBe('large');
    const same = router({ default_tier: 'small', max_quality_loss: 0.2 });
    same.carryTraces(before);
    expect(same.decide({ ...t, prompt: SHORT })).toMatchObject({ tier: 'large', sticky: true });
    // Other tiers: an index into the old ones means nothing there.
    const other = new Router({ routing: RoutingSchema.parse({ mode: 'enforce', default_tier: 'small', tiers: [TIERS![0]!, TIERS![2]!] }) });
    other.carryTraces(before);
    expect(other.decide({ ...t, prompt: SHORT }).tier).toBe('small');
  });
  it('escalates on repeated tool errors', () => {
    const d = router({ default_tier: 'small' }).decide({ dialect: 'openai', model: 'gpt-4o', prompt: SHORT, toolErrors: 2 });
    expect(d.escalated).toBe(true);
    expect(d.tier).not.toBe('small');
    expect(d.reason).toContain('2 tool errors');
  });
  it('escalation stops at the requested model\'s tier unless allow_upgrade: it never spends more than the client asked for', () => {
    const input = { dialect: 'openai' as const, model: 'gpt-4o-mini', prompt: SHORT, toolErrors: 2 };
    expect(router({ default_tier: 'small' }).decide(input)).toMatchObject({ tier: 'small', model: 'gpt-4o-mini', escalated: true });
    expect(router({ default_tier: 'small', allow_upgrade: true }).decide(input)).toMatchObject({ tier: 'medium', model: 'gpt-4.1-mini', escalated: true });
  });
  it('a cohort whose small-tier answers were good routes down; a failing one does not', () => {
    const priors = new CohortPriors();
    for (let i = 0; i < 200; i++) {
      priors.add({ agent: 'faq' }, 'small', 1);
      priors.add({ agent: 'faq' }, 'large', 1);
      priors.add({ agent: 'legal' }, 'small', i % 2);
      priors.add({ agent: 'legal' }, 'large', 1);
    }
    const r = new Router({ routing: { mode: 'enforce', tiers: TIERS } }, undefined, priors);
    const prompt = 'Summarise the attached clause and state whether it applies to our contract with the supplier.';
    expect(r.decide({ dialect: 'openai', model: 'gpt-4o', prompt, agent: 'faq' }).tier).toBe('small');
    expect(r.decide({ dialect: 'openai', model: 'gpt-4o', prompt, agent: 'legal' }).tier).not.toBe('small');
  });
});

describe('100,000-request replay', () => {
  it('never decides below a rule\'s floor, whatever the prompt, trace, errors or dialect', () => {
    const r = router({
      default_tier: 'small',
      allow_upgrade: true,
      rules: [
        { match: { agent: 'support*' }, min_tier: 'medium' },
        { match: { feature: 'legal' }, min_tier: 'large' },
        { match: { agent: 'bulk' }, max_tier: 'small' },
      ],
    });
    const agents = ['support-bot', 'support-2', 'coder', 'bulk', 'faq'];
    const features = ['legal', 'chat', 'search'];
    const prompts = [SHORT, HARD, 'What is 17 * 23?', 'hi', 'Compare three databases in a table with exactly 5 rows.'];
    const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-mini', 'claude-opus-4-5', 'claude-haiku-4-5'];
    const order = ['small', 'medium', 'large'];
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    let violations = 0;
    let decisions = 0;
    for (let i = 0; i < 100_000; i++) {
      const agent = agents[rnd(agents.length)]!;
      const feature = features[rnd(features.length)]!;
      const model = models[rnd(models.length)]!;
      const d = r.decide({
        dialect: model.startsWith('claude') ? 'anthropic' : 'openai',
        model,
        prompt: prompts[rnd(prompts.length)]!,
        agent,
        feature,
        traceId: `t${rnd(2000)}`,
        toolErrors: rnd(10) === 0 ? 3 : 0,
        now: i,
      });
      decisions++;
      const floor = agent === 'bulk' ? 0 : feature === 'legal' && !agent.startsWith('support') ? 2 : agent.startsWith('support') ? 1 : 0;
      if (order.indexOf(d.tier!) < floor) violations++;
      if (d.floorMet === false) violations++;
    }
    expect(decisions).toBe(100_000);
    expect(violations).toBe(0);
  });
});

describe('a dated snapshot or alias of a listed model', () => {
  it('is in that model\'s tier: routed down like it, kept as written when its own tier is chosen', async () => {
    const { PriceCatalogue } = await import('../../src/pricing/price-catalogue.js');
    const { Pricer } = await import('../../src/pricing/pricer.js');
    const pricer = new Pricer(await PriceCatalogue.load());
    const r = new Router({ routing: RoutingSchema.parse({ mode: 'enforce', default_tier: 'small', tiers: TIERS }) }, pricer);
    // gpt-4o-2024-08-06 is gpt-4o in the catalogue (large); claude-sonnet-4-5-20250929 is claude-sonnet-4-5 (medium).
    expect(r.tierOf('gpt-4o-2024-08-06')).toBe(2);
    expect(r.tierOf('claude-sonnet-4-5-20250929')).toBe(1);
    const easy = r.decide({ dialect: 'openai', model: 'gpt-4o-2024-08-06', prompt: SHORT });
    expect(easy).toMatchObject({ requestedTier: 'large', tier: 'small', model: 'gpt-4o-mini', apply: true });
    const hard = r.decide({ dialect: 'openai', model: 'gpt-4o-2024-08-06', prompt: HARD });
    // Its own tier: not rewritten to the pool's id.
    expect(hard).toMatchObject({ tier: 'large', model: 'gpt-4o-2024-08-06', apply: false });
    const claude = r.decide({ dialect: 'anthropic', model: 'claude-sonnet-4-5-20250929', prompt: SHORT });
    expect(claude).toMatchObject({ requestedTier: 'medium', tier: 'small', model: 'claude-haiku-4-5', apply: true });
    // A snapshot the catalogue prices as a model of its own is not the listed one: in no tier, kept.
    expect(r.tierOf('gpt-4o-2024-05-13')).toBe(-1);
    expect(r.decide({ dialect: 'openai', model: 'gpt-4o-2024-05-13', prompt: SHORT })).toMatchObject({ tier: null, model: 'gpt-4o-2024-05-13', apply: false });
    expect(r.tierOf('some-private-model')).toBe(-1);
  });
});
