/**
 * `llmfin pricing update FILE...`: rebuilds the catalogue from a newer LiteLLM cost map
 * and/or genai-prices feed, with the same seed code as scripts/seed-pricing.mjs. A
 * dataset not given is taken from the copy bundled in pricing/sources/, so updating one
 * keeps the other's history and tiers. Writes to the user's data directory (used
 * automatically from then on) unless --out says elsewhere; --dry-run only reports.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { userCatalogueDir } from '../user-dirs.js';
import { emit } from '../output/emit.js';
import type { Table } from '../output/table.js';
import { bundledCatalogueDir } from '../../pricing/price-catalogue.js';
import { buildManifest, detectDataset, seedCatalogue, type DatasetName } from '../../pricing/seed/seed-catalogue.js';
import { replaceFolderFiles } from '../../pricing/replace-folder-files.js';
import { malformedPrice, shownValue } from '../../pricing/seed/malformed-price.js';
import { expandHome } from '../../config/expand-home.js';
import { parseJsonDocument } from '../../importers/json-document.js';
import { orderModel, stringifyManifest, stringifyProviderFile } from '../../pricing/seed/serialise-catalogue.js';
import { countNoun } from '../../shared/count-noun.js';
import { InputError, LlmfinError, UsageError } from '../../shared/errors.js';

interface Dataset {
  name: DatasetName;
  file: string;
  json: unknown;
  sha256: string;
  asOf: string;
  bundled: boolean;
}

const BUNDLED: Record<DatasetName, string> = {
  litellm: 'model_prices_and_context_window.json',
  'genai-prices': 'genai-prices-v2-data.json',
};
const BUNDLED_AS_OF: Record<DatasetName, string> = { litellm: '2026-07-24', 'genai-prices': '2026-08-21' };
/** Models an update may drop without a word (datasets retire a few ids at each release)… */
const MAX_QUIET_REMOVALS = 20;
/** …and the share of today's models past which it is refused without --allow-removals. */
const MAX_REMOVED_SHARE = 0.25;

