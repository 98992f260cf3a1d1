/** `llmfin forecast`: parses the options, forecasts (forecast/) and prints it. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import type { Column } from '../output/table.js';
import { parsePeriod, parseBy, parseWhere, parseBasis } from '../report-period.js';
import type { ForecastOptions } from './forecast.js';
import { parseHorizon, parseMultiplier, parsePercent, parseWhole, swapReadings } from './forecast-options.js';
import { resolveSwaps } from './resolve-swaps.js';
import { renderForecastChart } from './forecast-chart.js';
import { Attributor } from '../../attribution/attributor.js';
import type { BudgetStatus } from '../../budgets/budget-status.js';
import { buildForecast, keptNotes, type ForecastResult, type GroupForecast } from '../../forecast/build-forecast.js';
import { priceChangeLines, rateChangeText } from './price-change-lines.js';
import { budgetStatusesAndUnpriced, type BudgetTrajectory } from '../../forecast/budget-trajectory.js';
import type { BudgetWhatIf } from '../../forecast/budget-what-if.js';
import { estimateNewFeature } from '../../forecast/new-feature.js';
import type { WhatIf } from '../../forecast/what-if.js';
import type { SelectableMethod } from '../../forecast/select-method.js';
import { checkDimensions, isTimeDimension, knownDimensions } from '../../reports/report-dimensions.js';
import { UsageError } from '../../shared/errors.js';
import { assertChartWithTable } from '../chart-option.js';
import { STALE_AFTER_MS, staleLedgerHint } from '../../budgets/stale-ledger-hint.js';
import { ledgerRecord } from '../../budgets/ledger-record.js';
import { Dec, decToNumber, formatUsd } from '../../shared/money.js';
import { countNoun } from '../../shared/count-noun.js';
import { unknownModelHint } from '../../pricing/suggest-models.js';
import { MIX_DAYS } from '../../forecast/spend-history.js';
import { assertKnownProvider } from './pricing-provider-option.js';
import { explainEmptyWhere } from './empty-where.js';
import { budgetJson } from './budget-json.js';
import { emptyWindowNote } from './empty-window-note.js';
import { refuseRowFieldDimensions } from '../row-field-dimensions.js';

export async function forecastCommand(ctx: CliContext, opts: ForecastOptions): Promise<void> {
  const horizon = parseHorizon(opts.horizon);
  const now = new Date();
  if (opts.newFeature) return newFeatureCommand(ctx, opts, horizon, now);
  // A forecast from history reads none of the new feature's options: one given would be ignored without a word.
  for (const o of ['requestsPerDay', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'provider', 'headroom'] as const) {
    if (opts[o] !== undefined && (o !== 'headroom' || given(opts, o))) {
      const option = `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`${option}: only with --new-feature`, { option, hint: 'add --new-feature for a pre-launch estimate, or drop it' });
    }
  }
  assertChartWithTable(opts.chart, ctx.globals.format);
  const { config } = await ctx.config();
  const attributor = new Attributor(config.attribution.rules);
  const known = knownDimensions(attributor, config.attribution.dimensions);
  const by = parseBy(opts.by);
  checkDimensions(by, known, '--by');
  if (by.some(isTimeDimension)) throw new UsageError('--by: expected a grouping dimension, not a time bucket (the forecast is always per day)', { option: '--by' });
  refuseRowFieldDimensions(by, FORECAST_ROW_FIELDS, 'forecast');
  const where = parseWhere(opts.where);
  checkDimensions(Object.keys(where), known, '--where');
  for (const d of Object.keys(where)) {
    if (isTimeDimension(d)) throw new UsageError(`--where: expected a dimension, not a time bucket (${d}): the forecast reads the history between --since and --until`, { option: '--where' });
  }
  const basis = parseBasis(opts.basis);
  const top = parseWhole('--top', opts.top, true);
  const asked = parsePeriod({ ...(opts.since !== undefined ? { since: opts.since } : {}), ...(opts.until !== undefined ? { until: opts.until } : {}) }, now);
  // Today (UTC) is not over: its spend so far would read as a drop and pull every method
  // down. With no --until, the history ends where today begins.
  const today = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000).toISOString();
  const period = asked.until === undefined && (asked.since === undefined || asked.since < today) ? { ...asked, until: today } : asked;
  const traffic = opts.traffic !== undefined ? parseMultiplier('--traffic', opts.traffic) : 1;
  const promptGrowth = opts.promptGrowth !== undefined ? parsePercent('--prompt-growth', opts.promptGrowth) : 0;
  const readings = opts.model.map(swapReadings);
  // Every reading of a value names the same dimension (the colons are after its `=`).
  for (const dimension of new Set(readings.map((r) => r[0]!.dimension))) {
    if (dimension === undefined) continue;
    // A name that is not a dimension (or a time bucket) cannot be added to --by: say so, not "add it".
    checkDimensions([dimension], known.filter((d) => !isTimeDimension(d)), '--model');
    if (!by.includes(dimension)) {
      throw new UsageError(`--model: the what-if names "${dimension}", which is not in --by (${by.join(',')})`, { option: '--model', hint: `add it: --by ${[...by, dimension].join(',')}` });
    }
  }
  const pricer = await ctx.pricer();
  const ledger = await ctx.openLedger({ create: false });
  let whatIf: WhatIf;
  let result: ForecastResult;
  let budgets: BudgetStatus[];
  let budgetWhatIfs: Map<string, BudgetWhatIf>;
  let budgetUnpriced: Map<string, number>;
  let pricesKept: Map<string, BudgetTrajectory['prices_kept']>;
  let stale: string | undefined;
  try {
    whatIf = { traffic, promptGrowth, swaps: await resolveSwaps(ledger, attributor, pricer, opts.model, readings, { where, basis, ...period, now }) };
    // Two models for one group: only the first would apply, and the other be refused as matching nothing.
    const swapTargets = new Map<string, string>();
    for (const s of whatIf.swaps) {
      const target = s.dimension !== undefined ? `${s.dimension}=${s.value}` : 'every group';
      const earlier = swapTargets.get(target);
      if (earlier !== undefined) throw new UsageError(`--model: ${target} is given two models (${earlier}, ${s.model}): give it one`, { option: '--model' });
      swapTargets.set(target, s.model);
    }
    result = await buildForecast(ledger, attributor, pricer, { by, where, ...period, basis, horizon, whatIf, backtest: opts.backtest ?? false, now });
    // Where the ledger's usage stops, read once for the budgets' trajectories and their hint.
    const record = config.budgets.length > 0 ? await ledgerRecord(ledger) : undefined;
    // A history cut by a past --until is judged there, budgets too: the forecast runs from
    // it, and periods of today under a forecast of last month would answer another question.
    const budgetsAt = asked.until !== undefined && Date.parse(asked.until) < now.getTime() ? new Date(asked.until) : now;
    ({ rows: budgets, whatIf: budgetWhatIfs, unpricedRows: budgetUnpriced, pricesKept } = await budgetStatusesAndUnpriced(ledger, attributor, pricer, config.budgets, budgetsAt, whatIf, record));
    if (record !== undefined) stale = staleLedgerHint(record, budgetsAt);
    // An empty window on a ledger that has usage elsewhere: say where it is, not only "no spend".
    // With one layer alone (--basis) that holds none of it, that the other layers do.
    if (result.days.length === 0) {
      const empty = await emptyWindowNote(ledger, attributor, { basis, where, ...period });
      let said: (note: string) => string;
      if (empty.onOtherLayers) {
        said = () => empty.text;
      } else {
        // A value no spend has is the cause on its own: where the usage is would blame the window.
        const misspelt = await explainEmptyWhere(ctx, ledger, attributor, where, basis);
        said = (note) => (misspelt ? note : `${note}${empty.usageIs}`);
      }
      result = { ...result, notes: result.notes.map((n) => (n.startsWith('no spend in this period') ? said(n) : n)) };
    }
  } finally {
    await ledger.close();
  }
  // A what-if that changes nothing is a mistake to report, not a forecast to print unchanged.
  for (const { swap, reason } of result.idle_swaps) {
    const spec = swap.dimension !== undefined ? `${swap.dimension}=${swap.value}:${swap.model}` : swap.model;
    if (reason === 'no_group') {
      throw new UsageError(`--model: "${spec}" names ${swap.dimension} "${swap.value}", which has no spend in the history being forecast`, {
        option: '--model',
        hint: `see the values with \`llmfin report --by ${swap.dimension}\``,
      });
    }
    if (reason === 'shadowed') {
      throw new UsageError(`--model: "${spec}" changes nothing: every group it names is switched by another --model`, {
        option: '--model',
        hint: 'give each group one model: name the groups apart, or drop one of the switches',
      });
    }
    if (reason === 'no_tokens') {
      throw new UsageError(`--model: "${spec}" changes nothing: ${swap.dimension !== undefined ? `${swap.dimension} "${swap.value}" has` : 'the groups have'} no token counts in the last ${MIX_DAYS} days of history (billed rows carry money only), so there is nothing to re-price on ${swap.model}`, {
        option: '--model',
        hint: 'import usage with tokens (a usage export, the proxy, logs) to model a switch',
      });
    }
    throw new UsageError(`--model: unpriced model "${swap.model}"${swap.dimension !== undefined ? ` in "${spec}"` : ''}: the catalogue has no current price for it`, {
      option: '--model',
      hint: unknownModelHint(pricer.catalogue, swap.model, undefined, 'see `llmfin pricing list`, or add it under pricing.custom_models in llmfin.yaml'),
    });
  }
  // A prompt growth with no tokens to grow is refused like a model switch; where only some
  // groups have none, the forecast says which keep their cost.
  const untouched = result.prompt_growth_untouched;
  if (untouched.length > 0) {
    const names = untouched.map((d) => Object.values(d).join(' · '));
    if (untouched.length === result.groups.length) {
      throw new UsageError(`--prompt-growth: changes nothing: no group has token counts in the last ${MIX_DAYS} days of history (billed rows carry money only)`, {
        option: '--prompt-growth',
        hint: 'import usage with tokens (a usage export, the proxy, logs) to model longer prompts',
      });
    }
    const list = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    result = { ...result, notes: [...result.notes, `what-if: --prompt-growth leaves ${countNoun(untouched.length, 'group')} as forecast (${list}): no token counts in their last ${MIX_DAYS} days, only billed money`] };
  }
  // A history that stops days before today, with no --until asking for it: the forecast
  // starts the day after it, in the past, which the title's dates alone do not make plain.
  const lastDay = result.days.at(-1);
  if (opts.until === undefined && lastDay !== undefined && result.start !== null && now.getTime() - Date.parse(`${result.start}T00:00:00Z`) > STALE_AFTER_MS) {
    const todayDay = today.slice(0, 10);
    const behind = Math.round((Date.parse(`${todayDay}T00:00:00Z`) - Date.parse(`${lastDay}T00:00:00Z`)) / 86_400_000) - 1;
    result = { ...result, notes: [...result.notes, `the history ends on ${lastDay}, ${behind} days before today (${todayDay}): the forecast runs from ${result.start}, not from today; import the days since (\`llmfin import\`) for a forecast from today`] };
  }
  // Budgets judged now on a ledger that stops days ago: said in the notes (JSON) and on stderr.
  if (stale !== undefined) result = { ...result, notes: [...result.notes, stale] };
  result = { ...result, notes: [...result.notes, ...budgetWhatIfNotes(budgets, budgetWhatIfs), ...[...pricesKept].flatMap(([name, kept]) => keptNotes(`budget ${name}`, { untouched: kept }))] };
  printForecast(ctx, result, { by, top, whatIf, backtest: opts.backtest ?? false, chart: opts.chart ?? false, budgets, budgetWhatIfs, budgetUnpriced });
}

/** What a what-if could not do to the budget trajectories, said rather than left silent. */
function budgetWhatIfNotes(budgets: readonly BudgetStatus[], whatIfs: ReadonlyMap<string, BudgetWhatIf>): string[] {
  const notes: string[] = [];
  const skipped = new Map<string, string[]>();
  const untouched: string[] = [];
  for (const b of budgets) {
    const w = whatIfs.get(b.name);
    if (!w) continue;
    for (const s of w.skippedSwaps) {
      const spec = `${s.dimension}=${s.value}:${s.model}`;
      skipped.set(spec, [...(skipped.get(spec) ?? []), `${b.name} (${b.scope})`]);
    }
    if (w.untouched) untouched.push(b.name);
  }
  for (const [spec, names] of skipped) {
    const dimension = spec.slice(0, spec.indexOf('='));
    notes.push(`what-if: --model ${spec} is not applied to the trajectory of ${names.join(', ')}: its scope does not pin ${dimension}, and its spend is not split by it`);
  }
  if (untouched.length > 0) notes.push(`what-if: the token changes leave ${countNoun(untouched.length, 'budget')} as forecast (${untouched.join(', ')}): no token counts in their last ${MIX_DAYS} days, only billed money`);
  return notes;
}

