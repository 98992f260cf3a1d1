/**
 * Builds the demo ledger from `fixtures/demo/` and prints the views that exist:
 * totals, spend by provider, team, feature, model and customer. It grows as the
 * other commands land.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { renderText, type Table } from '../output/table.js';
import { LLMFIN_VERSION } from '../version.js';
import { runImport, type ImportSummary } from '../../importers/run-import.js';
import { llmfinImporter } from '../../importers/llmfin/llmfin-importer.js';
import { openLedger } from '../../ledger/index.js';
import { UsageError } from '../../shared/errors.js';
import { holdsNotDemoData, notDemoData, notDemoText } from './not-demo-data.js';
import { ledgerTotals } from '../../ledger/queries/spend-summary.js';
import { buildReport, type ReportRow } from '../../reports/build-report.js';
import type { DimensionName } from '../../ledger/ledger-schema.js';
import { dec, decToNumber, formatUsd } from '../../shared/money.js';
import { Attributor } from '../../attribution/attributor.js';
import { buildForecast } from '../../forecast/build-forecast.js';
import { NO_WHAT_IF } from '../../forecast/what-if.js';
import { findAnomalies } from '../../anomalies/find-anomalies.js';
import { findInsights, loadUsageCells } from '../../insights/build-insights.js';
import { defaultConfig } from '../../config/default-config.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import { byRisk } from '../../budgets/budget-status.js';
import { budgetStatusesAndUnpriced } from '../../forecast/budget-trajectory.js';
import { budgetJson } from './budget-json.js';
import { budgetTable } from './budget-table.js';
import { expandHome } from '../../config/expand-home.js';

const VIEWS: Array<{ key: string; title: string; by: DimensionName; top: number }> = [
  { key: 'by_provider', title: 'Spend by provider', by: 'provider', top: 10 },
  { key: 'by_team', title: 'Spend by team', by: 'team', top: 10 },
  { key: 'by_feature', title: 'Spend by feature', by: 'feature', top: 10 },
  { key: 'by_model', title: 'Spend by model', by: 'model', top: 10 },
  { key: 'by_customer', title: 'Spend by customer', by: 'customer', top: 10 },
];

/**
 * The sample company's monthly budgets, as its llmfin.yaml would set them, judged a week
 * before October ends (`llmfin budget status --at 2026-10-24`): the demo shows budgets
 * on their way, not a month already over.
 */
const DEMO_BUDGETS: BudgetConfig[] = [
  budget('org-monthly', {}, 7500),
  budget('support-monthly', { team: 'support' }, 3000),
  budget('platform-monthly', { team: 'platform' }, 2500),
  budget('research-agent-monthly', { feature: 'research-agent' }, 500),
  budget('search-monthly', { team: 'search' }, 1000),
];
const DEMO_BUDGETS_AT = '2026-10-24T00:00:00.000Z';

function budget(name: string, scope: Record<string, string>, limit: number): BudgetConfig {
  return { name, scope, period: 'monthly', limit_usd: limit, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' };
}

/**
 * The llmfin.yaml the demo leaves beside a ledger in its own temporary folder: the ledger and
 * the sample budgets, so that `budget status` and `top` with `--config` show what the demo
 * showed. (A ledger the user named with --db is in a folder of theirs, where the demo writes
 * nothing but the ledger.) Written from DEMO_BUDGETS, so the two cannot drift apart.
 */
export function demoConfigText(): string {
  const lines = DEMO_BUDGETS.map((b) => {
    const scope = Object.entries(b.scope ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
    return `  - { name: ${b.name}, ${scope === '' ? '' : `scope: { ${scope} }, `}limit_usd: ${b.limit_usd} }`;
  });
  return [
    "# Written by `llmfin demo`: the sample company's ledger and its monthly budgets.",
    'ledger:',
    '  path: ledger.db',
    'budgets:',
    ...lines,
    '',
  ].join('\n');
}

export function demoFixturesDir(): string {
  return fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));
}

