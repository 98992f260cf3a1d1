import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../helpers/cli.js';

// A newer LiteLLM file: the bundled one plus a model the catalogue does not know yet.
function newerLitellm(dir: string): string {
  const data = JSON.parse(readFileSync(new URL('../../pricing/sources/model_prices_and_context_window.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  data['gpt-9'] = { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, cache_read_input_token_cost: 1e-7, litellm_provider: 'openai', mode: 'chat' };
  const file = join(dir, 'model_prices_and_context_window.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('llmfin pricing update', () => {
  it('--dry-run reports the models a newer file adds, and writes nothing', async () => {
    const cwd = tempDir();
    const file = newerLitellm(cwd);
    const r = await runCli(['pricing', 'update', file, '--dry-run', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { added: string[]; removed: string[]; dry_run: boolean; sources: Array<{ name: string; bundled: boolean }> };
    expect(json.added).toEqual(['openai/gpt-9']);
    expect(json.removed).toEqual([]);
    // Every other model is as the bundled catalogue has it: nothing is reported as changed.
    expect((json as unknown as { changed: string[] }).changed).toEqual([]);
    expect(json.sources).toEqual([
      expect.objectContaining({ name: 'litellm', bundled: false }),
      expect.objectContaining({ name: 'genai-prices', bundled: true }),
    ]);
    expect(existsSync(join(cwd, '.data', 'llmfin', 'pricing'))).toBe(false);
    // Not yet priceable: the update was a dry run.
    expect((await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1'], { cwd })).code).toBe(2);
    // CSV, for a script: one line per model added, changed or removed, not the text summary.
    const csv = await runCli(['pricing', 'update', file, '--dry-run', '--format', 'csv'], { cwd });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe('change,model\nadded,openai/gpt-9\n');
  });

  it('refuses a partial dataset that would drop over a quarter of the models priced now, unless --allow-removals', async () => {
    const cwd = tempDir();
    // A trimmed LiteLLM file: its first 100 entries only.
    const data = JSON.parse(readFileSync(new URL('../../pricing/sources/model_prices_and_context_window.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const file = join(cwd, 'trimmed.json');
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(data).slice(0, 100))));
    const dataDir = join(cwd, '.data', 'llmfin', 'pricing');

    const refused = await runCli(['pricing', 'update', file], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pricing update: it drops \d+ of the \d+ models priced now \(.+, …\): the dataset looks partial; nothing was written/);
    expect(refused.stderr).toContain('--allow-removals');
    expect(existsSync(dataDir)).toBe(false);

    const preview = await runCli(['pricing', 'update', file, '--dry-run', '--format', 'json'], { cwd });
    expect(preview.code).toBe(0);
    const { removed } = JSON.parse(preview.stdout) as { removed: string[] };
    expect(preview.stderr).toContain(`warning: it drops ${removed.length} of the `);
    expect(preview.stderr).toContain('without --allow-removals the update would be refused');

    const forced = await runCli(['pricing', 'update', file, '--allow-removals'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(dataDir, 'manifest.json'))).toBe(true);
  });

  it('writes to the data directory, after which the new model is priced', async () => {
    const cwd = tempDir();
    const r = await runCli(['pricing', 'update', newerLitellm(cwd)], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('llmfin uses it from now on');
    // 1M×1 + 1M×2
    const cost = await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1000000', '--output', '1000000', '--format', 'json'], { cwd });
    expect(JSON.parse(cost.stdout).cost_usd_exact).toBe('3');
    // Everything else still prices as before (worked example 1).
    const old = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '2006', '--cache-read', '1920', '--output', '300', '--format', 'json'], { cwd });
    expect(JSON.parse(old.stdout).cost_usd_exact).toBe('0.005615');
  });

  it('--out writes elsewhere, used through pricing.catalogue in llmfin.yaml', async () => {
    const cwd = tempDir();
    expect((await runCli(['pricing', 'update', newerLitellm(cwd), '--out', 'catalogue'], { cwd })).code).toBe(0);
    expect((await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1'], { cwd })).code).toBe(2);
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  catalogue: ./catalogue\n');
    expect((await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1'], { cwd })).code).toBe(0);
  });

  it('the bundled datasets themselves change nothing (models compared as written, not in build order)', async () => {
    const cwd = tempDir();
    const file = new URL('../../pricing/sources/model_prices_and_context_window.json', import.meta.url).pathname;
    const json = JSON.parse((await runCli(['pricing', 'update', file, '--dry-run', '--format', 'json'], { cwd })).stdout) as { added: string[]; removed: string[]; changed: string[] };
    expect(json).toMatchObject({ added: [], removed: [], changed: [] });
  });

  it('--out refuses a folder that holds other files, and deletes none of them', async () => {
    const cwd = tempDir();
    const file = newerLitellm(cwd);
    writeFileSync(join(cwd, 'package.json'), '{"name":"app"}\n');
    const r = await runCli(['pricing', 'update', file, '--out', '.'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out: "." already holds files (');
    expect(r.stderr).toContain('not a price catalogue (no manifest.json)');
    expect(readdirSync(cwd).sort()).toEqual(['model_prices_and_context_window.json', 'package.json']);
    expect(readFileSync(join(cwd, 'package.json'), 'utf8')).toBe('{"name":"app"}\n');
    // A file is not a folder.
    const onFile = await runCli(['pricing', 'update', file, '--out', 'package.json'], { cwd });
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain('--out: "package.json" is a file');
  });

  it('--out into a catalogue written before replaces it, keeping a dataset stored there, which the catalogue ignores', async () => {
    const cwd = tempDir();
    expect((await runCli(['pricing', 'update', newerLitellm(cwd), '--out', 'catalogue'], { cwd })).code).toBe(0);
    // A provider the previous catalogue listed and the new one has not goes; the dataset
    // given, kept there, and any other file stay.
    const dir = join(cwd, 'catalogue');
    const file = newerLitellm(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { providers: string[] };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, providers: [...manifest.providers, 'gone'] }));
    writeFileSync(join(dir, 'gone.json'), '{}');
    writeFileSync(join(dir, 'notes.json'), '{"mine": true}');
    expect((await runCli(['pricing', 'update', file, '--out', 'catalogue', '--format', 'json'], { cwd })).code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain('model_prices_and_context_window.json');
    expect(files).toContain('notes.json');
    expect(files).toContain('openai.json');
    expect(files).not.toContain('gone.json');
    // The catalogue is read from its manifest's providers: the other .json files do not break it. 1M×1 + 1M×2
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  catalogue: ./catalogue\n');
    const cost = await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1000000', '--output', '1000000', '--format', 'json'], { cwd });
    expect(cost.code, cost.stderr).toBe(0);
    expect(JSON.parse(cost.stdout).cost_usd_exact).toBe('3');
  });

  it('--out may be the folder the dataset was downloaded to, when it holds nothing else', async () => {
    const cwd = tempDir();
    const file = newerLitellm(cwd);
    const r = await runCli(['pricing', 'update', file, '--out', '.'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual(expect.arrayContaining(['model_prices_and_context_window.json', 'manifest.json', 'openai.json']));
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  catalogue: .\n');
    expect((await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1'], { cwd })).code).toBe(0);
  });

  it('a broken catalogue in the data directory is rebuilt by pricing update, which other commands point at', async () => {
    const cwd = tempDir();
    const file = newerLitellm(cwd);
    expect((await runCli(['pricing', 'update', file], { cwd })).code).toBe(0);
    // An interrupted write or a hand edit leaves a file that is not JSON.
    const manifest = join(cwd, '.data', 'llmfin', 'pricing', 'manifest.json');
    writeFileSync(manifest, '{broken');
    const cost = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1'], { cwd });
    expect(cost.code).toBe(2);
    expect(cost.stderr).toContain(`${manifest}:1: expected valid JSON, got expected property name or '}' at column 2`);
    expect(cost.stderr).toContain('hint: fix it there, or rebuild the catalogue with `llmfin pricing update FILE`');
    const r = await runCli(['pricing', 'update', file, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: the catalogue being replaced could not be read');
    expect(JSON.parse(r.stdout)).toMatchObject({ previous_version: null, removed: [], changed: [] });
    // 1M×1 + 1M×2, from the rebuilt catalogue.
    const after = await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1000000', '--output', '1000000', '--format', 'json'], { cwd });
    expect(JSON.parse(after.stdout).cost_usd_exact).toBe('3');
  });

  it('a broken llmfin.yaml still stops pricing update', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  nosuch: 1\n');
    const r = await runCli(['pricing', 'update', newerLitellm(cwd), '--dry-run'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin.yaml');
  });

  it('with pricing.catalogue set in llmfin.yaml, an update of the data directory says it is not the catalogue in use', async () => {
    const cwd = tempDir();
    const file = newerLitellm(cwd);
    expect((await runCli(['pricing', 'update', file, '--out', 'team-catalogue'], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  catalogue: ./team-catalogue\n');
    const r = await runCli(['pricing', 'update', file], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('llmfin uses it from now on');
    expect(r.stdout).toContain(`not used: ${join(cwd, 'llmfin.yaml')} sets pricing.catalogue: ${join(cwd, 'team-catalogue')}, which wins`);
    expect(JSON.parse((await runCli(['pricing', 'update', file, '--format', 'json'], { cwd })).stdout)).toMatchObject({ used: false });
    // Updating the folder the config names is used.
    const pinned = await runCli(['pricing', 'update', file, '--out', 'team-catalogue', '--format', 'json'], { cwd });
    expect(JSON.parse(pinned.stdout)).toMatchObject({ used: true, out: join(cwd, 'team-catalogue') });
  });

  it('a file that is not a price dataset is exit 2 naming it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'x.json'), '{"hello": 1}');
    const r = await runCli(['pricing', 'update', 'x.json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(cwd, 'x.json')}: neither a LiteLLM cost map`);
    writeFileSync(join(cwd, 'y.json'), '{"broken": ');
    expect((await runCli(['pricing', 'update', 'y.json'], { cwd })).stderr).toContain(`${join(cwd, 'y.json')}:1: expected valid JSON`);
  });
});

describe('llmfin pricing update: a ~ the shell left', () => {
  it('reads --out=~/… and a quoted ~/file as the home folder, not a folder named "~"', async () => {
    const cwd = tempDir();
    const home = tempDir();
    newerLitellm(home);
    const r = await runCli(['pricing', 'update', '~/model_prices_and_context_window.json', '--out=~/catalogue', '--format', 'json'], { cwd, env: { HOME: home } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: ['openai/gpt-9'], out: join(home, 'catalogue') });
    expect(existsSync(join(home, 'catalogue', 'manifest.json'))).toBe(true);
    expect(existsSync(join(cwd, '~'))).toBe(false);
  });
});

describe('llmfin pricing update: a price that is not a price', () => {
  it('refuses a LiteLLM entry whose price is text, exit 2 naming the entry, rather than pricing its input at $0', async () => {
    const cwd = tempDir();
    const data = JSON.parse(readFileSync(new URL('../../pricing/sources/model_prices_and_context_window.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
    const key = 'fireworks_ai/accounts/fireworks/models/chronos-hermes-13b-v2';
    data[key]!.input_cost_per_token = '2e-07';
    writeFileSync(join(cwd, 'litellm.json'), JSON.stringify(data));
    const r = await runCli(['pricing', 'update', 'litellm.json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(cwd, 'litellm.json')}: litellm entry "${key}": input_cost_per_token: expected a price (a number >= 0), got "2e-07"; nothing was written`);
    expect(existsSync(join(cwd, '.data', 'llmfin', 'pricing'))).toBe(false);
  });

  it('refuses a genai-prices model with a null price, exit 2 naming it, not an internal error', async () => {
    const cwd = tempDir();
    const data = JSON.parse(readFileSync(new URL('../../pricing/sources/genai-prices-v2-data.json', import.meta.url), 'utf8')) as Array<{ id: string; models: Array<{ id: string; prices: Record<string, unknown> }> }>;
    data.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-4o')!.prices.input_mtok = null;
    writeFileSync(join(cwd, 'data.json'), JSON.stringify(data));
    const r = await runCli(['pricing', 'update', 'data.json', '--dry-run'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('genai-prices entry "openai/gpt-4o": prices.input_mtok: expected a price (a number >= 0), got null');
  });
});

describe('llmfin pricing list / show', () => {
  it('lists a provider with rates as numbers in USD per 1M tokens, a rate the model lacks as null', async () => {
    const r = await runCli(['pricing', 'list', '--provider', 'anthropic', '--search', 'sonnet-4-5', '--at', '2026-10-01', '--format', 'json']);
    const json = JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>> };
    expect(json.rows).toContainEqual(
      expect.objectContaining({ provider: 'anthropic', model: 'claude-sonnet-4-5', input_usd_per_1m: 3, output_usd_per_1m: 15, cache_read_usd_per_1m: 0.3, cache_write_5m_usd_per_1m: 3.75, cache_write_1h_usd_per_1m: 6, long_context_above: 200000 }),
    );
    const openai = JSON.parse((await runCli(['pricing', 'list', '--provider', 'openai', '--search', 'gpt-4o-mini', '--at', '2026-10-01', '--format', 'json'])).stdout) as { rows: Array<Record<string, unknown>> };
    // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out; OpenAI sells no cache writes.
    expect(openai.rows.find((r) => r.model === 'gpt-4o-mini')).toMatchObject({ input_usd_per_1m: 0.15, cache_read_usd_per_1m: 0.075, output_usd_per_1m: 0.6, cache_write_5m_usd_per_1m: null, cache_write_1h_usd_per_1m: null });
  });
  it('--search finds a model by any id it is matched by: dotted spellings, dated snapshots, aliases', async () => {
    const models = async (search: string, provider = 'anthropic') =>
      ((JSON.parse((await runCli(['pricing', 'list', '--provider', provider, '--search', search, '--format', 'json'])).stdout) as { rows: Array<{ model: string }> }).rows).map((r) => r.model);
    expect(await models('sonnet-4.5')).toEqual(['claude-sonnet-4-5']);
    expect(await models('claude-sonnet-4-5-20250929')).toEqual(['claude-sonnet-4-5']);
    expect(await models('mistral-large-latest', 'mistral')).toContain('mistral-large-2512');
  });
  it('an unknown provider lists the known ones', async () => {
    const r = await runCli(['pricing', 'list', '--provider', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown provider "nope" \(known: .*openai.*anthropic/);
  });
  it('show explains how an id was matched and lists both Bedrock offerings', async () => {
    const r = await runCli(['pricing', 'show', 'global.anthropic.claude-sonnet-4-6-v1:0', '--format', 'json']);
    const json = JSON.parse(r.stdout) as { provider: string; selected_offering: string; model: { id: string; offerings: Array<{ scope: string }> } };
    expect(json.provider).toBe('bedrock');
    expect(json.selected_offering).toBe('global');
    expect(json.model.offerings.map((o) => o.scope)).toEqual(['regional', 'global']);
    const text = await runCli(['pricing', 'show', 'claude-sonnet-4-5']);
    expect(text.stdout).toContain('input > 200000: input 6');
  });
});

describe('llmfin pricing update writes the catalogue all or nothing', () => {
  const bundledLitellm = fileURLToPath(new URL('../../pricing/sources/model_prices_and_context_window.json', import.meta.url));
  /** Every entry under `dir` with its bytes (directories as "<dir>"), to compare a folder before and after. */
  function snapshot(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      out[name] = statSync(path).isDirectory() ? `<dir>${JSON.stringify(snapshot(path))}` : readFileSync(path, 'utf8');
    }
    return out;
  }

  it('a catalogue file that cannot be replaced midway leaves every file as it was, and no temporary file', async () => {
    const cwd = tempDir();
    expect((await runCli(['pricing', 'update', bundledLitellm, '--out', 'catalogue'], { cwd })).code).toBe(0);
    const dir = join(cwd, 'catalogue');
    const { providers } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { providers: string[] };
    // The files are replaced in the manifest's order: openai's (changed by the newer
    // dataset) before the last provider's, where a directory now stands. Root may write
    // anywhere, so the failure is a real rename of a file over a non-empty directory.
    const last = providers.at(-1)!;
    expect(providers.indexOf('openai')).toBeLessThan(providers.length - 1);
    rmSync(join(dir, `${last}.json`));
    mkdirSync(join(dir, `${last}.json`));
    writeFileSync(join(dir, `${last}.json`, 'keep'), 'x');
    const before = snapshot(dir);

    const r = await runCli(['pricing', 'update', newerLitellm(cwd), '--out', 'catalogue'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write the catalogue to ${dir} (`);
    expect(r.stderr).toContain(`${join(dir, `${last}.json`)}); nothing was changed there`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // openai.json was renamed into place before the failure and is put back: byte for byte.
    expect(snapshot(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'openai.json'), 'utf8')).not.toContain('gpt-9');
  });

  it('when the update then succeeds, every file is the new catalogue', async () => {
    const cwd = tempDir();
    expect((await runCli(['pricing', 'update', bundledLitellm, '--out', 'catalogue'], { cwd })).code).toBe(0);
    const r = await runCli(['pricing', 'update', newerLitellm(cwd), '--out', 'catalogue', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const dir = join(cwd, 'catalogue');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readFileSync(join(dir, 'openai.json'), 'utf8')).toContain('gpt-9');
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).version).toBe(JSON.parse(r.stdout).version);
  });
});

describe('llmfin pricing update: a dataset that takes prices back', () => {
  const bundledGenai = new URL('../../pricing/sources/genai-prices-v2-data.json', import.meta.url);

  /** The bundled genai-prices feed with gpt-4o-mini doubling from 2026-10-15 ($0.15 → $0.30 input per 1M). */
  function genaiWithPriceChange(dir: string, name = 'data.json'): string {
    const data = JSON.parse(readFileSync(bundledGenai, 'utf8')) as Array<{ id: string; models: Array<{ id: string; prices: unknown }> }>;
    const model = data.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-4o-mini')!;
    model.prices = [{ prices: model.prices }, { constraint: { start_date: '2026-10-15' }, prices: { input_mtok: 0.3, cache_read_mtok: 0.15, output_mtok: 1.2 } }];
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(data));
    return file;
  }
  const miniCost = async (cwd: string) =>
    JSON.parse((await runCli(['pricing', 'cost', '--model', 'gpt-4o-mini', '--input', '1000000', '--at', '2026-11-01', '--format', 'json'], { cwd })).stdout).cost_usd_exact as string;

  it('warns when the dataset not given comes from the bundled copy and undoes the one an earlier update brought', async () => {
    const cwd = tempDir();
    const first = await runCli(['pricing', 'update', genaiWithPriceChange(cwd)], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(await miniCost(cwd)).toBe('0.3');

    // A LiteLLM update alone: genai-prices comes from the bundled copy, without the change.
    const r = await runCli(['pricing', 'update', newerLitellm(cwd), '--dry-run', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changed).toEqual(['openai/gpt-4o-mini']);
    expect(r.stderr).toContain(
      'warning: genai-prices: the catalogue in use was built from data.json (as of ' +
        `${new Date().toISOString().slice(0, 10)}); not given now, genai-prices comes from the bundled copy (as of 2026-08-21) and the prices data.json brought go back — give it again to keep them`,
    );
    // Given again, nothing goes back and nothing is said.
    const both = await runCli(['pricing', 'update', newerLitellm(cwd), join(cwd, 'data.json'), '--dry-run', '--format', 'json'], { cwd });
    expect(both.code, both.stderr).toBe(0);
    expect(JSON.parse(both.stdout).changed).toEqual([]);
    expect(both.stderr).toBe('');
  });

  it('warns when a file given is older than the one the catalogue in use was built from', async () => {
    const cwd = tempDir();
    expect((await runCli(['pricing', 'update', genaiWithPriceChange(cwd)], { cwd })).code).toBe(0);
    // An older copy of the feed (last modified in January), without the change; written
    // again, so that it is not byte for byte the bundled copy, which has a date of its own.
    const old = join(cwd, 'old-data.json');
    writeFileSync(old, JSON.stringify(JSON.parse(readFileSync(bundledGenai, 'utf8'))));
    utimesSync(old, new Date('2026-01-10T00:00:00Z'), new Date('2026-01-10T00:00:00Z'));
    const r = await runCli(['pricing', 'update', old], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: genai-prices: ${old} is as of 2026-01-10, older than the data.json (as of ${new Date().toISOString().slice(0, 10)}) the catalogue in use was built from: prices and models added since go back`,
    );
    expect(await miniCost(cwd)).toBe('0.15');
  });
});
