// Imports files through the real pipeline (detect → stream → one transaction) into a
// real SQLite ledger in a temp folder, for importer tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Importer } from '../../src/importers/importer.js';
import { runImport, type ImportSummary, type RunImportOptions } from '../../src/importers/run-import.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { tempDir } from './cli.js';

let pricer: Pricer | undefined;
export async function testPricer(): Promise<Pricer> {
  pricer ??= new Pricer(await PriceCatalogue.load());
  return pricer;
}

/** A fresh ledger file in a temp folder. */
export async function freshLedger(): Promise<LedgerStore> {
  return openLedger(join(tempDir('llmfin-import-'), 'ledger.db'));
}

/** Runs one file through `runImport` with the given importers (default: just `importer`). */
export async function importInto(
  ledger: LedgerStore,
  importer: Importer | readonly Importer[],
  file: string,
  options: Partial<RunImportOptions> = {},
): Promise<ImportSummary> {
  const p = await testPricer();
  return runImport(
    ledger,
    file,
    file,
    { pricer: p, catalogueVersion: p.catalogue.manifest.version, now: new Date('2026-11-01T00:00:00Z') },
    { llmfinVersion: 'test', importers: Array.isArray(importer) ? importer : [importer as Importer], ...options },
  );
}

/** A copy of the fixture at `path` as `name` in a fresh temp folder, its text changed by `edit` (a corrected or foreign variant). */
export function editedCopy(path: string, name: string, edit: (text: string) => string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, edit(readFileSync(path, 'utf8')));
  return file;
}
