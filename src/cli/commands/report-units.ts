/** `report --metrics units`: unit economics as sections of small tables (or one JSON document). */
import type { CliContext } from '../cli-context.js';
import { renderCsv, renderMarkdown, renderText, type Table } from '../output/table.js';
import type { Attributor } from '../../attribution/attributor.js';
import type { Basis } from '../../reports/build-report.js';
import type { Percentiles } from '../../reports/percentiles.js';
import { unitEconomics } from '../../reports/unit-economics.js';
import { dec, formatUsd, ticksToUsd, usdToTicks, type Dec } from '../../shared/money.js';
import { unpricedRowsWarning } from '../../shared/count-noun.js';
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
      cost_per_customer_feature: u.cost_per_customer_feature.map((r) => ({ customer: r.customer, feature: r.feature, cost_usd: r.cost_usd, requests: r.requests, cost_per_request_usd: r.cost_per_request_usd, unpriced_rows: r.unpriced_rows })),
      agent_loop_length: u.agent_loop_length,
      model_tier_mix: { rows: u.model_tier_mix.map((t) => ({ tier: t.tier, cost_usd: usd(t.cost_ticks), share: t.share, unpriced_rows: t.unpriced_rows })) },
      top_traces: u.top_traces.map((t) => ({ trace: t.trace, agent: t.agent, steps: t.steps, cost_usd: usd(t.cost_ticks), unpriced_rows: t.unpriced_rows, first_ts: t.first_ts, last_ts: t.last_ts })),
      unpriced_rows: u.unpriced_rows,
    };
    ctx.io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  // CSV takes raw values under the JSON's names (8400, 2042.4, 0.41), as every other CSV
  // does, so a spreadsheet can sum them; the other formats show them as the tables do.
  const csv = ctx.globals.format === 'csv';
  const n = (v: number | null) => (v === null ? (csv ? '' : '–') : csv ? String(v) : v.toLocaleString('en-US'));
  const money = (v: Dec, unit = false) => (csv ? v.toFixed() : formatUsd(v, unit ? { unit: true } : undefined));
  // A tier or trace whose every row has no price is not free (as the grouped report's COST column says).
  const cost = (ticks: bigint, unpriced: number) => (!csv && unpriced > 0 && ticks === 0n ? 'unpriced' : money(ticksToUsd(ticks)));
  const share = (v: number) => (csv ? String(v) : `${(v * 100).toFixed(1)}%`);
  const header = (key: string, label: string) => (csv ? key : label);
  // CSV's cost is a number (0 for a group of unpriced rows): the count beside it says
  // the cost is not known, as unpriced_rows does in JSON; the tables say `unpriced`.
  const unpricedColumn = csv ? [{ key: 'unpriced_rows', header: 'unpriced_rows', align: 'right' as const }] : [];
  const pctl = (key: string, label: string, rows: ReadonlyArray<Percentiles & { name: string }>, total: Percentiles): Table => ({
    columns: [
      { key, header: header(key, label) },
      { key: 'count', header: header('count', 'COUNT'), align: 'right' },
      { key: 'p50', header: header('p50', 'P50'), align: 'right' },
      { key: 'p95', header: header('p95', 'P95'), align: 'right' },
      { key: 'p99', header: header('p99', 'P99'), align: 'right' },
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
          { key: 'customer', header: header('customer', 'CUSTOMER') },
          { key: 'feature', header: header('feature', 'FEATURE') },
          { key: 'cost', header: header('cost_usd', 'COST'), align: 'right' },
          { key: 'requests', header: header('requests', 'REQUESTS'), align: 'right' },
          { key: 'per', header: header('cost_per_request_usd', '$/REQUEST'), align: 'right' },
          ...unpricedColumn,
        ],
        rows: u.cost_per_customer_feature.map((r) => ({
          customer: r.customer,
          feature: r.feature,
          cost: cost(usdToTicks(dec(r.cost_usd_exact)), r.unpriced_rows),
          requests: n(r.requests),
          per: r.cost_per_request_usd === null ? (csv ? '' : '–') : money(dec(r.cost_per_request_usd), true),
          unpriced_rows: r.unpriced_rows,
        })),
      },
    ],
    ['Agent loop length (steps per trace)', pctl('agent', 'AGENT', u.agent_loop_length.by_agent.map((r) => ({ ...r, name: r.agent })), u.agent_loop_length)],
    [
      'Model tier mix',
      {
        columns: [
          { key: 'tier', header: header('tier', 'TIER') },
          { key: 'cost', header: header('cost_usd', 'COST'), align: 'right' },
          { key: 'share', header: header('share', 'SHARE'), align: 'right' },
          ...unpricedColumn,
        ],
        rows: u.model_tier_mix.map((t) => ({ tier: t.tier, cost: cost(t.cost_ticks, t.unpriced_rows), share: share(t.share), unpriced_rows: t.unpriced_rows })),
      },
    ],
    [
      'Most expensive traces',
      {
        columns: [
          { key: 'trace', header: header('trace', 'TRACE') },
          { key: 'agent', header: header('agent', 'AGENT') },
          { key: 'steps', header: header('steps', 'STEPS'), align: 'right' },
          { key: 'cost', header: header('cost_usd', 'COST'), align: 'right' },
          { key: 'first', header: header('first_ts', 'STARTED') },
          ...unpricedColumn,
        ],
        rows: u.top_traces.map((t) => ({ trace: t.trace, agent: t.agent, steps: n(t.steps), cost: cost(t.cost_ticks, t.unpriced_rows), first: csv ? t.first_ts : t.first_ts.slice(0, 19).replace('T', ' '), unpriced_rows: t.unpriced_rows })),
      },
    ],
  ];
  for (const [title, table] of sections) {
    if (ctx.globals.format === 'csv') ctx.io.stdout.write(`# ${title}\n${renderCsv(table)}\n`);
    // An empty section says so, as the text does, rather than a table of a footer alone.
    else if (ctx.globals.format === 'markdown') ctx.io.stdout.write(`### ${title}\n\n${table.rows.length === 0 ? '_(none in this period)_\n' : renderMarkdown(table)}\n`);
    else ctx.io.stdout.write(`${ctx.chalk.bold(title)}\n${table.rows.length === 0 ? '  (none in this period)\n' : renderText(table, ctx.chalk)}\n`);
  }
  if (u.unpriced_rows > 0) {
    const one = u.unpriced_rows === 1;
    ctx.warn(
      unpricedRowsWarning(u.unpriced_rows, `${one ? 'its tokens and steps are counted, its cost is' : 'their tokens and steps are counted, their cost is'} not`),
    );
  }
}
