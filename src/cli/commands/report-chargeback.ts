/** `report --chargeback`: direct, shared and total spend per team, CSV-ready for finance. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import type { Attributor } from '../../attribution/attributor.js';
import { buildReport, type Basis } from '../../reports/build-report.js';
import { chargeback } from '../../reports/chargeback.js';
import { emptyWindowNote } from './empty-window-note.js';
import type { SharedCostConfig } from '../../config/config-schema.js';
import { UsageError } from '../../shared/errors.js';
import { unpricedRowsWarning } from '../../shared/count-noun.js';
import { dec, formatUsd, ticksToUsd, usdToTicks } from '../../shared/money.js';

export async function chargebackCommand(ctx: CliContext, o: { period: { since?: string; until?: string }; basis: Basis; attributor: Attributor }): Promise<void> {
  const { config } = await ctx.config();
  const shared = config.attribution.shared;
  if (shared.length === 0) {
    throw new UsageError('--chargeback: expected shared costs under attribution.shared in llmfin.yaml, found none', {
      option: '--chargeback',
      hint: 'e.g. shared: [{ name: platform, from: { team: platform }, over: team, method: proportional }]',
    });
  }
  // The config has checked, at their lines, that these are dimensions and that every line has the same `over`.
  const over = shared[0]!.over;
  const dims = [...new Set([over, ...shared.flatMap((s) => Object.keys(s.from))])];
  const ledger = await ctx.openLedger({ create: false });
  try {
    const report = await buildReport(ledger, o.attributor, { by: dims, ...o.period, basis: o.basis });
    const result = chargeback(
      report.rows.map((r) => ({ dims: Object.fromEntries(dims.map((d) => [d, r[d]!])), ticks: usdToTicks(dec(r.cost_usd_exact)) })),
      shared,
      over,
    );
    warnUnpriced(ctx, report.rows, over);
    warnSharedMatchingNothing(ctx, report.rows, shared);
    const exact = ctx.globals.format === 'csv';
    const usd = (t: bigint) => (exact ? ticksToUsd(t).toFixed() : formatUsd(ticksToUsd(t)));
    const names = shared.map((s) => s.name);
    const rows = [
      ...result.rows.map((r) => ({ recipient: r.recipient, direct: r.direct_ticks, shared: r.shared, total: r.total_ticks })),
      ...result.unallocated.map((u) => ({ recipient: `(unallocated: ${u.name})`, direct: u.ticks, shared: {} as Record<string, bigint>, total: u.ticks })),
    ];
    emit(ctx, {
      title: `Chargeback by ${over} · ${report.since?.slice(0, 10) ?? 'the beginning'} to ${report.until?.slice(0, 10) ?? 'now'} · basis ${report.basis}`,
      json: {
        basis: report.basis,
        since: report.since,
        until: report.until,
        over,
        rows: rows.map((r) => ({
          [over]: r.recipient,
          direct_usd: ticksToUsd(r.direct).toNumber(),
          shared_usd: Object.fromEntries(names.map((n) => [n, ticksToUsd(r.shared[n] ?? 0n).toNumber()])),
          total_usd: ticksToUsd(r.total).toNumber(),
        })),
        total_usd: ticksToUsd(result.total_ticks).toNumber(),
      },
      table: {
        columns: [
          { key: 'recipient', header: over.toUpperCase() },
          { key: 'direct', header: 'DIRECT', align: 'right' },
          ...names.map((n) => ({ key: `s:${n}`, header: `SHARED ${n.toUpperCase()}`, align: 'right' as const })),
          { key: 'total', header: 'TOTAL', align: 'right' },
        ],
        rows: rows.map((r) => ({ recipient: r.recipient, direct: usd(r.direct), ...Object.fromEntries(names.map((n) => [`s:${n}`, usd(r.shared[n] ?? 0n)])), total: usd(r.total) })),
        footer: { recipient: 'total', direct: '', total: usd(result.total_ticks) },
      },
    });
    // An empty window says where the spend is, as the grouped report does.
    if (report.rows.length === 0 && ctx.globals.format !== 'json') ctx.info((await emptyWindowNote(ledger, o.attributor, { basis: o.basis, where: {}, ...o.period })).text);
  } finally {
    await ledger.close();
  }
}

/**
 * Rows of a model the catalogue does not know have no cost, so they are in no direct or
 * shared amount, and a recipient whose only spend is on them has no line at all: say so
 * (on stderr, whatever the format, since the JSON and CSV carry no unpriced count) rather
 * than let finance read the chargeback as complete.
 */
function warnUnpriced(ctx: CliContext, rows: ReadonlyArray<Record<string, unknown> & { cost_usd_exact: string; unpriced_rows: number }>, over: string): void {
  const unpriced = rows.reduce((n, r) => n + r.unpriced_rows, 0);
  if (unpriced === 0) return;
  const priced = new Set<string>();
  const touched = new Set<string>();
  for (const r of rows) {
    const who = String(r[over]);
    if (!dec(r.cost_usd_exact).isZero()) priced.add(who);
    if (r.unpriced_rows > 0) touched.add(who);
  }
  const missing = [...touched].filter((who) => !priced.has(who)).sort();
  const left = missing.length > 0 ? `; ${missing.join(', ')} spent only on such rows and ${missing.length === 1 ? 'has' : 'have'} no line` : '';
  const one = unpriced === 1;
  ctx.warn(
    unpricedRowsWarning(unpriced, `${one ? 'its cost is' : 'their cost is'} in no direct or shared amount (${[...touched].sort().join(', ')})${left}`),
  );
}

/**
 * A shared line whose `from` no spend of the period has (a misspelt team, a value written
 * otherwise) splits nothing: its column reads $0.00 everywhere and the spend it was meant
 * to share stays direct. Name it with the values there are, as `--where` does.
 */
function warnSharedMatchingNothing(ctx: CliContext, rows: ReadonlyArray<Record<string, unknown>>, shared: readonly SharedCostConfig[]): void {
  if (rows.length === 0) return;
  for (const line of shared) {
    const from = Object.entries(line.from);
    if (rows.some((r) => from.every(([d, v]) => r[d] === v))) continue;
    const values = from.map(([d]) => {
      const seen = [...new Set(rows.map((r) => String(r[d])))].sort();
      return `the values of ${d} are ${seen.slice(0, 12).join(', ')}${seen.length > 12 ? `, … (${seen.length} in all)` : ''}`;
    });
    ctx.warn(`attribution.shared "${line.name}": no spend in this period has ${from.map(([d, v]) => `${d}=${v}`).join(', ')}, so it shares nothing; ${values.join('; ')}`);
  }
}
