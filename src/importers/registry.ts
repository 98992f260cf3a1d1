/**
 * Every import source: one line each. Detection tries them in this order, so
 * specific formats come before general ones: FOCUS before the clouds' native exports
 * (their FOCUS files carry x_ columns too), llmfin's own JSONL last (its check is the
 * most general).
 */
import type { Importer } from './importer.js';
import { anthropicCostImporter } from './anthropic-cost/anthropic-cost-importer.js';
import { anthropicCsvImporter } from './anthropic-csv/anthropic-csv-importer.js';
import { anthropicUsageImporter } from './anthropic-usage/anthropic-usage-importer.js';
import { awsCurImporter } from './aws-cur/aws-cur-importer.js';
import { azureCostImporter } from './azure-cost/azure-cost-importer.js';
import { claudeCodeImporter } from './claude-code/claude-code-importer.js';
import { focusImporter } from './focus/focus-importer.js';
import { gcpBillingImporter } from './gcp-billing/gcp-billing-importer.js';
import { invoiceImporter } from './invoice/invoice-importer.js';
import { litellmImporter } from './litellm/litellm-importer.js';
import { litellmActivityImporter } from './litellm-activity/litellm-activity-importer.js';
import { llmfinImporter } from './llmfin/llmfin-importer.js';
import { openaiCostsImporter } from './openai-costs/openai-costs-importer.js';
import { openaiCsvImporter } from './openai-csv/openai-csv-importer.js';
import { openaiUsageImporter } from './openai-usage/openai-usage-importer.js';
import { otelImporter } from './otel/otel-importer.js';

export const IMPORTERS: readonly Importer[] = [
  invoiceImporter,
  openaiUsageImporter,
  openaiCostsImporter,
  openaiCsvImporter,
  anthropicUsageImporter,
  anthropicCostImporter,
  anthropicCsvImporter,
  focusImporter,
  awsCurImporter,
  azureCostImporter,
  gcpBillingImporter,
  otelImporter,
  litellmImporter,
  litellmActivityImporter,
  claudeCodeImporter,
  llmfinImporter,
];

export function importerById(id: string): Importer | undefined {
  return IMPORTERS.find((i) => i.id === id);
}
