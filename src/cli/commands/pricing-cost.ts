/** `llmfin pricing cost`: price one usage and print the breakdown. */
import type { CliContext } from '../cli-context.js';
import { parseCountOption, parseTimeOption } from '../cli-context.js';
import { emit } from '../output/emit.js';
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import { noUpliftNote, PER_UNIT_COMPONENTS } from '../../pricing/cost-engine.js';
import { periodStatus } from '../../pricing/period-status.js';
import type { PricedResult } from '../../pricing/pricer.js';
import type { PriceCatalogue } from '../../pricing/price-catalogue.js';
import type { ModelQuery } from '../../pricing/resolve-model.js';
import { decToNumber, formatUsd, type Dec } from '../../shared/money.js';
import { periodText } from '../output/period-text.js';
import { rateText } from '../output/rate-text.js';
import { LlmfinError, UsageError } from '../../shared/errors.js';
import { assertKnownProvider } from './pricing-provider-option.js';

/** The options that give token counts… */
const TOKEN_OPTIONS = ['input', 'uncachedInput', 'output', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h', 'reasoning'] as const;
/** …and every option that gives a usage; without any of them there is nothing to price. */
const COUNT_OPTIONS = [...TOKEN_OPTIONS, 'requests', 'webSearches'] as const;

export async function pricingCost(ctx: CliContext, opts: Record<string, string | undefined>): Promise<void> {
  const now = new Date();
  const at = parseTimeOption('--at', opts.at, now);
  const count = (flag: string, key: string) => parseCountOption(flag, opts[key]);
  const input = count('--input', 'input');
  const uncached = count('--uncached-input', 'uncachedInput');
  if (input !== undefined && uncached !== undefined) {
    throw new UsageError('give either --input (as reported) or --uncached-input, not both', { option: '--uncached-input' });
  }
  const cacheRead = count('--cache-read', 'cacheRead') ?? 0;
  const cacheWrite5m = count('--cache-write-5m', 'cacheWrite5m') ?? 0;
  const cacheWrite1h = count('--cache-write-1h', 'cacheWrite1h') ?? 0;
  const output = count('--output', 'output') ?? 0;
  const reasoning = count('--reasoning', 'reasoning') ?? 0;
  const requests = parseCountOption('--requests', opts.requests, 'requests') ?? 1;
  const webSearches = parseCountOption('--web-searches', opts.webSearches, 'searches') ?? 0;
  // Nothing to price is a mistake, not a usage that costs $0: say which counts are wanted.
  if (COUNT_OPTIONS.every((key) => opts[key] === undefined)) {
    throw new UsageError('expected a usage to price: give its token counts (--input or --uncached-input, --output, --cache-read, --cache-write-5m, --cache-write-1h, --reasoning), --web-searches for server-side searches, or --requests for a per-request fee', {
      option: '--input',
      hint: `e.g. llmfin pricing cost --model ${opts.model ?? 'gpt-4o'} --input 2006 --cache-read 1920 --output 300`,
    });
  }

  const pricer = await ctx.pricer();
  assertKnownProvider(pricer.catalogue, opts.provider);
  const request = {
    provider: opts.provider,
    model: opts.model!,
    at,
    serviceTier: opts.serviceTier as ServiceTier | undefined,
    region: opts.region,
    offering: opts.offering,
    usage: { input: uncached ?? input ?? 0, output, cacheRead, cacheWrite5m, cacheWrite1h, reasoning, requests, webSearches },
    inputIsUncached: uncached !== undefined,
  };
  const result = pricer.price(request);
  if (result.status === 'unpriced') {
    if (result.cause === 'usage') {
      // The model is known; the counts given contradict how its provider reports them.
      throw new UsageError(`the token counts do not add up: ${result.reason}`, {
        hint: '--input counts every input token as the provider reports it (OpenAI and Gemini include cached tokens; --uncached-input gives the uncached part alone), and --output includes --reasoning',
      });
    }
    let hint = `see the prices this model has with \`llmfin pricing show ${request.model}\``;
    if (result.cause === 'model' && opts.offering !== undefined) {
      // A known model sold otherwise than --offering says: the option is the mistake, not the id.
      const { isResolved, resolveModel } = await import('../../pricing/resolve-model.js');
      const known = resolveModel(pricer.catalogue, { provider: request.provider, model: request.model, at });
      if (isResolved(known)) throw offeringError(`${known.provider.provider}/${known.model.id}`, opts.offering, known.model.offerings.map((o) => o.scope), request.model);
    }
    if (result.cause === 'model') {
      const { unknownModelHint } = await import('../../pricing/suggest-models.js');
      hint = unknownModelHint(pricer.catalogue, request.model, request.provider, 'check the id with `llmfin pricing list --search TEXT`, or add it under pricing.custom_models in llmfin.yaml');
    }
    throw new LlmfinError(`unpriced model: ${result.reason}`, { hint });
  }
  // A model sold one way only is priced that way whatever --offering says: say so rather
  // than print its only price as if it were the one asked for.
  if (opts.offering !== undefined && result.offering !== opts.offering.toLowerCase()) {
    throw offeringError(`${result.provider}/${result.matchedModel}`, opts.offering, [result.offering], request.model);
  }
  // Only fees were given (--requests, --web-searches) and the model charges none of them:
  // nothing was priced, which is not a usage that costs $0.
  const unpricedFees = [
    requests > 0 && opts.requests !== undefined && !result.breakdown.components.per_request ? `no per-request fee (--requests ${requests})` : undefined,
    webSearches > 0 && !result.breakdown.components.web_search ? `no web search price (--web-searches ${webSearches})` : undefined,
  ].filter((part) => part !== undefined);
  // Token counts of 0 are no tokens either: `--input 0 --web-searches 5` would total $0.
  const noTokens = [input, uncached, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning].every((n) => (n ?? 0) === 0);
  if (unpricedFees.length > 0 && Object.keys(result.breakdown.components).length === 0 && noTokens) {
    const tokens = TOKEN_OPTIONS.every((key) => opts[key] === undefined) ? 'no token counts were given' : 'the token counts given are all 0';
    throw new UsageError(`nothing to price: ${result.provider}/${result.matchedModel} has ${unpricedFees.join(' and ')}, and ${tokens}`, {
      option: opts.requests !== undefined ? '--requests' : '--web-searches',
      hint: `give its token counts (--input, --output, --cache-read, …), or see the prices it has with \`llmfin pricing show ${request.model}\``,
    });
  }
  const priced = opts.region !== undefined ? await withOfferingNote(pricer.catalogue, result, request, opts.region) : result;
  emit(ctx, { json: costJson(priced, pricer.catalogue.manifest.version, at, now), table: costTable(ctx, priced, at, now) });
}

/**
 * Azure sells its Data Zones (eu, us) as offerings of their own, not as a region uplift:
 * `--region eu` there prices the global offering, with only "no price uplift" to show for
 * it. When the model has an offering named as the region, the note says to ask for it.
 */
async function withOfferingNote(catalogue: PriceCatalogue, result: PricedResult, request: ModelQuery, region: string): Promise<PricedResult> {
  const scope = region.toLowerCase();
  if (result.offering === scope || result.breakdown.applied.includes(`geo:${scope}`)) return result;
  const { isResolved, resolveModel } = await import('../../pricing/resolve-model.js');
  const known = resolveModel(catalogue, request);
  if (!isResolved(known) || !known.model.offerings.some((o) => o.scope === scope)) return result;
  const note = `"${scope}" is an offering of ${result.provider}/${result.matchedModel} with its own prices: price it with --offering ${scope}`;
  const notes = result.breakdown.notes.filter((n) => n !== noUpliftNote(region));
  return { ...result, breakdown: { ...result.breakdown, notes: [...notes, note] } };
}

export function costJson(r: PricedResult, catalogueVersion: string, at: Date, now: Date): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(r.breakdown.components)) {
    components[name] = PER_UNIT_COMPONENTS[name] !== undefined
      ? { count: c.tokens, usd_each: decToNumber(c.rate), cost_usd: decToNumber(c.cost) }
      : { tokens: c.tokens, usd_per_1m: decToNumber(c.rate), cost_usd: decToNumber(c.cost) };
  }
  if (r.discount) components.discount = { percent: r.discount.percent, cost_usd: -decToNumber(r.discount.amount), rule: r.discount.rule };
  const tier = r.breakdown.tier;
  return {
    provider: r.provider,
    model: r.model,
    matched_model: r.matchedModel,
    offering: r.offering,
    at: at.toISOString(),
    cost_usd: decToNumber(r.cost),
    cost_usd_exact: r.cost.toFixed(),
    components,
    tier: tier ? { above: tier.above, compare: tier.compare } : null,
    service_tier: r.breakdown.serviceTier,
    modifiers: r.breakdown.applied,
    // Whether the period priced at `at` is still the one in effect today, as `pricing show` says it.
    price_period: { from: r.breakdown.period.from, to: r.breakdown.period.to, status: periodStatus(r.breakdown.period, now), source: r.breakdown.period.source },
    catalogue_version: catalogueVersion,
    notes: r.breakdown.notes,
  };
}

