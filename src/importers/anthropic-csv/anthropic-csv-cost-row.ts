/**
 * One row of the Console cost download → a billed row. `cost_usd` is in DOLLARS (the
 * Admin API's cost report is in cents) and is kept as the exact decimal text. `model` is
 * a display name ("Claude Haiku 4.5"): it becomes the API id family ("claude-haiku-4-5")
 * when the catalogue knows that id, else it stays as written, and the row is billed
 * either way, so no money is lost to an unknown name.
 */
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import { decimalText, type modelResolver, shown } from '../aws-cur/billing-values.js';
import { buildEntry } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import type { CsvCells } from './anthropic-csv-columns.js';
import { longContextNote, orNull, regionOf, scopedAccount, tierOf, usagePeriod, type RowProblem } from './anthropic-csv-values.js';

export interface CostRowContext {
  ctx: ImportContext;
  uniqueKey: (key: string) => string;
  resolve: ReturnType<typeof modelResolver>;
}

/** "Claude Sonnet 4.5" → "claude-sonnet-4-5". */
export function modelIdOf(displayName: string): string {
  return displayName.trim().toLowerCase().replace(/[\s.]+/g, '-');
}

/** The row's ledger entry, a problem, or 'empty' for a row with no cost and no model. */
export function costRowEntry(cells: CsvCells, record: Record<string, string>, { ctx, uniqueKey, resolve }: CostRowContext): NewUsageEntry | RowProblem | 'empty' {
  const text = cells.text('cost_usd');
  const display = cells.text('model');
  if (text === '' && display === '' && cells.text('token_type') === '' && cells.text('cost_type') === '') return 'empty';
  const cost = decimalText(text);
  if (cost === undefined) return { column: cells.column('cost_usd'), message: `expected a dollar amount such as 0.0375, got ${shown(text)}` };
  const currency = cells.text('currency');
  if (currency !== '' && currency.toUpperCase() !== 'USD') return { column: cells.column('currency'), message: `expected USD, got ${shown(currency)}` };
  const period = usagePeriod(cells);
  if ('message' in period) return period;

  const id = display === '' ? undefined : resolve('anthropic', [modelIdOf(display)], new Date(period.ts));
  const workspace = cells.text('workspace');
  const keyId = cells.text('api_key_id');
  const kindOfCost = cells.text('token_type') || cells.text('cost_type');
  const notes = [longContextNote(cells), display !== '' && id === undefined ? `model "${display}" not in the price catalogue` : null].filter((n) => n !== null);
  const identity = ['usage_date_utc', 'model', 'workspace', 'api_key_id', 'api_key', 'usage_type', 'context_window', 'token_type', 'cost_type', 'inference_geo', 'speed'].map((c) => cells.text(c));
  return buildEntry(
    {
      source: 'anthropic-csv',
      provenance: 'billed',
      dedupeKey: uniqueKey(['anthropic-csv', 'cost', ...identity].join('|')),
      provider: 'anthropic',
      ts: period.ts,
      tsEnd: period.tsEnd,
      granularity: period.granularity,
      model: id ?? orNull(display),
      account: scopedAccount('cost', workspace),
      serviceTier: tierOf(cells),
      region: regionOf(cells),
      requests: 0,
      billedUsd: cost,
      description: [[display, kindOfCost].filter((p) => p !== '').join(', ') || 'Anthropic API', ...notes].join('; '),
      // The key's id identifies it across renames; its name stays in raw.
      dims: { workspace: orNull(workspace), api_key: orNull(keyId) ?? orNull(cells.text('api_key')) },
      raw: record,
    },
    ctx,
  );
}