export async function runDemo(ctx: CliContext): Promise<void> {
  const named = ctx.globals.db ?? ctx.io.env.LLMFIN_DB;
  const path = named ? resolve(ctx.io.cwd, expandHome(named, ctx.io.env)) : join(mkdtempSync(join(tmpdir(), 'llmfin-demo-')), 'ledger.db');
  const configPath = named ? undefined : join(dirname(path), 'llmfin.yaml');
  if (configPath !== undefined) writeFileSync(configPath, demoConfigText());
  const pricer = await ctx.pricer();
  const ledger = await openLedger(path, { create: true, llmfinVersion: LLMFIN_VERSION });
  try {
    const own = await notDemoData(ledger, false);
    if (holdsNotDemoData(own)) {
      throw new UsageError(`${named === ctx.globals.db ? '--db' : 'LLMFIN_DB'}: ${path} already holds ${notDemoText(own)} not from the demo's sample data; the demo would mix its sample company's spend into them`, {
        option: '--db',
        hint: 'give the demo a new file with --db demo.db, or no --db (and no LLMFIN_DB) for a temporary ledger',
      });
    }
    const dir = demoFixturesDir();
    const imports: ImportSummary[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
      if (ctx.io.stderr.isTTY) ctx.info(ctx.chalk.dim(`importing ${name}…`));
      imports.push(
        await runImport(
          ledger,
          join(dir, name),
          join(dir, name),
          { pricer, catalogueVersion: pricer.catalogue.manifest.version, now: new Date() },
          { llmfinVersion: LLMFIN_VERSION, importers: [llmfinImporter], source: 'llmfin' },
        ),
      );
    }
    const totals = await ledgerTotals(ledger);
    const attributor = new Attributor([]);
    // The views are `llmfin report --by DIM`: the same engine, so the demo shows what report would.
    const views: Record<string, ReportRow[]> = {};
    for (const v of VIEWS) views[v.key] = (await buildReport(ledger, attributor, { by: [v.by], basis: 'default' })).rows.slice(0, v.top);

    // Forecast and insights as of the day after the sample ends, so the demo reads the same any day.
    const asOf = new Date(Date.parse(`${(totals.last_ts ?? new Date().toISOString()).slice(0, 10)}T00:00:00Z`) + 86_400_000);
    const forecast = await buildForecast(ledger, attributor, pricer, { by: ['feature'], basis: 'default', horizon: 30, whatIf: NO_WHAT_IF, backtest: false, now: asOf });
    const monthAgo = new Date(asOf.getTime() - 30 * 86_400_000).toISOString();
    const cells = await loadUsageCells(ledger, attributor, { since: monthAgo, until: asOf.toISOString() });
    const found = await findAnomalies(ledger, attributor, { by: ['feature'], since: new Date(asOf.getTime() - 92 * 86_400_000).toISOString(), until: asOf.toISOString(), basis: 'default', settings: defaultConfig().anomalies });
    const insights = findInsights({ cells, days: 30, anomalies: found.anomalies.filter((a) => a.until >= monthAgo.slice(0, 10)), budgets: [], pricer, at: asOf }).insights.slice(0, 6);
    const { rows: budgetRows, unpricedRows: budgetUnpriced } = await budgetStatusesAndUnpriced(ledger, attributor, pricer, DEMO_BUDGETS, new Date(DEMO_BUDGETS_AT));
    const budgets = budgetRows.sort(byRisk);
    // method and selected_method as `forecast --format json` names them, so a script reads one shape.
    const forecastRows = forecast.groups.slice(0, 5).map((g) => ({ feature: g.dims.feature ?? '', method: g.basis, selected_method: g.selected_method, last_28d_cost_usd: g.last_28d_usd, p10_cost_usd: g.p10_usd, p50_cost_usd: g.p50_usd, p90_cost_usd: g.p90_usd }));
    const json = {
      ledger: path,
      // The llmfin.yaml with the sample budgets, written beside a ledger in the demo's own
      // temporary folder; null for a ledger named with --db or LLMFIN_DB.
      config: configPath ?? null,
      imported: imports.map((i) => ({ file: i.file, status: i.status, rows_read: i.rowsRead, rows_imported: i.rowsImported, unpriced_rows: i.unpricedRows })),
      // A window as report's: its first row's time and the end (exclusive) of its last row's day.
      since: totals.first_ts,
      until: totals.last_ts === null ? null : asOf.toISOString(),
      total: { cost_usd: decToNumber(dec(totals.cost_usd)), requests: totals.requests, rows: totals.rows, unpriced_rows: totals.unpriced_rows },
      ...Object.fromEntries(VIEWS.map((v) => [v.key, views[v.key]!.map((r) => viewJson(r, v.by, totals.cost_usd))])),
      forecast: { since: forecast.start, horizon_days: 30, rows: forecastRows, total: { p10_cost_usd: forecast.total.p10_usd, p50_cost_usd: forecast.total.p50_usd, p90_cost_usd: forecast.total.p90_usd } },
      budgets: { at: DEMO_BUDGETS_AT, rows: budgets.map((b) => budgetJson(b, budgetUnpriced.get(b.name) ?? 0)) },
      insights: insights,
    };
    if (ctx.globals.format === 'json') {
      emit(ctx, { json, table: '' });
      return;
    }
    const { chalk } = ctx;
    const out: string[] = [];
    const rowsImported = imports.reduce((n, i) => n + i.rowsImported, 0);
    out.push(chalk.bold('llmfin demo') + chalk.dim(` — a sample company's LLM spend, priced from catalogue ${pricer.catalogue.manifest.version}`));
    out.push(`  ledger   ${path}`);
    out.push(
      `  imported ${rowsImported.toLocaleString('en-US')} rows (${totals.rows.toLocaleString('en-US')} in ledger) · ${totals.requests.toLocaleString('en-US')} requests · ${(totals.first_ts ?? '').slice(0, 10)} → ${(totals.last_ts ?? '').slice(0, 10)}`,
    );
    out.push(`  total    ${chalk.bold(formatUsd(dec(totals.cost_usd)))}${totals.unpriced_rows > 0 ? chalk.yellow(`  (${totals.unpriced_rows} unpriced rows not included)`) : ''}`);
    for (const v of VIEWS) {
      out.push('', chalk.bold(v.title));
      out.push(renderText(viewTable(views[v.key]!, v.by, totals.cost_usd), chalk).trimEnd());
    }
    out.push('', chalk.bold(`Forecast, next 30 days from ${forecast.start} (at current prices, P10 · P50 · P90)`));
    out.push(
      renderText(
        {
          columns: [
            { key: 'feature', header: 'FEATURE' },
            { key: 'last', header: 'LAST 28D', align: 'right' },
            { key: 'p10', header: 'P10', align: 'right' },
            { key: 'p50', header: 'P50', align: 'right' },
            { key: 'p90', header: 'P90', align: 'right' },
          ],
          rows: forecastRows.map((r) => ({ feature: r.feature, last: formatUsd(r.last_28d_cost_usd), p10: formatUsd(r.p10_cost_usd), p50: formatUsd(r.p50_cost_usd), p90: formatUsd(r.p90_cost_usd) })),
          footer: { feature: 'total (all features)', last: formatUsd(forecast.total.last_28d_usd), p10: formatUsd(forecast.total.p10_usd), p50: formatUsd(forecast.total.p50_usd), p90: formatUsd(forecast.total.p90_usd) },
        },
        chalk,
      ).trimEnd(),
    );
    out.push('', chalk.bold(`Budgets on ${DEMO_BUDGETS_AT.slice(0, 10)}, a week before October ends (llmfin budget status --at ${DEMO_BUDGETS_AT.slice(0, 10)})`));
    out.push(renderText(budgetTable(budgets, 'table', chalk), chalk).trimEnd());
    out.push('', chalk.bold('Insights (top 6)'));
    out.push(
      renderText(
        {
          columns: [
            { key: 'priority', header: 'PRIORITY' },
            { key: 'title', header: 'WHAT' },
            { key: 'impact', header: '$/MONTH', align: 'right' },
            { key: 'effort', header: 'EFFORT' },
          ],
          rows: insights.map((i) => ({ priority: i.priority, title: i.title, impact: formatUsd(i.impact_usd_per_month), effort: i.effort })),
        },
        chalk,
      ).trimEnd(),
    );
    out.push(
      '',
      chalk.bold('Next'),
      `  llmfin forecast --db ${path} --by team --backtest --chart`,
      `  llmfin anomalies --db ${path} --since 2026-08-01`,
      `  llmfin insights --db ${path}`,
      ...(configPath === undefined ? [] : [`  llmfin budget status --config ${configPath} --at ${DEMO_BUDGETS_AT.slice(0, 10)}`]),
      `  llmfin pricing cost --model claude-sonnet-4-5 --input 150000 --cache-read 60000 --output 1000`,
      `  llmfin pricing list --provider anthropic`,
      `  llmfin demo --db ./demo.db --format json     keep the ledger and read it as JSON`,
    );
    ctx.io.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await ledger.close();
  }
}