const usd = (x: number) => formatUsd(x);
/** The METHOD column's name for the method behind a combination-basis P50. */
const METHOD_NAMES: Record<SelectableMethod, string> = { combination: 'combination', theta: 'theta', 'damped-trend': 'damped trend', 'seasonal-naive': 'seasonal naive' };
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The fields a forecast row writes beside its dimensions: in JSON (groupJson), and in the table and CSV (cells). */
export const FORECAST_ROW_FIELDS = [
  'method', 'selected_method', 'history_days', 'last_28d_cost_usd', 'requests_per_day', 'tokens_per_request', 'cost_per_request_usd', 'what_if_factor', 'p10_cost_usd', 'p50_cost_usd', 'p90_cost_usd', 'daily', 'price_changes', 'backtest',
  'last', 'rpd', 'tpr', 'cpr', 'p10', 'p50', 'p90', 'mase', 'cover',
] as const;

function groupJson(g: GroupForecast, by: readonly string[], backtest: boolean) {
  return {
    ...Object.fromEntries(by.map((d) => [d, g.dims[d] ?? null])),
    method: g.basis,
    // The method behind P50 when `method` is "combination": the combination, or what the group's own backtest chose instead.
    selected_method: g.selected_method,
    history_days: g.history_days,
    last_28d_cost_usd: g.last_28d_usd,
    requests_per_day: g.requests_per_day,
    tokens_per_request: g.tokens_per_request,
    cost_per_request_usd: g.cost_per_request_usd,
    what_if_factor: g.what_if_factor,
    p10_cost_usd: g.p10_usd,
    p50_cost_usd: g.p50_usd,
    p90_cost_usd: g.p90_usd,
    daily: g.daily,
    // Every row has the key, [] when no scheduled price change touches the group: one shape for all rows.
    price_changes: g.price_changes,
    // With --backtest, every row has the key, null for a group too young to replay: one shape for all rows.
    ...(backtest ? { backtest: g.backtest ? backtestJson(g.backtest) : null } : {}),
  };
}

