/**
 * The `routing:` section of `llmfin.yaml`. Every option is optional and has no zod
 * default, so that `routing: {}` parses to `{}` and means "routing is off"; the
 * defaults live in routing/compile-policy.ts, where the policy is compiled.
 */
import { z } from 'zod';

const NAME = /^[a-z][a-z0-9_-]*$/;
const POOL_KEY = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * One tier: its model pools per upstream. A pool key is an upstream name from
 * `proxy.upstreams` (its dialect decides which clients may be sent there) or a dialect
 * name, `openai` or `anthropic`, meaning that dialect's default upstream.
 */
const RoutingTier = z
  .object({
    name: z.string().regex(NAME, 'expected a tier name such as small, medium or large'),
    models: z
      .record(z.string().regex(POOL_KEY, 'expected an upstream name from proxy.upstreams, or openai / anthropic'), z.array(z.string().min(1)).min(1))
      .refine((m) => Object.keys(m).length > 0, { message: 'expected at least one pool (upstream: [models])' }),
    /** Predicted success of this tier on a request with no evidence either way (0–1). */
    base_success: z.number().gt(0).lt(1).optional(),
  })
  .strict();

const RuleMatch = z
  .object({
    agent: z.string().min(1).optional(),
    feature: z.string().min(1).optional(),
    /** The requested model; globs (`gpt-4o*`) allowed, as everywhere in the match. */
    model: z.string().min(1).optional(),
  })
  .strict()
  .refine((m) => m.agent !== undefined || m.feature !== undefined || m.model !== undefined, { message: 'expected agent, feature or model to match' });

/** Per-agent or per-feature overrides; the first rule that matches applies. */
const RoutingRule = z
  .object({
    name: z.string().min(1).optional(),
    match: RuleMatch,
    /** The quality floor: never route below this tier. */
    min_tier: z.string().regex(NAME).optional(),
    /** Never route above this tier (escalation and stickiness stop here too). */
    max_tier: z.string().regex(NAME).optional(),
    /** The tier for requests with no evidence (no feature fires, unknown cohort). */
    default_tier: z.string().regex(NAME).optional(),
    max_quality_loss: z.number().min(0).lt(1).optional(),
    min_success: z.number().min(0).lt(1).optional(),
    mode: z.enum(['shadow', 'enforce']).optional(),
  })
  .strict();

export const RoutingSchema = z
  .object({
    /** shadow: record what routing would do and forward unchanged; enforce: rewrite the model. Default shadow. */
    mode: z.enum(['shadow', 'enforce']).optional(),
    /** Cheapest first. No tiers: routing is off. */
    tiers: z.array(RoutingTier).optional(),
    /** Route to the cheapest tier whose predicted success is within this of the best tier's (default 0.10). */
    max_quality_loss: z.number().min(0).lt(1).optional(),
    /** ...and whose predicted success is at least this (default 0; the top tier always qualifies). */
    min_success: z.number().min(0).lt(1).optional(),
    /** The tier for requests with no evidence (default: the middle tier). */
    default_tier: z.string().regex(NAME).optional(),
    /** Allow choosing a tier above the requested model's (default false: escalation and stickiness stop there too; only a rule's min_tier may raise it). */
    allow_upgrade: z.boolean().optional(),
    rules: z.array(RoutingRule).optional(),
    /** Within a trace (`x-llmfin-trace-id`) the tier only goes up. */
    stickiness: z
      .object({
        enabled: z.boolean().optional(),
        ttl_seconds: z.number().int().positive().optional(),
        max_traces: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    /** Move up `tiers` tiers when a request carries this many tool errors or repeated calls. */
    escalation: z
      .object({
        tool_errors: z.number().int().min(1).optional(),
        repeats: z.number().int().min(1).optional(),
        tiers: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Cohort priors learned from the ledger's outcomes. */
    priors: z
      .object({
        since_days: z.number().int().positive().optional(),
        /** Pseudo-requests of the parent cohort's rate a cohort starts from (Beta prior). */
        strength: z.number().positive().optional(),
        /** Outcomes a cohort needs before it counts as evidence. */
        min_requests: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Characters of the prompt the scorer reads (head; a short tail is read too). Default 2048. */
    scan_chars: z.number().int().min(256).max(16_384).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const tiers = r.tiers ?? [];
    const names = new Set<string>();
    tiers.forEach((t, i) => {
      if (names.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'name'], message: `tier "${t.name}" is defined twice` });
      names.add(t.name);
    });
    const known = tiers.map((t) => t.name).join(', ') || 'none defined';
    const check = (value: string | undefined, path: (string | number)[]) => {
      if (value !== undefined && !names.has(value)) ctx.addIssue({ code: 'custom', path, message: `expected a tier name (${known}), got "${value}"` });
    };
    check(r.default_tier, ['default_tier']);
    (r.rules ?? []).forEach((rule, i) => {
      check(rule.min_tier, ['rules', i, 'min_tier']);
      check(rule.max_tier, ['rules', i, 'max_tier']);
      check(rule.default_tier, ['rules', i, 'default_tier']);
      if (rule.min_tier && rule.max_tier && names.has(rule.min_tier) && names.has(rule.max_tier)) {
        const order = tiers.map((t) => t.name);
        if (order.indexOf(rule.min_tier) > order.indexOf(rule.max_tier)) {
          ctx.addIssue({ code: 'custom', path: ['rules', i, 'max_tier'], message: `expected max_tier at or above min_tier "${rule.min_tier}"` });
        }
      }
    });
    if (r.mode !== undefined && tiers.length === 0) ctx.addIssue({ code: 'custom', path: ['tiers'], message: `expected tiers (cheapest first) with mode: ${r.mode}` });
  });

export type RoutingConfig = z.infer<typeof RoutingSchema>;
export type RoutingTierConfig = z.infer<typeof RoutingTier>;
export type RoutingRuleConfig = z.infer<typeof RoutingRule>;
