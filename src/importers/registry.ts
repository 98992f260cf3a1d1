/**
 * Every import source: one line each. Detection tries them in this order, so
 * specific formats come before general ones.
 */
import type { Importer } from './importer.js';
import { invoiceImporter } from './invoice/invoice-importer.js';
import { llmfinImporter } from './llmfin/llmfin-importer.js';

export const IMPORTERS: readonly Importer[] = [invoiceImporter, llmfinImporter];

export function importerById(id: string): Importer | undefined {
  return IMPORTERS.find((i) => i.id === id);
}