function backtestJson(b: NonNullable<GroupForecast['backtest']>) {
  return {
    origins: b.h7.origins,
    // The forecast as llmfin makes it: at each origin, the method chosen from the origins before it.
    mase_h7: round3(b.h7.mase.forecast),
    seasonal_naive_mase_h7: round3(b.h7.mase['seasonal-naive']),
    relative_mase_h7: round3(b.h7.relative_mase),
    coverage_h7: round3(b.h7.coverage),
    mase_h28: round3(b.h28.mase.forecast),
    relative_mase_h28: round3(b.h28.relative_mase),
    coverage_h28: round3(b.h28.coverage),
    // The combination alone, without the selection: what the selection gained or lost.
    combination_mase_h7: round3(b.h7.mase.combination),
    combination_mase_h28: round3(b.h28.mase.combination),
    // Origins whose history repeated exactly week on week: no MASE, scored in $ (forecast/backtest.ts).
    periodic_origins: b.h7.periodic.origins,
    periodic_mae_h7_usd: roundUsd(b.h7.periodic.mae),
    periodic_coverage_h7: round3(b.h7.periodic.coverage),
  };
}

/** A backtest's MASE cell: combination/seasonal naive, or why there is none. */
function maseCell(b: NonNullable<GroupForecast['backtest']>): string {
  if (b.h7.origins === 0) return 'n/a (periodic)';
  return `${b.h7.mase.forecast.toFixed(2)}/${b.h7.mase['seasonal-naive'].toFixed(2)}`;
}

