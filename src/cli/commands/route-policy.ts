/**
 * The router the route commands use: the policy from --policy, else llmfin.yaml's
 * routing:, else the built-in example (with a notice on stderr); cohort priors learned
 * from the ledger when it exists and --no-priors is not given.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import type { CohortPriors } from '../../routing/cohort-priors.js';
import { EXAMPLE_ROUTING } from '../../routing/example-policy.js';
import { learnPriors } from '../../routing/learn-priors.js';
import { loadPolicyFile } from '../../routing/load-policy-file.js';
import { Router } from '../../routing/router.js';
import type { RoutingConfig } from '../../config/routing-config-schema.js';
import type { PolicyOptions } from './route.js';
import { InputError } from '../../shared/errors.js';
import { inPolicyFile } from '../../routing/policy-file-error.js';

/** What the route commands need of an upstream: the dialect it speaks and the provider it serves. */
export type UpstreamRefs = Record<string, { dialect?: 'openai' | 'anthropic'; provider?: string }>;

/**
 * `priorsAsOf`: learn the cohort outcomes from the `priors.since_days` before this moment
 * (default now). `route simulate` passes its --since: a replay decides with what the proxy
 * knew then, not with the outcomes of the very requests it replays.
 */
export async function routerFor(ctx: CliContext, opts: PolicyOptions, priorsAsOf?: Date): Promise<{ router: Router; source: string; upstreams: UpstreamRefs }> {
  const { config, path } = await ctx.config();
  let routing: RoutingConfig = config.routing;
  let upstreams = config.proxy.upstreams as UpstreamRefs;
  let source = path ? `routing: in ${path}` : 'routing: in llmfin.yaml';
  if (opts.policy) {
    const file = loadPolicyFile(resolve(ctx.io.cwd, opts.policy));
    routing = file.routing;
    if (file.upstreams) upstreams = file.upstreams;
    source = opts.policy;
    if (!routing.tiers || routing.tiers.length === 0) {
      // A policy named on the command line is the one meant: replaying another would answer a different question.
      throw new InputError(opts.policy, undefined, 'no routing tiers in this policy file', {
        hint: 'a policy lists tiers: [{ name, models: { openai: [...], anthropic: [...] } }, ...], at the top level or under routing:',
      });
    }
  }
  if (!routing.tiers || routing.tiers.length === 0) {
    ctx.info(`routing has no tiers in ${opts.policy ?? 'llmfin.yaml'}: using the built-in example policy (small/medium/large); see \`llmfin init\` for a routing: block`);
    routing = EXAMPLE_ROUTING;
    source = 'built-in example policy';
  }
  let priors: CohortPriors | undefined;
  if (opts.priors) {
    const ledgerPath = await ctx.ledgerPath();
    if (existsSync(ledgerPath)) {
      const ledger = await ctx.openLedger({ create: false });
      try {
        priors = (await learnPriors(ledger, routing, priorsAsOf)).priors;
      } finally {
        await ledger.close();
      }
    }
  }
  let router: Router;
  try {
    router = new Router({ routing, proxy: { upstreams } }, await ctx.pricer(), priors);
  } catch (error) {
    throw inPolicyFile(error, opts.policy !== undefined ? resolve(ctx.io.cwd, opts.policy) : path);
  }
  for (const w of router.policy.warnings) ctx.warn(`routing: ${w}`);
  return { router, source, upstreams };
}
