/**
 * The service tier and region of a row of Anthropic's Admin API reports, which the usage
 * report (usage_report/messages) and the cost report (cost_report) name the same way.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import { str } from './anthropic-pages.js';

const TIERS: Record<string, ServiceTier> = {
  standard: 'standard',
  batch: 'batch',
  priority: 'priority',
  priority_on_demand: 'priority',
  flex: 'flex',
  flex_discount: 'flex',
};

/** The ledger's tier of a report row: fast mode (`speed: "fast"`) is its own; standard is stored as none. */
export function anthropicServiceTier(row: { speed?: unknown; service_tier?: unknown }): ServiceTier | undefined {
  const tierName = str(row.service_tier);
  const tier = str(row.speed) === 'fast' ? 'fast' : tierName ? TIERS[tierName] : undefined;
  return tier === 'standard' ? undefined : tier;
}

/** The row's region: `inference_geo` but "global", which is no region. */
export function anthropicRegion(row: { inference_geo?: unknown }): string | undefined {
  const geo = str(row.inference_geo);
  return geo && geo !== 'global' ? geo : undefined;
}
