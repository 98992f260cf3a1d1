/** `llmfin anomalies`: parses the options, runs the detectors (anomalies/) and prints what they found. */
import { totalExcess } from '../../anomalies/total-excess.js';
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { parsePeriod, parseBy, parseWhere, parseBasis, parseWhen } from '../report-period.js';
import type { AnomaliesOptions } from './anomalies.js';
import { Attributor } from '../../attribution/attributor.js';
import type { Anomaly, AnomalyKind } from '../../anomalies/anomaly.js';
import { findAnomalies, FIRST_JUDGED_DAY } from '../../anomalies/find-anomalies.js';
import type { Sensitivity } from '../../anomalies/sensitivity.js';
import { checkDimensions, isTimeDimension, knownDimensions } from '../../reports/report-dimensions.js';
import { CheckFailedError, UsageError } from '../../shared/errors.js';
import { countNoun, unpricedRowsWarning } from '../../shared/count-noun.js';
import { formatUsd } from '../../shared/money.js';
import { explainEmptyWhere } from './empty-where.js';
import { emptyWindowNote } from './empty-window-note.js';
import { refuseRowFieldDimensions } from '../row-field-dimensions.js';

/**
 * Whether an alert was raised on or after `since` (ISO): a day-level alert by its day (a
 * day's verdict belongs to the whole day), a trace alert by its instant.
 */
function raisedSince(a: Anomaly, since: string): boolean {
  return a.detected.length === 10 ? a.detected >= since.slice(0, 10) : a.detected >= since;
}

const KINDS: readonly AnomalyKind[] = ['spike', 'level_shift', 'creep', 'runaway_session', 'agent_loop'];

/** The fields an anomaly row writes beside its dimensions, in JSON and in the table. */
const ANOMALY_ROW_FIELDS = ['kind', 'since', 'until', 'detected', 'metric', 'observed', 'expected', 'excess_usd', 'score', 'evidence', 'excess'] as const;