/** The band's coverage at h ≤ 7: over the origins MASE scores, else over the periodic ones. */
const coverageH7 = (b: NonNullable<GroupForecast['backtest']>) => (b.h7.origins > 0 ? b.h7.coverage : b.h7.periodic.coverage);

const round3 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);
/** An average error in USD, to the micro-dollar: float noise of an exact forecast (1e-15) reads 0. */
const roundUsd = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null);

function printForecast(
  ctx: CliContext,
  r: ForecastResult,
  o: { by: string[]; top: number; whatIf: WhatIf; backtest: boolean; chart: boolean; budgets: BudgetStatus[]; budgetWhatIfs: ReadonlyMap<string, BudgetWhatIf>; budgetUnpriced: ReadonlyMap<string, number> },
): void {
  const shown = r.groups.slice(0, o.top);
  const end = r.start ? new Date(Date.parse(`${r.start}T00:00:00Z`) + (r.horizon - 1) * 86_400_000).toISOString().slice(0, 10) : null;
  // A switch names its group as `--model` does (DIM=VALUE:MODEL): with the dimension as a key,
  // `model=o3:gpt-4.1-mini` wrote { model: o3 } over with the new model, a switch for every group.
  // One shape for all switches: a switch for every group names no group, dimension and value null.
  const models = o.whatIf.swaps.map((s) => ({ dimension: s.dimension ?? null, value: s.value ?? null, model: s.model }));
  const whatIf = { traffic: o.whatIf.traffic, prompt_growth: o.whatIf.promptGrowth, models };
  const json = {
    group_by: o.by,
    history_since: r.days[0] ?? null,
    history_until: r.days.at(-1) ?? null,
    forecast_since: r.start,
    forecast_until: end,
    horizon_days: r.horizon,
    what_if: whatIf,
    rows: r.groups.map((g) => groupJson(g, o.by, o.backtest)),
    total: { ...groupJson({ ...r.total, dims: {}, backtest: r.total.backtest }, [], o.backtest), history: r.total.history },
    // Each budget's trajectory under the what-if, with the factor it put on the spend to come.
    budgets: o.budgets.map((b) => ({ ...budgetJson(b, o.budgetUnpriced.get(b.name) ?? 0), what_if_factor: o.budgetWhatIfs.get(b.name)?.factor ?? 1 })),
    notes: r.notes,
  };
  const columns: Column[] = [
    ...o.by.map((d) => ({ key: d, header: d.toUpperCase() })),
    { key: 'last', header: 'LAST 28D', align: 'right' },
    { key: 'rpd', header: 'REQ/DAY', align: 'right' },
    { key: 'tpr', header: 'TOK/REQ', align: 'right' },
    { key: 'cpr', header: '$/REQ', align: 'right' },
    { key: 'p10', header: 'P10', align: 'right' },
    { key: 'p50', header: 'P50', align: 'right' },
    { key: 'p90', header: 'P90', align: 'right' },
    { key: 'method', header: 'METHOD' },
    ...(o.backtest ? [{ key: 'mase', header: 'MASE/sNAIVE h7', align: 'right' as const }, { key: 'cover', header: 'P10–P90 HIT', align: 'right' as const }] : []),
  ];
  const cells = (g: GroupForecast) => ({
    last: usd(g.last_28d_usd),
    rpd: Math.round(g.requests_per_day).toLocaleString('en-US'),
    tpr: g.tokens_per_request === null ? '–' : g.tokens_per_request.toLocaleString('en-US'),
    cpr: g.cost_per_request_unrounded === null ? '–' : formatUsd(g.cost_per_request_unrounded, { unit: true }),
    p10: usd(g.p10_usd),
    p50: usd(g.p50_usd),
    p90: usd(g.p90_usd),
    method: g.basis === 'run-rate' ? `run rate (${g.history_days}d)` : g.basis === 'mean-rate' ? `mean rate (${g.history_days}d)` : `${METHOD_NAMES[g.selected_method ?? 'combination']} (${g.history_days}d)`,
    ...(o.backtest
      ? { mase: g.backtest ? maseCell(g.backtest) : '–', cover: g.backtest ? pct(coverageH7(g.backtest)) : '–' }
      : {}),
  });
  const rows = shown.map((g) => ({ ...Object.fromEntries(o.by.map((d) => [d, g.dims[d]])), ...cells(g) }));
  const footer = { ...Object.fromEntries(o.by.map((d, i) => [d, i === 0 ? 'total' : ''])), ...cells({ ...r.total, dims: {}, backtest: r.total.backtest }) };
  const neutral = o.whatIf.traffic === 1 && o.whatIf.promptGrowth === 0 && o.whatIf.swaps.length === 0;
  const scheduled = r.total.price_changes.length > 0;
  const title = `Forecast by ${o.by.length > 0 ? o.by.join(', ') : 'nothing'} · ${r.start ?? '–'} to ${end ?? '–'} (${countNoun(r.horizon, 'day')}) · at current prices${scheduled ? ' and scheduled changes' : ''}${neutral ? '' : ' · what-if applied'}`;
  emit(ctx, { json, title, table: { columns, rows, footer } });
  if (ctx.globals.format === 'json') return;
  const out = ctx.io.stdout;
  if (!neutral && ctx.globals.format === 'table') {
    const parts = [o.whatIf.traffic !== 1 ? `traffic ×${o.whatIf.traffic}` : '', o.whatIf.promptGrowth !== 0 ? `prompts ${o.whatIf.promptGrowth > 0 ? '+' : ''}${(o.whatIf.promptGrowth * 100).toFixed(0)}% input tokens` : '', ...o.whatIf.swaps.map((s) => `${s.dimension ? `${s.dimension}=${s.value} → ` : 'all → '}${s.model}`)].filter(Boolean);
    out.write(`what-if: ${parts.join(', ')} (total ×${r.total.what_if_factor.toFixed(3)} vs today's mix)\n`);
  }
  if (scheduled && ctx.globals.format === 'table') for (const line of priceChangeLines(r.groups.map((g) => ({ name: Object.values(g.dims).join(' · ') || 'total', steps: g.price_changes })))) out.write(`${line}\n`);
  if (o.backtest && r.total.backtest && ctx.globals.format === 'table') {
    const b = r.total.backtest;
    const p = b.h7.periodic;
    out.write(
      b.h7.origins > 0
        ? `backtest on your history (${b.h7.origins} origins): MASE ${b.h7.mase.forecast.toFixed(3)} vs seasonal naive ${b.h7.mase['seasonal-naive'].toFixed(3)} at h≤7 (relative ${b.h7.relative_mase.toFixed(3)}; the combination alone ${b.h7.mase.combination.toFixed(3)}), ${b.h28.relative_mase.toFixed(3)} at h≤${b.h28.horizon}; P10–P90 held ${pct(b.h7.coverage)} of days at h≤7 (target 80%)` +
            (p.origins > 0 ? `; ${countNoun(p.origins, 'origin')} whose history repeated exactly week on week ${p.origins === 1 ? 'is' : 'are'} left out of MASE\n` : '\n')
        : `backtest on your history (${countNoun(p.origins, 'origin')}): MASE is undefined, since the history repeats exactly week on week and seasonal naive makes no error to scale by; ` +
            `P50 was off by ${usd(roundUsd(p.mae) ?? 0)} a day on average and P10–P90 held ${pct(p.coverage)} of days at h≤7 (target 80%)\n`,
    );
  }
  if (o.budgets.length > 0 && ctx.globals.format === 'table') {
    out.write(`\n${ctx.chalk.bold('Budget trajectories')} (most at risk first${neutral ? '' : ', what-if applied to the days to come'})\n`);
    const width = Math.max(16, ...o.budgets.map((b) => b.name.length));
    for (const b of o.budgets) {
      // No probability: a run rate (under 14 days), or a forecast from under 28 days, which has no band to give one yet.
      const p = b.breach_probability !== null ? `${Math.round(b.breach_probability * 100)}% breach` : b.projection_method === 'run-rate' ? 'run rate' : 'no band yet';
      const when = b.breached ? 'breached' : b.breach_date_p50 ? `crosses ${b.breach_date_p50}` : b.breach_date_p90 ? `P90 crosses ${b.breach_date_p90}` : 'stays under';
      const factor = o.budgetWhatIfs.get(b.name)?.factor ?? 1;
      const scaled = neutral ? '' : ` (×${factor.toFixed(3)})`;
      out.write(`  ${b.name.padEnd(width)} ${usd(b.spent_usd)} of ${usd(b.limit_usd)} · ${b.period} end P50 ${usd(b.projected_p50_usd)} P90 ${usd(b.projected_p90_usd)}${scaled} · ${p} · ${when}\n`);
    }
    // A scheduled price change inside a budget's period is in its figures: named as the groups' are.
    for (const line of priceChangeLines(o.budgets.map((b) => ({ name: b.name, steps: b.price_changes ?? [] })))) out.write(`  ${line}\n`);
  }
  if (o.chart) {
    out.write(renderForecastChart('Total spend per day, history and forecast', r.total.history, r.total.daily, ctx.chalk, r.start, out.isTTY ? out.columns : undefined));
  }
  // Rows left out by --top are still in the total: say so, or the rows seem not to add up.
  // (CSV prints the JSON rows, every group.)
  if (r.groups.length > shown.length && ctx.globals.format !== 'csv') {
    ctx.info(`showing the ${shown.length} largest of ${r.groups.length} ${o.by.join('/')} groups by P50; the total counts all ${r.groups.length} (--top ${r.groups.length} shows every one; --format json lists them all)`);
  }
  for (const n of r.notes) ctx.warn(n);
}

