/** `report --metrics units`: unit economics as sections of small tables (or one JSON document). */
import type { CliContext } from '../cli-context.js';
import { renderCsv, renderMarkdown, renderText, type Table } from '../output/table.js';
import type { Attributor } from '../../attribution/attributor.js';
import type { Basis } from '../../reports/build-report.js';
import type { Percentiles } from '../../reports/percentiles.js';
import { unitEconomics } from '../../reports/unit-economics.js';
import { dec, formatUsd, ticksToUsd } from '../../shared/money.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';

export async function unitsCommand(
  ctx: CliContext,
  o: { period: { since?: string; until?: string }; where: Record<string, string>; top: number; basis: Basis; attributor: Attributor },
): Promise<void> {
  const { catalogue } = await ctx.pricer();
  const at = new Date(o.period.until ?? Date.now());
  const classOf = (provider: string, model: string) => {
    const r = resolveModel(catalogue, { provider, model, at });
    return isResolved(r) ? r.model.class : undefined;
  };
  const ledger = await ctx.openLedger({ create: false });
  let u;
  try {
    u = await unitEconomics(ledger, o.attributor, classOf, { period: o.period, basis: o.basis, top: o.top, where: o.where });
  } finally {
    await ledger.close();
  }
  const usd = (t: bigint) => ticksToUsd(t).toNumber();
  if (ctx.globals.format === 'json') {
    const json = {
      since: u.since,
      until: u.until,
      tokens_per_request: u.tokens_per_request,
      cost_per_customer_feature: u.cost_per_customer_feature.map((r) => ({ customer: r.customer, feature: r.feature, cost_usd: r.cost_usd, requests: r.requests, cost_per_request_usd: r.cost_per_request_usd })),
      agent_loop_length: u.agent_loop_length,
      model_tier_mix: { rows: u.model_tier_mix.map((t) => ({ tier: t.tier, cost_usd: usd(t.cost_ticks), share: t.share })) },
      top_traces: u.top_traces.map((t) => ({ trace: t.trace, agent: t.agent, steps: t.steps, cost_usd: usd(t.cost_ticks), first_ts: t.first_ts, last_ts: t.last_ts })),
    };
    ctx.io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const n = (v: number | null) => (v === null ? '–' : v.toLocaleString('en-US'));
  const pctl = (key: string, label: string, rows: ReadonlyArray<Percentiles & { name: string }>, total: Percentiles): Table => ({
    columns: [
      { key, header: label },
      { key: 'count', header: 'COUNT', align: 'right' },
      { key: 'p50', header: 'P50', align: 'right' },
      { key: 'p95', header: 'P95', align: 'right' },
      { key: 'p99', header: 'P99', align: 'right' },
    ],
    rows: rows.map((r) => ({ [key]: r.name, count: n(r.count), p50: n(r.p50), p95: n(r.p95), p99: n(r.p99) })),
    footer: { [key]: 'all', count: n(total.count), p50: n(total.p50), p95: n(total.p95), p99: n(total.p99) },
  });
  const sections: Array<[string, Table]> = [
    ['Tokens per request (input + output)', pctl('feature', 'FEATURE', u.tokens_per_request.by_feature.map((r) => ({ ...r, name: r.feature })), u.tokens_per_request)],
    [
      'Cost per customer per feature',
      {
        columns: [
          { key: 'customer', header: 'CUSTOMER' },
          { key: 'feature', header: 'FEATURE' },
          { key: 'cost', header: 'COST', align: 'right' },
          { key: 'requests', header: 'REQUESTS', align: 'right' },
          { key: 'per', header: '$/REQUEST', align: 'right' },
        ],
        rows: u.cost_per_customer_feature.map((r) => ({ customer: r.customer, feature: r.feature, cost: formatUsd(dec(r.cost_usd_exact)), requests: n(r.requests), per: r.cost_per_request_usd === null ? '–' : formatUsd(r.cost_per_request_usd, { unit: true }) })),
      },
    ],
    ['Agent loop length (steps per trace)', pctl('agent', 'AGENT', u.agent_loop_length.by_agent.map((r) => ({ ...r, name: r.agent })), u.agent_loop_length)],
    [
      'Model tier mix',
      {
        columns: [
          { key: 'tier', header: 'TIER' },
          { key: 'cost', header: 'COST', align: 'right' },
          { key: 'share', header: 'SHARE', align: 'right' },
        ],
        rows: u.model_tier_mix.map((t) => ({ tier: t.tier, cost: formatUsd(ticksToUsd(t.cost_ticks)), share: `${(t.share * 100).toFixed(1)}%` })),
      },
    ],
    [
      'Most expensive traces',
      {
        columns: [
          { key: 'trace', header: 'TRACE' },
          { key: 'agent', header: 'AGENT' },
          { key: 'steps', header: 'STEPS', align: 'right' },
          { key: 'cost', header: 'COST', align: 'right' },
          { key: 'first', header: 'STARTED' },
        ],
        rows: u.top_traces.map((t) => ({ trace: t.trace, agent: t.agent, steps: n(t.steps), cost: formatUsd(ticksToUsd(t.cost_ticks)), first: t.first_ts.slice(0, 19).replace('T', ' ') })),
      },
    ],
  ];
  for (const [title, table] of sections) {
    if (ctx.globals.format === 'csv') ctx.io.stdout.write(`# ${title}\n${renderCsv(table)}\n`);
    else if (ctx.globals.format === 'markdown') ctx.io.stdout.write(`### ${title}\n\n${renderMarkdown(table)}\n`);
    else ctx.io.stdout.write(`${ctx.chalk.bold(title)}\n${table.rows.length === 0 ? '  (none in this period)\n' : renderText(table, ctx.chalk)}\n`);
  }
}