export async function anomaliesCommand(ctx: CliContext, opts: AnomaliesOptions): Promise<void> {
  const { config } = await ctx.config();
  const attributor = new Attributor(config.attribution.rules);
  const known = knownDimensions(attributor, config.attribution.dimensions);
  const by = parseBy(opts.by);
  checkDimensions(by, known, '--by');
  if (by.some(isTimeDimension)) throw new UsageError('--by: expected a dimension to watch, not a time bucket (anomalies are found per day)', { option: '--by' });
  refuseRowFieldDimensions(by, ANOMALY_ROW_FIELDS, 'anomalies');
  const where = parseWhere(opts.where);
  checkDimensions(Object.keys(where), known, '--where');
  for (const d of Object.keys(where)) {
    if (isTimeDimension(d)) throw new UsageError(`--where: expected a dimension, not a time bucket (${d}): each day is judged against the days before it; use --since/--until for the period`, { option: '--where' });
  }
  const basis = parseBasis(opts.basis);
  const kinds = opts.kind?.split(',').map((k) => k.trim());
  for (const k of kinds ?? []) if (!(KINDS as readonly string[]).includes(k)) throw new UsageError(`--kind: expected ${KINDS.join(', ')}, got "${k}"`, { option: '--kind' });
  const settings = { ...config.anomalies };
  if (opts.sensitivity !== undefined) {
    if (!['low', 'medium', 'high'].includes(opts.sensitivity)) throw new UsageError(`--sensitivity: expected low, medium or high, got "${opts.sensitivity}"`, { option: '--sensitivity' });
    settings.sensitivity = opts.sensitivity as Sensitivity;
  }
  if (opts.minImpact !== undefined) {
    const v = Number(opts.minImpact.replace(/^\$/, ''));
    if (!/^\$?\d+(\.\d+)?$/.test(opts.minImpact) || !Number.isFinite(v)) throw new UsageError(`--min-impact: expected an amount in USD such as 25, got "${opts.minImpact}"`, { option: '--min-impact' });
    settings.min_impact_usd = v;
  }
  const period = parsePeriod({ since: opts.since, ...(opts.until !== undefined ? { until: opts.until } : {}) });
  const detectedSince = opts.detectedSince === undefined ? undefined : parseWhen('--detected-since', opts.detectedSince).toISOString();
  // Nothing is raised at or after the window's end: such a day (a typo in the year, a swapped
  // pair of dates) would pass every cron run with --fail-on-anomaly, whatever the ledger holds.
  const windowEnd = period.until ?? new Date().toISOString();
  if (detectedSince !== undefined && detectedSince >= windowEnd) {
    throw new UsageError(
      `--detected-since: ${opts.detectedSince} is not before the end of the window read (${period.until !== undefined ? `--until ${opts.until}` : 'now'}), so nothing can have been raised since`,
      { option: '--detected-since', hint: 'give a day inside the window, such as 1d for what was raised since yesterday' },
    );
  }
  const ledger = await ctx.openLedger({ create: false });
  let found: Awaited<ReturnType<typeof findAnomalies>>;
  let emptyWindow: string | undefined;
  try {
    found = await findAnomalies(ledger, attributor, { by, where, since: period.since!, ...(period.until ? { until: period.until } : {}), basis, settings, ...(kinds ? { kinds } : {}) });
    // One layer alone (--basis) may hold none of the window's spend, the proxy's traces judged
    // all the same: say that the other layers hold it, not "check --since/--until", nor nothing.
    const empty = found.days.length === 0 ? await emptyWindowNote(ledger, attributor, { basis, where, ...period }) : undefined;
    if (empty?.onOtherLayers) {
      emptyWindow = empty.text;
    } else if (empty !== undefined && found.traces === 0) {
      // A value no spend has is the cause on its own: where the usage is would blame the window.
      const misspelt = await explainEmptyWhere(ctx, ledger, attributor, where, basis);
      emptyWindow = `no spend in this period: nothing to judge${misspelt ? '' : empty.usageIs}`;
    }
  } finally {
    await ledger.close();
  }
  // A daily cron job asks what is new: what was raised before it ran last is left out (and out of the exit code).
  let earlier = 0;
  if (detectedSince !== undefined) {
    const raised = found.anomalies.filter((a) => raisedSince(a, detectedSince));
    earlier = found.anomalies.length - raised.length;
    found = { ...found, anomalies: raised };
  }
  const dimKeys = [...new Set(found.anomalies.flatMap((a) => Object.keys(a.dims)))];
  const json = {
    group_by: by,
    since: found.days[0] ?? null,
    until: found.days.at(-1) ?? null,
    sensitivity: settings.sensitivity,
    min_impact_usd: settings.min_impact_usd,
    entities: found.entities,
    traces: found.traces,
    detected_since: detectedSince ?? null,
    rows: found.anomalies.map((a) => ({ kind: a.kind, ...a.dims, since: a.since, until: a.until, detected: a.detected, metric: a.metric, observed: a.observed, expected: a.expected, excess_usd: a.excess_usd, score: a.score, evidence: a.evidence })),
    // Overlapping alerts of one entity describe the same spend: counted once (total-excess.ts).
    total_excess_usd: totalExcess(found.anomalies),
    unpriced_rows: found.unpriced_rows,
  };
  const short = (t: string) => (t.length > 10 ? t.slice(0, 16).replace('T', ' ') : t);
  // An empty --by watches one series, the total.
  const series = by.length > 0 ? by.join('/') : 'total';
  emit(ctx, {
    json,
    title: `Anomalies ${by.length > 0 ? `by ${by.join(', ')}` : 'of the total'} · ${json.since ?? '–'} to ${json.until ?? '–'} · sensitivity ${settings.sensitivity} · min impact ${formatUsd(settings.min_impact_usd)}`,
    table: {
      columns: [
        { key: 'kind', header: 'KIND' },
        ...dimKeys.map((d) => ({ key: d, header: d.toUpperCase() })),
        { key: 'since', header: 'SINCE' },
        { key: 'excess', header: 'EXCESS $', align: 'right' },
        { key: 'evidence', header: 'EVIDENCE' },
      ],
      rows: found.anomalies.map((a) => ({ kind: a.kind, ...a.dims, since: short(a.since), excess: formatUsd(a.excess_usd), evidence: a.evidence })),
    },
  });
  // Spend the ledger could not price is not judged: said on stderr whatever the format, as report does.
  if (found.unpriced_rows > 0) {
    ctx.warn(unpricedRowsWarning(found.unpriced_rows, 'their cost is unknown, so their spend is not judged'));
  }
  // Warnings and notes go to stderr whatever the format: stdout keeps the one JSON document.
  if (found.too_short > 0) {
    ctx.warn(
      `${found.too_short} of ${found.entities} ${series} series ${found.too_short === 1 ? 'has' : 'have'} ${FIRST_JUDGED_DAY} days of history or fewer: spikes and level shifts are judged from a series' day ${FIRST_JUDGED_DAY + 1}, tokens-per-request creep from its fifth week`,
    );
  }
  // A window with no usage (a stale ledger in a cron job) is said as such, whatever the format, not as "no anomalies".
  if (emptyWindow !== undefined) ctx.warn(emptyWindow);
  else if (ctx.globals.format !== 'json' && found.anomalies.length === 0) {
    ctx.info(`no anomalies${detectedSince === undefined ? '' : ` raised since ${detectedSince.slice(0, 10)}`} in ${found.entities} ${series} series and ${countNoun(found.traces, 'trace')}`);
  }
  if (earlier > 0) {
    ctx.info(`${earlier} raised before ${detectedSince!.slice(0, 10)} left out (--detected-since)`);
  }
  if (opts.failOnAnomaly && found.anomalies.length > 0) {
    throw new CheckFailedError(`${found.anomalies.length} anomal${found.anomalies.length === 1 ? 'y' : 'ies'} found, ${formatUsd(json.total_excess_usd)} over baseline`);
  }
}