/**
 * An exact cost, down to the ledger's 1e-10 USD: a non-terminating self-hosted rate
 * carries its 20 digits into the product ($0.01000000000000000000026), which the ledger
 * records as $0.01; past ten decimals, the table shows that, marked ≈.
 */
function costUsd(cost: Dec): string {
  return cost.decimalPlaces() > 10 ? `≈${formatUsd(cost.toDecimalPlaces(10), { exact: true })}` : formatUsd(cost, { exact: true });
}

function costTable(ctx: CliContext, r: PricedResult, at: Date, now: Date): string {
  const { chalk } = ctx;
  const rows = Object.entries(r.breakdown.components).map(([name, c]) => ({
    name: name.replace(/_/g, ' '),
    tokens: c.tokens.toLocaleString('en-US'),
    // `$2.5`, or `≈$0.185185` for a rate that does not terminate (rate-text.ts).
    rate: `${rateText(c.rate.toFixed(), '$')}/${PER_UNIT_COMPONENTS[name] ?? '1M'}`,
    cost: costUsd(c.cost),
  }));
  if (r.discount) rows.push({ name: `discount ${r.discount.percent}%`, tokens: '', rate: r.discount.rule, cost: costUsd(r.discount.amount.neg()) });
  const w = (k: keyof (typeof rows)[number]) => Math.max(...rows.map((x) => x[k].length), 6);
  const lines = rows.map((x) => `  ${x.name.padEnd(w('name'))}  ${x.tokens.padStart(w('tokens'))}  ×  ${x.rate.padEnd(w('rate'))}  ${x.cost.padStart(w('cost'))}`);
  const period = r.breakdown.period;
  const header = [
    `${chalk.bold(r.matchedModel)} ${chalk.dim(`(${r.provider}, ${r.offering} offering, matched "${r.model}")`)}`,
    chalk.dim(`  price period ${periodText(period, periodStatus(period, now))} · at ${at.toISOString()} · ${period.source}`),
  ];
  if (r.breakdown.applied.length > 0) header.push(chalk.dim(`  applied: ${r.breakdown.applied.join(', ')}`));
  const notes = r.breakdown.notes.map((n) => chalk.yellow(`  note: ${n}`));
  return [...header, '', ...lines, '', `  ${chalk.bold('total')}  ${chalk.bold(costUsd(r.cost))}`, ...notes].join('\n');
}

function offeringError(model: string, offering: string, known: readonly string[], id: string): UsageError {
  return new UsageError(`--offering: ${model} has no "${offering}" offering (known: ${known.join(', ')})`, {
    option: '--offering',
    hint: `see its prices with \`llmfin pricing show ${id}\`, or leave out --offering`,
  });
}