/** Options that change a forecast from history: with no history they would be ignored without a word. */
const HISTORY_ONLY: ReadonlyArray<{ option: string; given: (o: ForecastOptions) => boolean; instead: string }> = [
  { option: '--traffic', given: (o) => o.traffic !== undefined, instead: 'scale --requests-per-day instead' },
  { option: '--prompt-growth', given: (o) => o.promptGrowth !== undefined, instead: 'set --input-tokens to the grown size instead' },
  { option: '--where', given: (o) => o.where.length > 0, instead: 'drop it' },
  { option: '--backtest', given: (o) => o.backtest === true, instead: 'drop it' },
  { option: '--chart', given: (o) => o.chart === true, instead: 'drop it' },
  { option: '--by', given: (o) => given(o, 'by'), instead: 'drop it: a new feature is one group' },
  { option: '--since', given: (o) => given(o, 'since'), instead: 'drop it' },
  { option: '--until', given: (o) => given(o, 'until'), instead: 'drop it' },
  { option: '--basis', given: (o) => given(o, 'basis'), instead: 'drop it' },
  { option: '--top', given: (o) => given(o, 'top'), instead: 'drop it' },
];

/** Whether the command line gave this option, rather than its default. */
function given(opts: ForecastOptions, key: keyof ForecastOptions): boolean {
  return opts.given?.has(key) ?? false;
}

