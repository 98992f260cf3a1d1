#!/usr/bin/env node
// Build step after tsc: bundles the packages that are hundreds of small modules into a
// few files under dist/vendor/ and points dist's imports at them. Source and tests still
// import the packages themselves.
// - kysely (~280 ESM files): loading them one by one was the largest part of every
//   command's start-up (~130 ms of ~250 ms on this project's machines).
// - zod (~95 ESM files with their source kept in memory): one minified file costs the
//   dashboard ~1.5 MB less RSS; start-up is unchanged.
// - ink, react and react/jsx-runtime (with react-reconciler, scheduler, yoga and Ink's
//   ~60 helper packages), for `llmfin top`: minified, production React only, one shared
//   React. V8 keeps every module's source text and compiled code; as separate packages,
//   with React's development builds parsed beside the production ones, they cost a
//   one-line Ink app ~49 MB of private memory, bundled ~26 MB (measured in tmux), and the
//   dashboard has an RSS target (issue 8).
// - undici (~80 CommonJS files) for the proxy: one minified file, ~7 MB less RSS; and its
//   Pool alone, which is all the proxy's forwarding imports (~2 MB less heap again).
// - yaml (~85 CommonJS files) and commander (~10), which every command loads: one
//   minified file each instead of a module record, wrapper and kept source per file
//   (the dashboard's heap keeps all of them for its whole life).
// Without esbuild (an install that skipped dev dependencies) dist keeps importing the
// packages: slower to start and larger, same behaviour.
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const vendorDir = join(dist, 'vendor');
const require = createRequire(join(root, 'package.json'));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('bundle-vendor: esbuild not installed; dist imports its packages from node_modules');
  process.exit(0);
}

rmSync(vendorDir, { recursive: true, force: true });