function readDataset(file: string, bundled: boolean, fallbackAsOf?: string): Dataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new InputError(file, undefined, `cannot read file (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
  }
  // A file cut short or edited by hand: the line and column of the mistake, not V8's offset into 1.6 MB.
  const parsed = parseJsonDocument(bytes.toString('utf8'));
  if (!parsed.ok) throw new InputError(file, parsed.line, parsed.message);
  const json = parsed.value;
  const name = detectDataset(json);
  if (!name) {
    throw new InputError(file, undefined, 'neither a LiteLLM cost map (model_prices_and_context_window.json) nor a genai-prices v2 feed (data.json)');
  }
  // The bundled copies are known good; a file given may have been edited or cut short.
  const bad = bundled ? undefined : malformedPrice(name, json);
  if (bad) {
    throw new InputError(file, undefined, `${name} entry "${bad.entry}": ${bad.field}: expected a price (a number >= 0), got ${shownValue(bad.value)}; nothing was written`, {
      hint: 'fix or remove that entry (read as no price, it would make the model cost $0), or download the dataset again',
    });
  }
  const inFile = !Array.isArray(json) && typeof (json as { last_updated?: unknown }).last_updated === 'string' ? (json as { last_updated: string }).last_updated.slice(0, 10) : undefined;
  const sha256 = sha256Of(bytes);
  // A copy of the bundled dataset (the reference files are byte for byte the same) has the
  // bundled copy's date, not the day it was copied: else the same prices get a newer
  // catalogue version, or an older one, with "as of" the file's mtime.
  const sameAsBundled = !bundled && sha256 === bundledSha256(name);
  const asOf = inFile ?? fallbackAsOf ?? (sameAsBundled ? BUNDLED_AS_OF[name] : statSync(file).mtime.toISOString().slice(0, 10));
  return { name, file, json, sha256, asOf, bundled };
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bundledSha256(name: DatasetName): string | undefined {
  try {
    return sha256Of(readFileSync(join(bundledCatalogueDir(), 'sources', BUNDLED[name])));
  } catch {
    return undefined;
  }
}

export async function pricingUpdate(ctx: CliContext, files: string[], opts: { out?: string; dryRun?: boolean; allowRemovals?: boolean }): Promise<void> {
  const given = files.map((f) => readDataset(resolve(ctx.io.cwd, expandHome(f, ctx.io.env)), false));
  const byName = new Map<DatasetName, Dataset>();
  for (const d of given) {
    if (byName.has(d.name)) throw new InputError(d.file, undefined, `a second ${d.name} dataset; give at most one of each`);
    byName.set(d.name, d);
  }
  for (const name of ['litellm', 'genai-prices'] as const) {
    if (!byName.has(name)) byName.set(name, readDataset(join(bundledCatalogueDir(), 'sources', BUNDLED[name]), true, BUNDLED_AS_OF[name]));
  }
  const litellm = byName.get('litellm')!;
  const genai = byName.get('genai-prices')!;
  const out = opts.out ? resolve(ctx.io.cwd, expandHome(opts.out, ctx.io.env)) : userCatalogueDir(ctx.io.env);
  if (opts.out) checkOutDir(opts.out, out, given.map((d) => d.file));
  const seed = seedCatalogue({ litellm: litellm.json, genaiPrices: genai.json, litellmAsOf: litellm.asOf, genaiAsOf: genai.asOf });
  if (seed.files.length === 0) throw new LlmfinError('the datasets produced no priced models; nothing was written');

  // Compared in the written form: the seed builds objects in its own key order (geo keys
  // as the dataset lists them), the loaded catalogue has them as the file wrote them.
  const before = new Map<string, string>();
  let previousVersion: string | null = null;
  let previousSources: ReadonlyArray<{ name: string; file: string; sha256: string; as_of: string }> = [];
  let unreadable: string | undefined;
  try {
    const current = (await ctx.pricer()).catalogue;
    for (const f of current.all()) for (const m of f.models) before.set(`${f.provider}/${m.id}`, JSON.stringify(orderModel(m)));
    previousVersion = current.manifest.version;
    previousSources = current.manifest.sources;
  } catch (error) {
    // A broken catalogue in the folder about to be rebuilt (an edited or half-written
    // file) must not stop the rebuild that repairs it; anything else (a bad llmfin.yaml,
    // another catalogue folder) still fails.
    if (!(error instanceof InputError) || !isInside(error.file, out)) throw error;
    before.clear();
    unreadable = error.message;
  }
  const after = new Map<string, string>();
  for (const f of seed.files) for (const m of f.models) after.set(`${f.provider}/${m.id}`, JSON.stringify(orderModel(m)));
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
  // Datasets only grow between releases; one that drops a large part of today's models is a
  // trimmed or filtered file, and writing it would leave those models unpriced from now on.
  const shrinks = before.size > 0 && removed.length > Math.max(MAX_QUIET_REMOVALS, before.size * MAX_REMOVED_SHARE);
  const shrinkText = `it drops ${removed.length} of the ${before.size} models priced now (${removed.slice(0, 3).join(', ')}, …): the dataset looks partial`;
  if (shrinks && !opts.dryRun && !opts.allowRemovals) {
    throw new UsageError(`pricing update: ${shrinkText}; nothing was written`, {
      option: '--allow-removals',
      hint: 'check the file (a whole model_prices_and_context_window.json or data.json), see the list with --dry-run --format json, or pass --allow-removals to write it anyway',
    });
  }
  if (shrinks && opts.dryRun) ctx.warn(`${shrinkText}; without --allow-removals the update would be refused`);

  const manifest = buildManifest(
    seed,
    [litellm, genai].map((d) => ({ name: d.name, file: basename(d.file), sha256: d.sha256 })),
    new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  );
  if (!opts.dryRun) {
    try {
      // All files or none: the manifest and the provider files it lists must agree, so a
      // failure halfway leaves the previous catalogue exactly as it was.
      const files = seed.files.map((f) => ({ name: `${f.provider}.json`, text: stringifyProviderFile(f) }));
      const written = new Set([...files.map((f) => f.name), 'manifest.json']);
      // A provider file of the previous catalogue that this one no longer has goes; nothing
      // else in the folder is touched (the datasets it was built from may be kept there).
      const stale = previousProviders(out).map((id) => `${id}.json`).filter((name) => !written.has(name));
      replaceFolderFiles(out, [...files, { name: 'manifest.json', text: stringifyManifest(manifest) }], stale);
    } catch (cause) {
      // A failed rename names the temporary file as its path and the catalogue file as its dest.
      const { code, path: source, dest } = cause as NodeJS.ErrnoException & { dest?: string };
      const path = dest ?? source;
      throw new LlmfinError(`cannot write the catalogue to ${out}${path !== undefined ? ` (${code ?? 'error'} on ${path})` : ` (${code ?? String(cause)})`}; nothing was changed there`, {
        hint: 'choose another folder with --out',
      });
    }
  }
  // The catalogue llmfin reads: pricing.catalogue in llmfin.yaml wins over the data directory.
  const { path: configPath } = await ctx.config();
  const pinned = await ctx.pinnedCatalogueDir();
  const inUse = pinned ?? userCatalogueDir(ctx.io.env);
  const usedAutomatically = resolve(out) === resolve(inUse);
  const json = {
    version: manifest.version,
    previous_version: previousVersion,
    dry_run: opts.dryRun ?? false,
    out: opts.dryRun ? null : out,
    /** Whether llmfin prices with the folder written (pricing.catalogue in llmfin.yaml wins over the data directory). */
    used: !opts.dryRun && usedAutomatically,
    sources: [litellm, genai].map((d) => ({ name: d.name, file: d.file, as_of: d.asOf, bundled: d.bundled })),
    models: seed.report.models,
    per_provider: seed.report.perProvider,
    added,
    removed,
    changed,
    warnings: seed.report.warnings,
  };
  for (const warning of goingBack([litellm, genai], previousSources)) ctx.warn(warning);
  if (unreadable !== undefined) ctx.warn(`the catalogue being replaced could not be read (${unreadable}); every model is listed as added`);
  const sample = (list: string[]) => (list.length === 0 ? '' : `: ${list.slice(0, 8).join(', ')}${list.length > 8 ? `, … (${list.length - 8} more)` : ''}`);
  const lines = [
    `${ctx.chalk.bold(`price catalogue ${manifest.version}`)} (was ${previousVersion ?? 'unreadable'}) from:`,
    ...json.sources.map((s) => `  ${s.name.padEnd(13)} as of ${s.as_of}  ${s.bundled ? ctx.chalk.dim('(bundled copy)') : s.file}`),
    `  ${countNoun(seed.report.models, 'model')} across ${countNoun(seed.files.length, 'provider')} · ${countNoun(seed.report.warnings.length, 'seed warning')} (see --format json)`,
    `  added ${added.length}${sample(added)}`,
    `  changed ${changed.length}${sample(changed)}`,
    `  removed ${removed.length}${sample(removed)}`,
    '',
    opts.dryRun
      ? 'dry run: nothing written'
      : `${ctx.chalk.green('✓')} written to ${out}${
          usedAutomatically
            ? ' — llmfin uses it from now on'
            : pinned !== undefined
              ? ` — not used: ${configPath ?? 'llmfin.yaml'} sets pricing.catalogue: ${pinned}, which wins; point it here, or update that folder with --out ${pinned}`
              : ` — set pricing.catalogue: ${out} in llmfin.yaml to use it`
        }`,
  ];
  if (!opts.dryRun && existsSync(join(out, 'manifest.json'))) lines.push(ctx.chalk.dim('  rows already in a ledger keep the price they were imported with (price_ref on each row); `llmfin pricing reprice` prices them again'));
  // CSV is for a spreadsheet or a script: one line per model the update adds, changes or removes.
  const changes: Table = {
    columns: [
      { key: 'change', header: 'change' },
      { key: 'model', header: 'model' },
    ],
    rows: [...added.map((model) => ({ change: 'added', model })), ...changed.map((model) => ({ change: 'changed', model })), ...removed.map((model) => ({ change: 'removed', model }))],
  };
  emit(ctx, { json, table: ctx.globals.format === 'csv' ? changes : lines.join('\n') });
}

/**
 * Where a dataset takes the catalogue back to older prices than those in use: a file given
 * that is older than the one the catalogue was built from, or a dataset not given, taken
 * from the bundled copy, when the catalogue in use was built from another file of it (an
 * earlier `pricing update`), whose models and dated price changes would otherwise be undone
 * with only a line in the changed list to say so.
 */
function goingBack(datasets: readonly Dataset[], previous: ReadonlyArray<{ name: string; file: string; sha256: string; as_of: string }>): string[] {
  const warnings: string[] = [];
  for (const d of datasets) {
    const was = previous.find((s) => s.name === d.name);
    if (!was || was.sha256 === d.sha256) continue;
    if (d.bundled) {
      warnings.push(
        `${d.name}: the catalogue in use was built from ${was.file} (as of ${was.as_of}); not given now, ${d.name} comes from the bundled copy (as of ${d.asOf}) and the prices ${was.file} brought go back — give it again to keep them`,
      );
    } else if (d.asOf < was.as_of) {
      warnings.push(`${d.name}: ${d.file} is as of ${d.asOf}, older than the ${was.file} (as of ${was.as_of}) the catalogue in use was built from: prices and models added since go back`);
    }
  }
  return warnings;
}

/**
 * --out must be a folder that is new, empty or a catalogue written before (it has a
 * manifest.json): the catalogue replaces the .json files there, and a folder holding
 * anything else (a project's package.json, the dataset just downloaded) is not llmfin's
 * to overwrite or clear.
 */
function checkOutDir(given: string, dir: string, inputs: readonly string[]): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out: "${given}" is a file; give a folder for the catalogue`, { option: '--out' });
  if (existsSync(join(dir, 'manifest.json'))) return;
  // The datasets being read may sit in the folder: they stay, beside the catalogue.
  const entries = readdirSync(dir).filter((f) => !inputs.includes(join(dir, f)));
  if (entries.length === 0) return;
  throw new UsageError(`--out: "${given}" already holds files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) and is not a price catalogue (no manifest.json); the catalogue's files would replace them`, {
    option: '--out',
    hint: 'give a new or empty folder, or one that `llmfin pricing update` wrote before',
  });
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The provider files the catalogue already in `dir` lists (none when it has no readable manifest). */
function previousProviders(dir: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { providers?: unknown };
    if (!Array.isArray(manifest.providers)) return [];
    return manifest.providers.filter((id): id is string => typeof id === 'string' && /^[a-z0-9][a-z0-9_.-]*$/i.test(id) && existsSync(join(dir, `${id}.json`)));
  } catch {
    return [];
  }
}
