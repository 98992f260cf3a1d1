/** `llmfin route explain "PROMPT"`: one decision with its score, signals and reason. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { UsageError } from '../../shared/errors.js';
import { textHash } from '../../routing/text-hash.js';
import type { ExplainOptions } from './route.js';
import { routerFor } from './route-policy.js';

export async function routeExplainCommand(ctx: CliContext, prompt: string, opts: ExplainOptions): Promise<void> {
  if (prompt.trim() === '') throw new UsageError('route explain: expected a prompt, got an empty string', { option: 'prompt' });
  const { router, source } = await routerFor(ctx, opts);
  const model = opts.model ?? topModel(router, opts.dialect);
  const d = router.decide({ dialect: opts.dialect, model, prompt, agent: opts.agent, feature: opts.feature });
  const json = {
    policy: source,
    mode: d.mode,
    requested_model: d.requestedModel,
    requested_tier: d.requestedTier,
    tier: d.tier,
    model: d.model,
    upstream: d.upstream ?? null,
    score: d.score,
    success: d.success,
    signals: d.signals,
    evidence: d.evidence,
    rule: d.rule ?? null,
    cohort: d.cohort,
    reason: d.reason,
    prompt_hash: textHash(prompt),
  };
  const signals = Object.entries(d.signals).map(([k, v]) => `${k}=${v}`).join(' ') || '(none fired)';
  const success = Object.entries(d.success).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(' · ');
  emit(ctx, {
    title: `Routing decision (${source}, mode ${d.mode})`,
    json,
    table: {
      columns: [
        { key: 'field', header: 'FIELD' },
        { key: 'value', header: 'VALUE' },
      ],
      rows: [
        { field: 'requested', value: `${d.requestedModel}${d.requestedTier ? ` (${d.requestedTier})` : ''}` },
        { field: 'tier', value: d.tier ?? '–' },
        { field: 'model', value: `${d.model}${d.upstream ? ` via ${d.upstream}` : ''}` },
        { field: 'score', value: d.score.toFixed(3) },
        { field: 'success', value: success || '–' },
        { field: 'signals', value: signals },
        { field: 'cohort', value: d.cohort },
        { field: 'rule', value: d.rule ?? '–' },
        { field: 'why', value: d.reason },
      ],
    },
  });
}

export function topModel(router: { policy: { tiers: Array<{ pools: Record<'openai' | 'anthropic', Array<{ model: string }>> }> } }, dialect: 'openai' | 'anthropic'): string {
  for (let t = router.policy.tiers.length - 1; t >= 0; t--) {
    const pool = router.policy.tiers[t]!.pools[dialect];
    if (pool.length > 0) return pool[pool.length - 1]!.model;
  }
  throw new UsageError(`route: the policy has no ${dialect}-dialect model; pass --model`, { option: '--model' });
}
