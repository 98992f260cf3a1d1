/** `llmfin route simulate --since 30d --policy FILE`: what a policy would have saved on recorded traffic. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { renderRowsCsv } from '../output/rows-csv.js';
import { parsePeriod, parseWhen } from '../report-period.js';
import { formatUsd } from '../../shared/money.js';
import { countNoun } from '../../shared/count-noun.js';
import { UsageError } from '../../shared/errors.js';
import { simulateRouting, type SimulationGroup } from '../../routing/simulate-routing.js';
import type { SimulateOptions } from './route.js';
import { routerFor } from './route-policy.js';

/**
 * Money below $1 to three significant digits, as unit costs are: a replay of a few shadow
 * requests printed "$0.02 → $0.01, saved $0.00329" (cents above a cent, digits below), which
 * does not add up; $0.015 → $0.0117, saved $0.00329 does.
 */
const usd = (x: number): string => formatUsd(x, { unit: true });

/** The replay's window without --since or --until: the 30 days before today. */
const DEFAULT_SINCE = '30d';
const DAY_MS = 86_400_000;

/** A count as the other figures print it: 6,484,805. */
const count = (n: number): string => n.toLocaleString('en-US');

export async function routeSimulateCommand(ctx: CliContext, opts: SimulateOptions): Promise<void> {
  const now = new Date();
  const period = parsePeriod({ since: opts.since, until: opts.until }, now);
  // Without --since, the 30 days before the window's end: `--until 2026-10-01` alone is
  // September, not a start 30 days before today that lies after it.
  period.since ??= opts.until === undefined ? parseWhen('--since', DEFAULT_SINCE, now).toISOString() : new Date(Date.parse(period.until!) - 30 * DAY_MS).toISOString();
  // Without --until the replay ends now: a --since after it would print an inverted window ("2026-12-05 → 2026-12-03") as an empty replay.
  if (period.until === undefined && period.since !== undefined && period.since > now.toISOString()) {
    throw new UsageError(`--since: expected a time before now (${now.toISOString()}), got ${period.since}`, {
      option: '--since',
      hint: 'give a past start, or --until as well to replay a window of your choosing',
    });
  }
  const since = new Date(period.since ?? 0);
  const until = new Date(period.until ?? now.getTime() + 1);
  // Priors as of --since: the replayed requests' own outcomes must not steer their replay.
  const { router, source } = await routerFor(ctx, opts, since);
  const pricer = await ctx.pricer();
  const ledger = await ctx.openLedger({ create: false });
  let result;
  try {
    result = await simulateRouting(ledger, router, pricer, since, until);
  } finally {
    await ledger.close();
  }
  if (result.errors_left_out > 0) {
    ctx.info(`${count(result.errors_left_out)} error row(s) (HTTP status >= 400, no tokens: the model never ran) are left out of the requests, tier shares and savings`);
  }
  if (result.not_routed_left_out > 0) {
    ctx.info(`${count(result.not_routed_left_out)} embeddings or moderation request(s) are left out: routing decides chat and message requests only`);
  }
  if (result.aggregated_left_out > 0) {
    // Savings read off a period must not seem to cover traffic the replay never saw.
    ctx.warn(
      `${count(result.aggregated_left_out)} request(s) in metered rows that sum an hour, a day or a month are not in this replay (there is no single request in them to re-score): ` +
        'the figures cover per-request rows only, the ones the proxy records',
    );
  }
  if (result.requests === 0) ctx.info('no per-request metered rows in this period: run the proxy (shadow mode records what routing would do), or widen --since');
  if (result.without_features > 0) {
    ctx.info(`${count(result.without_features)} row(s) had no routing features recorded and were replayed from their token counts alone`);
  }
  const unsaved = result.realised.unpriced_routed_rows;
  if (unsaved > 0) {
    // Worded as `report --by routed_from` words it: the same rows, the same period.
    ctx.warn(`${count(unsaved)} routed row(s) have no recorded original cost (the requested model had no price): the realised savings leave them out rather than count $0 saved`);
  }
  if (result.unpriced > 0) ctx.warn(`${count(result.unpriced)} row(s) could not be priced at the original or the routed model and are left out of the $ figures`);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const tierText = (tiers: Record<string, number>) =>
    Object.entries(tiers)
      .map(([t, s]) => `${t} ${pct(s)}`)
      .join(' · ');
  // An agent (or the total) none of whose rows could be priced says so rather than showing $0.00.
  const moneyCells = (x: SimulationGroup) => {
    const unpriced = x.unpriced > 0 && x.original_cost_usd === 0 && x.routed_cost_usd === 0;
    return {
      requests: count(x.requests),
      original: unpriced ? 'unpriced' : usd(x.original_cost_usd),
      routed: unpriced ? 'unpriced' : usd(x.routed_cost_usd),
      saved: unpriced ? 'unpriced' : usd(x.saved_usd),
      share: unpriced ? '–' : pct(x.saved_share),
      tiers: tierText(x.tiers),
    };
  };
  // The by-agent table is `rows`, as every command's tabular data is (PRODUCT.md).
  const { by_agent: rows, ...totals } = result;
  const json = { policy: source, ...totals, rows };
  const r = result.realised;
  const realisedLine =
    r.requests > 0
      ? `\nrealised: ${count(r.requests)} request(s) served by another model than asked (routing in enforce mode or a budget downgrade) cost ${usd(r.cost_usd)} instead of ${usd(r.original_cost_usd)}, saved ${usd(r.saved_usd)} (${pct(r.saved_share)})`
      : '';
  if (ctx.globals.format === 'csv') {
    // One line per agent with the JSON's raw values (USD numbers a spreadsheet can sum), as every
    // command with rows prints CSV, not the table's rounded display text ("$0.00" for $0.004).
    // Every agent has a column for each tier of the period, in the policy's order (0: none there).
    const tiers = result.by_tier.map((t) => t.tier);
    ctx.io.stdout.write(renderRowsCsv(result.by_agent.map((a) => ({ ...a, tiers: Object.fromEntries(tiers.map((t) => [t, a.tiers[t] ?? 0])) }))));
    return;
  }
  emit(ctx, {
    title: `Routing simulation ${result.since.slice(0, 10)} → ${result.until.slice(0, 10)} under ${source} (mode ${result.mode}): ${countNoun(result.requests, 'request')}, ${usd(result.original_cost_usd)} → ${usd(result.routed_cost_usd)}, saved ${usd(result.saved_usd)} (${pct(result.saved_share)})\nper tier: ${result.by_tier.map((t) => `${t.tier} ${pct(t.share)}`).join(' · ') || '–'}${realisedLine}`,
    json,
    table: {
      columns: [
        { key: 'agent', header: 'AGENT' },
        { key: 'requests', header: 'REQUESTS', align: 'right' },
        { key: 'original', header: 'ORIGINAL', align: 'right' },
        { key: 'routed', header: 'ROUTED', align: 'right' },
        { key: 'saved', header: 'SAVED', align: 'right' },
        { key: 'share', header: 'SAVED %', align: 'right' },
        { key: 'tiers', header: 'TIERS' },
      ],
      rows: result.by_agent.map((a) => ({ agent: a.agent, ...moneyCells(a) })),
      footer: { agent: 'total', ...moneyCells(result) },
    },
  });
}