async function newFeatureCommand(ctx: CliContext, opts: ForecastOptions, horizon: number, now: Date): Promise<void> {
  for (const h of HISTORY_ONLY) {
    if (h.given(opts)) throw new UsageError(`${h.option}: not with --new-feature, which has no history to apply it to`, { option: h.option, hint: h.instead });
  }
  const requestsPerDay = parseWhole('--requests-per-day', opts.requestsPerDay, true);
  const inputTokens = parseWhole('--input-tokens', opts.inputTokens);
  const outputTokens = parseWhole('--output-tokens', opts.outputTokens);
  const cacheRead = opts.cacheReadTokens !== undefined ? parseWhole('--cache-read-tokens', opts.cacheReadTokens) : 0;
  if (cacheRead > inputTokens) throw new UsageError(`--cache-read-tokens: expected at most --input-tokens (${inputTokens}), got ${cacheRead}`, { option: '--cache-read-tokens' });
  // A request of no tokens costs nothing: a $0.00 estimate and budget would hide the mistake.
  if (inputTokens + outputTokens === 0) {
    throw new UsageError('--input-tokens: expected the tokens of one request, got 0 in and 0 out (--output-tokens)', { option: '--input-tokens', hint: 'give the prompt size with --input-tokens and the answer size with --output-tokens' });
  }
  if (opts.model.length !== 1) throw new UsageError('--model: expected exactly one model with --new-feature, such as --model gpt-4.1-mini', { option: '--model' });
  // A group's switch (DIM=VALUE:MODEL) is a what-if on history, which a new feature has none of.
  const swap = swapReadings(opts.model[0]!)[0]!;
  if (swap.dimension !== undefined) {
    throw new UsageError(`--model: expected the new feature's model, such as --model ${swap.model}, got "${opts.model[0]}": a group's what-if needs history`, { option: '--model' });
  }
  const headroom = parsePercent('--headroom', opts.headroom);
  // Below zero the "recommended budget" would sit under P90 (at -50%, under P50): a budget sure to be breached.
  if (headroom < 0) throw new UsageError(`--headroom: expected 0% or more (the budget is P90 plus the headroom), got "${opts.headroom}"`, { option: '--headroom', hint: 'use --headroom 0% for a budget at P90' });
  const pricer = await ctx.pricer();
  assertKnownProvider(pricer.catalogue, opts.provider);
  const e = estimateNewFeature(pricer, { requestsPerDay, inputTokens, outputTokens, cacheReadTokens: cacheRead, model: opts.model[0]!, provider: opts.provider, days: horizon, headroom, at: now });
  if ('unpriced' in e) {
    throw new UsageError(`--model: unpriced model "${opts.model[0]}" (${e.unpriced})`, {
      option: '--model',
      hint: unknownModelHint(pricer.catalogue, opts.model[0]!, opts.provider, 'see `llmfin pricing list`, or add it under pricing.custom_models in llmfin.yaml'),
    });
  }
  const json = {
    provider: e.provider,
    model: e.model,
    requests_per_day: requestsPerDay,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_read_tokens: cacheRead,
    horizon_days: horizon,
    cost_per_request_usd: decToNumber(e.cost_per_request),
    cost_per_day_usd: decToNumber(e.per_day),
    // Days from a price change the catalogue has scheduled in the horizon: [] when none.
    price_changes: e.price_changes.map((p) => ({ from: p.from, cost_per_request_usd: decToNumber(p.cost_per_request), cost_per_day_usd: decToNumber(p.per_day), models: p.models })),
    // To the micro-dollar, as report's costs: cents made a small feature's month $0. Half up,
    // as the table's figures (formatUsd): the Dec's own half-even made $0.0000025 0.000002.
    p10_cost_usd: decToNumber(e.p10.toDecimalPlaces(6, Dec.ROUND_HALF_UP)),
    p50_cost_usd: decToNumber(e.p50.toDecimalPlaces(6, Dec.ROUND_HALF_UP)),
    p90_cost_usd: decToNumber(e.p90.toDecimalPlaces(6, Dec.ROUND_HALF_UP)),
    headroom,
    recommended_budget_usd: decToNumber(e.recommended_budget.toDecimalPlaces(6, Dec.ROUND_HALF_UP)),
  };
  const text = [
    ctx.chalk.bold(`New feature on ${e.provider}/${e.model} · ${countNoun(horizon, 'day')} · no history: requests × tokens × catalogue price`),
    `  cost per request   ${formatUsd(e.cost_per_request, { unit: true })}  (${inputTokens.toLocaleString('en-US')} in${cacheRead ? ` incl. ${cacheRead.toLocaleString('en-US')} cache read` : ''} + ${outputTokens.toLocaleString('en-US')} out)`,
    `  per day            ${formatUsd(e.per_day)}  at ${requestsPerDay.toLocaleString('en-US')} requests`,
    ...e.price_changes.map(
      (p) => `  from ${p.from}    ${formatUsd(p.per_day)} a day, ${formatUsd(p.cost_per_request, { unit: true })} a request: price change, ${p.models.map((m) => `${m.model} (${m.provider}) ${rateChangeText(m)}`).join('; ')}`,
    ),
    `  ${countNoun(horizon, 'day').padEnd(19)}P10 ${formatUsd(e.p10)} · P50 ${formatUsd(e.p50)} · P90 ${formatUsd(e.p90)}  (launch traffic is uncertain: ×0.6 / ×1.6)`,
    `  recommended budget ${formatUsd(e.recommended_budget)}  (P90 + ${(headroom * 100).toFixed(0)}% headroom)`,
  ].join('\n');
  emit(ctx, {
    json,
    table:
      ctx.globals.format === 'table'
        ? text
        : { columns: Object.keys(json).map((k) => ({ key: k, header: k })), rows: [Object.fromEntries(Object.entries(json).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]))] },
  });
}
