/**
 * What the Console's usage and cost rows share: the usage date (a day, or an hour in
 * hourly downloads), the tier (fast mode, batch), the US-only inference uplift, the
 * long-context band and the workspace/key dimensions, mapped as the Admin API importers
 * map them.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import { parseUtc, shown } from '../aws-cur/billing-values.js';
import type { CsvCells } from './anthropic-csv-columns.js';

export interface RowProblem {
  column: string;
  message: string;
}

export interface UsagePeriod {
  ts: string;
  tsEnd: string;
  granularity: 'day' | 'hour';
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** `2026-10-01` is a UTC day; a date with a time is the hour it starts (hourly downloads). */
export function usagePeriod(cells: CsvCells): UsagePeriod | RowProblem {
  const text = cells.text('usage_date_utc');
  const at = parseUtc(text);
  if (!at) return { column: cells.column('usage_date_utc'), message: `expected a UTC date such as 2026-10-01 or a date and hour, got ${shown(text)}` };
  const hourly = !/^\d{4}-\d{2}-\d{2}$/.test(text);
  const end = new Date(at.getTime() + (hourly ? HOUR_MS : DAY_MS));
  return { ts: at.toISOString(), tsEnd: end.toISOString(), granularity: hourly ? 'hour' : 'day' };
}

/** Fast mode and batch are priced tiers; anything else is standard. */
export function tierOf(cells: CsvCells): ServiceTier | undefined {
  if (cells.text('speed').toLowerCase() === 'fast') return 'fast';
  const tier = cells.text('service_tier').toLowerCase();
  // The Console labels batch usage in usage_type; an API-style service_tier column is read too.
  if (/batch/.test(cells.text('usage_type').toLowerCase()) || tier === 'batch') return 'batch';
  if (tier.startsWith('priority')) return 'priority';
  if (tier.startsWith('flex')) return 'flex';
  return undefined;
}

/** `inference_geo: us` carries the US-only uplift; global (or nothing) is the default offering. */
export function regionOf(cells: CsvCells): string | undefined {
  const geo = cells.text('inference_geo').toLowerCase();
  return geo === '' || geo === 'global' || geo === 'not_available' ? undefined : geo;
}

/** "> 200k" (Console) or "200k-1M" (API): a long-context band the export does not split per request. */
export function longContextNote(cells: CsvCells): string | null {
  const band = cells.text('context_window');
  return />|200k\s*-\s*1m/i.test(band) ? `context window ${band}` : null;
}

/** The replacement scope: one source holds two kinds of file, so the account names the kind beside the workspace. */
export function scopedAccount(kind: 'usage' | 'cost', workspace: string): string {
  return workspace === '' ? kind : `${kind}:${workspace}`;
}

export function orNull(text: string): string | null {
  return text === '' ? null : text;
}
