/** `llmfin route explain "PROMPT"`: one decision with its score, signals and reason. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { InputError, UsageError } from '../../shared/errors.js';
import { textHash } from '../../routing/text-hash.js';
import { extractRouteText } from '../../routing/extract-route-text.js';
import type { ExplainOptions } from './route.js';
import { routerFor, type UpstreamRefs } from './route-policy.js';
import type { Pricer } from '../../pricing/pricer.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import type { Router } from '../../routing/router.js';

/**
 * The prompt of `route explain -`: all of stdin, as UTF-8 text. A long prompt cannot be an
 * argument (Linux refuses one argument over 128 KiB), and a file of the wrong encoding
 * must say so rather than be scored as replacement characters.
 */
async function readPrompt(ctx: CliContext): Promise<string> {
  const stdin = ctx.io.stdin;
  if (!stdin || (stdin as { isTTY?: boolean }).isTTY) {
    throw new UsageError('route explain -: expected the prompt on stdin (route explain - < prompt.txt)', { option: 'prompt' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError('<stdin>', undefined, 'the prompt is not UTF-8 text', { hint: 'convert it first, e.g. iconv -f latin1 -t utf-8 prompt.txt | llmfin route explain -' });
  }
  // A text file's last line ends in a newline that is no part of the prompt (as "$(cat prompt.txt)"
  // drops it): kept, it counted a token the request never had and could move the score.
  return text.replace(/\r?\n$/, '');
}

export async function routeExplainCommand(ctx: CliContext, promptArg: string, opts: ExplainOptions): Promise<void> {
  const prompt = promptArg === '-' ? await readPrompt(ctx) : promptArg;
  if (prompt.trim() === '') throw new UsageError(`route explain: expected a prompt, got an empty ${promptArg === '-' ? 'stdin' : 'string'}`, { option: 'prompt' });
  // As route score refuses one: an empty model is in no tier, and would be "explained" as kept.
  if (opts.model !== undefined && opts.model.trim() === '') throw new UsageError('--model: expected the model the request asks for, got an empty string (leave it out for the top tier\'s)', { option: '--model' });
  // `--agent "$AGENT"` with the variable unset: explained as no agent's request, the cohort and rules of the agent meant would silently not apply.
  for (const key of ['agent', 'feature'] as const) {
    if (opts[key] !== undefined && opts[key].trim() === '') throw new UsageError(`--${key}: expected the request's ${key}, got an empty string (leave it out for a request with none)`, { option: `--${key}` });
  }
  const { router, source, upstreams } = await routerFor(ctx, opts);
  const model = opts.model ?? topModel(router, opts.dialect);
  if (opts.model !== undefined) {
    const mismatch = dialectMismatch(await ctx.pricer(), router, upstreams, opts.model, opts.dialect);
    if (mismatch !== undefined) ctx.warn(mismatch);
  }
  if (opts.system !== undefined && opts.system.trim() === '') throw new UsageError('--system: expected the system prompt text, got an empty string', { option: '--system' });
  // Read out of a request as the proxy reads it: the system prompt is part of the cohort (its
  // hash) and of the conversation's length, so leaving it out would explain another decision.
  const text = extractRouteText(
    opts.system === undefined
      ? { prompt }
      : opts.dialect === 'anthropic'
        ? { system: opts.system, messages: [{ role: 'user', content: prompt }] }
        : { messages: [{ role: 'system', content: opts.system }, { role: 'user', content: prompt }] },
    opts.dialect,
  );
  const d = router.decide({ dialect: opts.dialect, model, ...text, agent: opts.agent, feature: opts.feature });
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

type Dialect = 'openai' | 'anthropic';

/**
 * A `--model` the catalogue places with a provider of the other dialect (a claude-… model
 * under the default `--dialect openai`), when nothing of the asked dialect serves it (no
 * pool lists it, no upstream of that dialect is for its provider): the decision would be
 * made among the other dialect's models, which the proxy never does for that client.
 */
export function dialectMismatch(pricer: Pricer, router: Pick<Router, 'policy'>, upstreams: UpstreamRefs, model: string, dialect: Dialect): string | undefined {
  const resolved = resolveModel(pricer.catalogue, { model, at: new Date() });
  if (!isResolved(resolved)) return undefined;
  const provider = resolved.provider.provider;
  const native: Dialect = provider === 'anthropic' ? 'anthropic' : 'openai';
  if (native === dialect) return undefined;
  const wanted = model.toLowerCase();
  if (router.policy.tiers.some((t) => t.pools[dialect].some((m) => m.model.toLowerCase() === wanted))) return undefined;
  const canonical = (id: string) => pricer.catalogue.canonicalProviderId(id) ?? id.toLowerCase();
  const serves = Object.entries(upstreams).some(([name, u]) => (u.dialect ?? 'openai') === dialect && canonical(u.provider ?? name) === provider);
  if (serves) return undefined;
  return `the catalogue lists ${model} under ${provider}, which speaks the ${native} dialect, but --dialect is ${dialect} and no ${dialect}-dialect upstream serves it: this decision is among ${dialect}-dialect models; pass --dialect ${native}`;
}
