#!/usr/bin/env node
// Build step after tsc: bundles kysely (about 280 ESM files) into one file under
// dist/vendor/ and points dist's imports at it. Loading hundreds of small modules was the
// largest part of every command's start-up (~130 ms of ~250 ms on this project's machines);
// one file loads in a fraction of that. Source and tests still import the package itself.
// Without esbuild (an install that skipped dev dependencies) dist keeps importing the
// package: slower to start, same behaviour.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const vendor = join(dist, 'vendor', 'kysely.js');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('bundle-vendor: esbuild not installed; dist imports kysely from node_modules');
  process.exit(0);
}

await esbuild.build({
  entryPoints: [join(root, 'node_modules', 'kysely', 'dist', 'esm', 'index.js')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: vendor,
  logLevel: 'warning',
  legalComments: 'inline',
});

function* jsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== dirname(vendor)) yield* jsFiles(path);
    } else if (name.endsWith('.js')) yield path;
  }
}

let rewritten = 0;
for (const file of jsFiles(dist)) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes("from 'kysely'") && !text.includes('from "kysely"')) continue;
  let spec = relative(dirname(file), vendor).split(sep).join('/');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  writeFileSync(file, text.replace(/from (['"])kysely\1/g, `from '${spec}'`));
  rewritten++;
}
console.error(`bundle-vendor: kysely bundled into dist/vendor/kysely.js, ${rewritten} files pointed at it`);