// kysely and zod are ESM: one minified file each.
for (const name of ['kysely', 'zod']) {
  await esbuild.build({
    stdin: { contents: `export * from '${name}';\n`, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    outfile: join(vendorDir, `${name}.js`),
    logLevel: 'warning',
    legalComments: 'eof',
  });
}

// React is CommonJS: an ESM entry cannot `export *` from it, so each entry names the
// exports the production build has.
process.env.NODE_ENV = 'production';
const named = (id) => Object.keys(require(id)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
const entries = join(dist, '.vendor-entries');
/**
 * An esbuild plugin that patches one dependency file as it is bundled: `find` must occur
 * exactly once and becomes `replace` (and `requires`, what the replacement relies on, must
 * be there too), and `name` is imported from dist's `module` (a fast path with its own tests). If an update changed the file, it is bundled as published
 * and this says so — the install never fails over a speed-up.
 */
function sourcePatch({ label, filter, find, replace, requires = '', name, module }) {
  return {
    name: label,
    setup(build) {
      build.onLoad({ filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (text.split(find).length !== 2 || !text.includes(requires)) {
          console.error(`bundle-vendor: ${relative(root, args.path)} changed; bundled without the ${label}`);
          return { contents: text, loader: 'js' };
        }
        const from = JSON.stringify(join(dist, module));
        return { contents: `import { ${name} } from ${from};\n${text.replace(find, replace)}`, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
// Ink's frame output diffs the escape codes of every pair of neighbouring cells; a cell
// styled like the one before needs no diff (tested against the real diff).
const DIFF_CALL = 'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));';
const sameStylesFastPath = sourcePatch({
  label: 'same-styles fast path',
  filter: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
  find: DIFF_CALL,
  replace: `if (!sameStyles(chars[i - 1].styles, char.styles)) ${DIFF_CALL}`,
  name: 'sameStyles',
  module: 'tui/ink-patches/same-styles.js',
});
// string-width segments every string that is not printable ASCII; one made of narrow
// characters (·, →, █…) is as wide as it is long (tested against both versions Ink bundles).
const AFTER_EMPTY = 'if (string.length === 0) {\n\t\treturn 0;\n\t}\n';
const narrowTextFastPath = sourcePatch({
  label: 'narrow-text fast path',
  filter: /[\\/]string-width[\\/]index\.js$/,
  find: AFTER_EMPTY,
  replace: `${AFTER_EMPTY}\tif (ambiguousIsNarrow && isNarrowText(string)) {\n\t\treturn string.length;\n\t}\n`,
  requires: 'ambiguousIsNarrow = true',
  name: 'isNarrowText',
  module: 'tui/ink-patches/narrow-text.js',
});
// Ink segments every line of every frame grapheme by grapheme and copies the styles into
// each character; a line of narrow text and SGR codes is made in one pass (tested against Ink's own path).
const STYLED_CHARS_CALL = 'cached = styledCharsFromTokens(tokenize(line));';
const narrowStyledCharsFastPath = sourcePatch({
  label: 'narrow styled-characters fast path',
  filter: /[\\/]ink[\\/]build[\\/]output\.js$/,
  find: STYLED_CHARS_CALL,
  replace: 'cached = narrowStyledChars(line, tokenize, styledCharsFromTokens) ?? styledCharsFromTokens(tokenize(line));',
  name: 'narrowStyledChars',
  module: 'tui/ink-patches/narrow-styled-chars.js',
});
mkdirSync(entries, { recursive: true });
const ui = {
  ink: "export * from 'ink';\n",
  react: `import React from 'react';\nexport default React;\nexport const { ${named('react').join(', ')} } = React;\n`,
  'jsx-runtime': `import runtime from 'react/jsx-runtime';\nexport const { ${named('react/jsx-runtime').join(', ')} } = runtime;\n`,
  // CommonJS too; their Node builds (yaml's browser build warns differently).
  yaml: `import YAML from 'yaml';\nexport const { ${named('yaml').join(', ')} } = YAML;\n`,
  commander: "export * from 'commander';\n",
};
for (const [name, text] of Object.entries(ui)) writeFileSync(join(entries, `${name}.js`), text);
// Ink loads react-devtools-core only when DEV=true; it is not installed, and a bundle
// would otherwise turn that optional import into a required one.
writeFileSync(join(entries, 'no-devtools.js'), 'export default { initialize() {}, connectToDevTools() {} };\n');
await esbuild.build({
  entryPoints: Object.keys(ui).map((name) => join(entries, `${name}.js`)),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  outdir: vendorDir,
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': join(entries, 'no-devtools.js') },
  nodePaths: [join(root, 'node_modules')],
  plugins: [sameStylesFastPath, narrowTextFastPath, narrowStyledCharsFastPath],
  // Some of Ink's dependencies are CommonJS and `require` node built-ins.
  banner: { js: "import { createRequire as __llmfinRequire } from 'node:module'; const require = __llmfinRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'eof',
});
/** One minified ESM file of undici from an entry in `entries`; names kept, since undici's errors and checks read them. */
async function bundleUndici(file) {
  await esbuild.build({
    entryPoints: [join(entries, file)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    keepNames: true,
    outfile: join(vendorDir, file),
    nodePaths: [join(root, 'node_modules')],
    banner: { js: "import { createRequire as __llmfinRequire } from 'node:module'; const require = __llmfinRequire(import.meta.url);" },
    logLevel: 'warning',
    legalComments: 'eof',
  });
}
// undici (~80 CommonJS files), which budget webhooks load (and once loaded the proxy
// too): one minified file costs ~7 MB less RSS and ~120 ms less to load (measured
// importing it alone); names kept, since undici's errors and checks read them.
writeFileSync(join(entries, 'undici.js'), `import undici from 'undici';\nexport const { ${named('undici').join(', ')} } = undici;\n`);
await bundleUndici('undici.js');
// The proxy's forwarding needs undici's Pool and nothing else: the whole package (fetch,
// WebSocket, EventSource, cache stores, cookies, mocks…) is built at import and kept in the
// heap for the proxy's life, ~2 MB more than the Pool, its dispatcher API and its
// connector (measured importing each alone, after a full collection). A module that
// imports only Pool is pointed at this smaller file; anything else gets the whole
// package above. Both keep undici's global dispatcher under its own Symbol.for key.
writeFileSync(
  join(entries, 'undici-pool.js'),
  "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';\nimport api from 'undici/lib/api/index.js';\nimport Pool from 'undici/lib/dispatcher/pool.js';\nObject.assign(Dispatcher.prototype, api);\nexport { Pool };\n",
);
await bundleUndici('undici-pool.js');
rmSync(entries, { recursive: true, force: true });

const SPECIFIERS = { kysely: 'kysely.js', zod: 'zod.js', ink: 'ink.js', react: 'react.js', 'react/jsx-runtime': 'jsx-runtime.js', yaml: 'yaml.js', commander: 'commander.js', undici: 'undici.js' };
const pattern = new RegExp(`from (['"])(${Object.keys(SPECIFIERS).map((s) => s.replace('/', '\\/')).join('|')})\\1`, 'g');

function* jsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== vendorDir) yield* jsFiles(path);
    } else if (name.endsWith('.js')) yield path;
  }
}

// `import { Pool } from 'undici'` and nothing else from undici: the Pool-only file.
const poolOnly = /import \{ Pool \} from (['"])undici\1/g;
const vendorPath = (file, name) => {
  const spec = relative(dirname(file), join(vendorDir, name)).split(sep).join('/');
  return spec.startsWith('.') ? spec : `./${spec}`;
};

let rewritten = 0;
for (const file of jsFiles(dist)) {
  const text = readFileSync(file, 'utf8');
  const next = text
    .replace(poolOnly, () => `import { Pool } from '${vendorPath(file, 'undici-pool.js')}'`)
    .replace(pattern, (_, _quote, specifier) => `from '${vendorPath(file, SPECIFIERS[specifier])}'`);
  if (next === text) continue;
  writeFileSync(file, next);
  rewritten++;
}
console.error(`bundle-vendor: ${Object.keys(SPECIFIERS).join(', ')} bundled into dist/vendor/, ${rewritten} files pointed at them`);