function share(cost: string, total: string): number {
  const t = dec(total);
  // Six places, as report's share.
  return t.isZero() ? 0 : decToNumber(dec(cost).div(t).toDecimalPlaces(6));
}

function viewJson(r: ReportRow, by: DimensionName, total: string) {
  return {
    [by]: r[by] ?? null,
    cost_usd: decToNumber(dec(r.cost_usd_exact)),
    share: share(r.cost_usd_exact, total),
    requests: r.requests,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cache_read_tokens: r.cache_read_tokens,
    cache_write_tokens: r.cache_write_tokens,
    reasoning_tokens: r.reasoning_tokens,
  };
}

function viewTable(rows: ReportRow[], by: DimensionName, total: string): Table {
  const max = rows.reduce((m, r) => Math.max(m, share(r.cost_usd_exact, total)), 0) || 1;
  return {
    columns: [
      { key: 'name', header: by.toUpperCase() },
      { key: 'cost', header: 'COST', align: 'right' },
      { key: 'share', header: 'SHARE', align: 'right' },
      { key: 'bar', header: '' },
      { key: 'requests', header: 'REQUESTS', align: 'right' },
      { key: 'per_request', header: '$/REQUEST', align: 'right' },
      { key: 'cache', header: 'CACHE HIT', align: 'right' },
    ],
    rows: rows.map((r) => {
      const s = share(r.cost_usd_exact, total);
      return {
        name: r[by] ?? '',
        cost: formatUsd(dec(r.cost_usd_exact)),
        share: `${(s * 100).toFixed(1)}%`,
        bar: '█'.repeat(Math.max(1, Math.round((s / max) * 20))),
        requests: r.requests.toLocaleString('en-US'),
        per_request: r.requests > 0 ? formatUsd(dec(r.cost_usd_exact).div(r.requests), { unit: true }) : '–',
        cache: r.input_tokens > 0 ? `${((r.cache_read_tokens / r.input_tokens) * 100).toFixed(0)}%` : '–',
      };
    }),
  };
}
