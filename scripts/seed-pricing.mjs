#!/usr/bin/env node
/**
 * Regenerates the price catalogue in `pricing/` from the two public datasets.
 *
 *   node scripts/seed-pricing.mjs [--litellm FILE] [--genai FILE] [--out DIR]
 *                                 [--litellm-date YYYY-MM-DD] [--genai-date YYYY-MM-DD]
 *
 * Defaults: pricing/sources/{model_prices_and_context_window.json,
 * genai-prices-v2-data.json} relative to the repository, output in `pricing/`. Either
 * dataset may be given alone (`--genai none` skips one). Dataset dates come from the
 * flags, else from the file itself (the LiteLLM mirror's `last_updated`), else from a
 * SOURCE.md beside the file, else from the file's modification time; the catalogue
 * version is the newest date plus ".1".
 *
 * It runs the COMPILED seed (dist/pricing/seed), so build first:
 *   npx tsc -p tsconfig.build.json && node scripts/seed-pricing.mjs
 * Output is deterministic except `generated_at` in the manifest, which is kept when
 * nothing else in the manifest changed, so reruns on the same inputs change no bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const referenceDir = resolve(repo, 'pricing/sources');

function parseArgs(argv) {
  const opts = {
    litellm: join(referenceDir, 'model_prices_and_context_window.json'),
    genai: join(referenceDir, 'genai-prices-v2-data.json'),
    out: join(repo, 'pricing'),
    litellmDate: undefined,
    genaiDate: undefined,
  };
  const names = { '--litellm': 'litellm', '--genai': 'genai', '--out': 'out', '--litellm-date': 'litellmDate', '--genai-date': 'genaiDate' };
  for (let i = 0; i < argv.length; i++) {
    const name = names[argv[i]];
    if (!name || argv[i + 1] === undefined) {
      console.error(`usage: node scripts/seed-pricing.mjs [--litellm FILE] [--genai FILE] [--out DIR] [--litellm-date D] [--genai-date D]\nunknown or incomplete option: ${argv[i]}`);
      process.exit(2);
    }
    opts[name] = argv[++i];
  }
  return opts;
}

/** Date of a dataset from SOURCE.md beside it ("upstream content as of: 2026-07-24…", "Commit: … (2026-08-21 …)"). */
function dateFromSourceMd(file) {
  const md = join(dirname(file), 'SOURCE.md');
  if (!existsSync(md)) return undefined;
  const text = readFileSync(md, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith(basename(file)));
  if (!section) return undefined;
  const m = /as of:\s*(\d{4}-\d{2}-\d{2})/.exec(section) ?? /Commit:[^\n]*\((\d{4}-\d{2}-\d{2})/.exec(section);
  return m?.[1];
}

function load(file, flagDate) {
  if (!file || file === 'none') return undefined;
  const bytes = readFileSync(file);
  const json = JSON.parse(bytes.toString('utf8'));
  const inFile = !Array.isArray(json) && typeof json?.last_updated === 'string' ? json.last_updated.slice(0, 10) : undefined;
  const date = flagDate ?? inFile ?? dateFromSourceMd(file) ?? statSync(file).mtime.toISOString().slice(0, 10);
  return { file, json, date, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const opts = parseArgs(process.argv.slice(2));
const seedModule = join(repo, 'dist/pricing/seed/seed-catalogue.js');
const serialiseModule = join(repo, 'dist/pricing/seed/serialise-catalogue.js');
if (!existsSync(seedModule)) {
  console.error('dist/pricing/seed is missing: run `npx tsc -p tsconfig.build.json` first');
  process.exit(2);
}
const { seedCatalogue, detectDataset, buildManifest } = await import(seedModule);
const { stringifyProviderFile, stringifyManifest } = await import(serialiseModule);

const inputs = [load(opts.litellm, opts.litellmDate), load(opts.genai, opts.genaiDate)].filter(Boolean);
const byName = {};
for (const i of inputs) {
  const name = detectDataset(i.json);
  if (!name) {
    console.error(`${i.file}: neither a LiteLLM cost map nor a genai-prices v2 feed`);
    process.exit(2);
  }
  byName[name] = { ...i, name };
}
const seed = seedCatalogue({
  litellm: byName.litellm?.json,
  genaiPrices: byName['genai-prices']?.json,
  litellmAsOf: byName.litellm?.date,
  genaiAsOf: byName['genai-prices']?.date,
});

mkdirSync(opts.out, { recursive: true });
const written = new Set(['manifest.json']);
for (const file of seed.files) {
  const name = `${file.provider}.json`;
  writeFileSync(join(opts.out, name), stringifyProviderFile(file));
  written.add(name);
}
// Provider files from an older run that this run no longer produces.
for (const f of readdirSync(opts.out)) {
  if (f.endsWith('.json') && !written.has(f)) {
    unlinkSync(join(opts.out, f));
    console.log(`removed stale ${f}`);
  }
}

const manifestInputs = Object.values(byName).map((i) => ({
  name: i.name,
  file: basename(i.file),
  sha256: i.sha256,
}));
const manifestPath = join(opts.out, 'manifest.json');
let manifest = buildManifest(seed, manifestInputs, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
if (existsSync(manifestPath)) {
  const previous = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const same = stringifyManifest({ ...manifest, generated_at: previous.generated_at }) === readFileSync(manifestPath, 'utf8');
  if (same) manifest = { ...manifest, generated_at: previous.generated_at };
}
writeFileSync(manifestPath, stringifyManifest(manifest));

console.log(`price catalogue ${seed.manifest.version} → ${opts.out}`);
for (const s of manifest.sources) console.log(`  source ${s.name} as of ${s.as_of} (${s.file}, sha256 ${s.sha256.slice(0, 12)}…)`);
console.log(`  ${seed.report.models} models, ${seed.report.aliases} aliases`);
for (const [provider, n] of Object.entries(seed.report.perProvider)) console.log(`    ${provider.padEnd(11)} ${n}`);
console.log('  skipped entries:');
for (const [why, n] of Object.entries(seed.report.skipped)) console.log(`    ${String(n).padStart(5)}  ${why}`);
console.log(`  ${seed.report.warnings.length} warnings:`);
for (const w of seed.report.warnings) console.log(`    - ${w}`);
