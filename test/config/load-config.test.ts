import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfigFile, loadConfig } from '../../src/config/load-config.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { defaultConfig } from '../../src/config/default-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { STARTER_CONFIG } from '../../src/config/starter-config.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('defaultConfig', () => {
  it('is exactly what the schema gives for an empty file', () => {
    expect(defaultConfig()).toEqual(ConfigSchema.parse({}));
  });
});

describe('parseConfigText', () => {
  it('accepts the starter config that `llmfin init` writes', () => {
    const config = parseConfigText(STARTER_CONFIG, 'llmfin.yaml');
    expect(config.proxy.host).toBe('127.0.0.1');
    expect(config.proxy.store_prompts).toBe(false);
    expect(config.pricing.discounts).toEqual([]);
  });

  it('names the line and option path of a wrong type', () => {
    const text = ['pricing:', '  discounts:', '    - provider: openai', '      percent: "ten"', ''].join('\n');
    const e = errorOf(() => parseConfigText(text, '/x/llmfin.yaml'));
    expect(e.message).toBe('llmfin.yaml:4: pricing.discounts.0.percent: expected number, got string "ten"');
    expect(e.exitCode).toBe(2);
    expect(e.line).toBe(4);
  });

  it('names an unknown option and its line', () => {
    const text = ['proxy:', '  port: 8080', '  hots: 0.0.0.0', ''].join('\n');
    const e = errorOf(() => parseConfigText(text, 'llmfin.yaml'));
    expect(e.message).toBe('llmfin.yaml:3: proxy: unknown option "hots" (did you mean "proxy.host"?)');
  });

  it('suggests the option meant: a slip of spelling, a missing unit, or the right name in the wrong section', () => {
    const message = (text: string) => errorOf(() => parseConfigText(text, 'llmfin.yaml')).message;
    expect(message('budget:\n  - name: x\n')).toBe('llmfin.yaml:1: unknown option "budget" (did you mean "budgets"?)');
    expect(message('upstreams:\n  openai: { base_url: "http://127.0.0.1:9" }\n')).toBe('llmfin.yaml:1: unknown option "upstreams" (did you mean "proxy.upstreams"?)');
    expect(message('budgets:\n  - name: x\n    limit: 5\n')).toBe('llmfin.yaml:3: budgets.0: unknown option "limit" (did you mean "budgets.0.limit_usd"?)');
    expect(message('proxy:\n  log-format: json\n')).toBe('llmfin.yaml:2: proxy: unknown option "log-format" (did you mean "proxy.log_format"?)');
    // Nothing close: no guess.
    expect(message('colour: blue\n')).toBe('llmfin.yaml:1: unknown option "colour"');
  });

  it('names an invalid enum value with the choices', () => {
    const text = ['budgets:', '  - name: b', '    limit_usd: 10', '    period: yearly', ''].join('\n');
    const e = errorOf(() => parseConfigText(text, 'llmfin.yaml'));
    expect(e.message).toMatch(/^llmfin\.yaml:4: budgets\.0\.period: expected one of "daily" \| "weekly" \| "monthly", got string "yearly"$/);
  });

  it('reports broken YAML with its line', () => {
    const e = errorOf(() => parseConfigText('pricing:\n  discounts: [\n', 'llmfin.yaml'));
    expect(e.message).toMatch(/^llmfin\.yaml:\d+: not valid YAML/);
  });

  it('rejects a top level that is not a mapping', () => {
    expect(errorOf(() => parseConfigText('- a\n- b\n', 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:1: expected a mapping of options at the top level, got a list',
    );
  });

  it('an option left empty takes its default', () => {
    const config = parseConfigText(['ledger:', '  path:', 'budgets:', 'proxy:', '  port:', '  retries:', 'routing:', ''].join('\n'), 'llmfin.yaml');
    expect(config).toEqual(defaultConfig());
  });

  it('a value left empty in a mapping of names is an error, not a dropped entry', () => {
    // Read as absent, `team:` would leave an empty scope: a budget for the whole organisation.
    const text = ['budgets:', '  - name: support', '    scope:', '      team:', '    limit_usd: 100', ''].join('\n');
    const e = errorOf(() => parseConfigText(text, 'llmfin.yaml'));
    expect(e.message).toBe('llmfin.yaml:4: budgets.0.scope.team: expected string, got nothing');
    expect(e.exitCode).toBe(2);
    const tags = ['proxy:', '  keys:', '    - key_env: LLMFIN_KEY_A', '      tags: { team: }', ''].join('\n');
    expect(errorOf(() => parseConfigText(tags, 'llmfin.yaml')).message).toBe('llmfin.yaml:4: proxy.keys.0.tags.team: expected string, got nothing');
  });

  it('names an unknown option left empty', () => {
    const text = ['proxy:', '  port: 8080', '  stor_prompts:', ''].join('\n');
    expect(errorOf(() => parseConfigText(text, 'llmfin.yaml')).message).toBe('llmfin.yaml:3: proxy: unknown option "stor_prompts" (did you mean "proxy.store_prompts"?)');
  });

  it('says what a rule over a whole mapping expected, without "got a mapping"', () => {
    const budget = ['budgets:', '  - name: b', '    limit_usd: 10', '    action: throttle', ''].join('\n');
    expect(errorOf(() => parseConfigText(budget, 'llmfin.yaml')).message).toBe('llmfin.yaml:2: budgets.0.throttle_rpm: expected throttle_rpm with action: throttle');
    const routing = ['routing:', '  mode: enforce', ''].join('\n');
    expect(errorOf(() => parseConfigText(routing, 'llmfin.yaml')).message).toBe('llmfin.yaml:2: routing.tiers: expected tiers (cheapest first) with mode: enforce');
    // A rule over one value still says what it got.
    const tz = ['budgets:', '  - name: b', '    limit_usd: 10', '    timezone: Mars/Base', ''].join('\n');
    expect(errorOf(() => parseConfigText(tz, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:4: budgets.0.timezone: expected an IANA time zone such as Europe/Paris, got string "Mars/Base"',
    );
  });

  it('names a YAML-tagged value as what it is (binary data, a date), not as a mapping of its parts', () => {
    const binary = ['routing:', '  mode: !!binary aGVsbG8=', ''].join('\n');
    expect(errorOf(() => parseConfigText(binary, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:2: routing.mode: expected one of "shadow" | "enforce", got binary data (a !!binary value of 5 bytes)',
    );
    const date = ['budgets:', '  - name: b', '    limit_usd: !!timestamp 2026-01-01', ''].join('\n');
    expect(errorOf(() => parseConfigText(date, 'llmfin.yaml')).message).toBe('llmfin.yaml:3: budgets.0.limit_usd: expected number, got a date (!!timestamp 2026-01-01T00:00:00.000Z)');
  });

  it('says what a price or a URL should look like', () => {
    const price = ['pricing:', '  custom_models:', '    - { provider: a, id: b, input: [1], output: 2 }', ''].join('\n');
    expect(errorOf(() => parseConfigText(price, 'llmfin.yaml')).message).toBe('llmfin.yaml:3: pricing.custom_models.0.input: expected string or number, got a list');
    const url = ['proxy:', '  upstreams:', '    openai:', '      base_url: api.openai.com', ''].join('\n');
    expect(errorOf(() => parseConfigText(url, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:4: proxy.upstreams.openai.base_url: expected a URL such as https://api.example.com, got string "api.openai.com"',
    );
  });

  it('takes an upstream URL over http or https only, and without credentials, which it never echoes', () => {
    const upstream = (u: string) => errorOf(() => parseConfigText(['proxy:', '  upstreams:', '    groq:', `      base_url: ${u}`, ''].join('\n'), 'llmfin.yaml')).message;
    // --upstream refuses these too; every request would have failed with a 502.
    expect(upstream('ftp://api.groq.com/openai/v1')).toBe('llmfin.yaml:4: proxy.upstreams.groq.base_url: expected a URL such as https://api.example.com, got string "ftp://api.groq.com/openai/v1"');
    // The URL is shown in the banner, /llmfin/health and error messages: a key belongs in api_key_env.
    const withKey = upstream('https://me:gsk-secret@api.groq.com/openai/v1');
    expect(withKey).toBe("llmfin.yaml:4: proxy.upstreams.groq.base_url: expected a URL without credentials (name the key's environment variable in api_key_env), got string \"https://***@api.groq.com/openai/v1\"");
    expect(withKey).not.toContain('gsk-secret');
    expect(parseConfigText(['proxy:', '  upstreams:', '    groq:', '      base_url: https://api.groq.com/openai/v1', ''].join('\n'), 'llmfin.yaml').proxy.upstreams.groq!.base_url).toBe('https://api.groq.com/openai/v1');
  });

  it('names the list item in the suggestion for a misspelt option inside it', () => {
    const text = ['budgets:', '  - name: a', '    limit_usd: 5', '  - name: b', '    limit_usd: 5', '    soft_limit_percnt: 50', ''].join('\n');
    expect(errorOf(() => parseConfigText(text, 'llmfin.yaml')).message).toBe('llmfin.yaml:6: budgets.1: unknown option "soft_limit_percnt" (did you mean "budgets.1.soft_limit_percent"?)');
  });

  it('takes a budget webhook over http or https only (it is POSTed to)', () => {
    const budget = (hook: string) => ['budgets:', '  - name: a', '    limit_usd: 5', `    webhook: ${hook}`, ''].join('\n');
    const e = errorOf(() => parseConfigText(budget('ftp://hooks.example.com/llmfin'), 'llmfin.yaml'));
    expect(e.message).toBe('llmfin.yaml:4: budgets.0.webhook: expected a URL such as https://api.example.com, got string "ftp://hooks.example.com/llmfin"');
    expect(e.exitCode).toBe(2);
    expect(parseConfigText(budget('http://127.0.0.1:9/hook'), 'llmfin.yaml').budgets[0]!.webhook).toBe('http://127.0.0.1:9/hook');
  });

  it("refuses an option of another budget action rather than ignore it", () => {
    const budget = (lines: string[]) => errorOf(() => parseConfigText(['budgets:', '  - name: a', '    limit_usd: 5', ...lines, ''].join('\n'), 'llmfin.yaml')).message;
    expect(budget(['    action: block', '    downgrade_to: gpt-4o-mini'])).toBe('llmfin.yaml:5: budgets.0.downgrade_to: expected action: downgrade with downgrade_to (the action is block, which ignores it)');
    expect(budget(['    throttle_rpm: 10'])).toBe('llmfin.yaml:4: budgets.0.throttle_rpm: expected action: throttle with throttle_rpm (the action is alert, which ignores it)');
    expect(budget(['    action: downgrade', '    throttle_rpm: 10'])).toBe('llmfin.yaml:5: budgets.0.throttle_rpm: expected action: throttle with throttle_rpm (the action is downgrade, which ignores it)');
    const ok = parseConfigText(['budgets:', '  - { name: a, limit_usd: 5, action: throttle, throttle_rpm: 10 }', '  - { name: b, limit_usd: 5, action: downgrade, downgrade_to: gpt-4o-mini }', ''].join('\n'), 'llmfin.yaml');
    expect(ok.budgets.map((b) => [b.throttle_rpm, b.downgrade_to])).toEqual([[10, undefined], [undefined, 'gpt-4o-mini']]);
  });

  it('refuses a budget scoped on a proxy key that is not configured (it would match no request)', () => {
    const text = (keys: string[]) => ['budgets:', '  - { name: b, scope: { key: serch-bot }, limit_usd: 1, action: block }', 'proxy:', `  keys: [${keys.join(', ')}]`, ''].join('\n');
    expect(errorOf(() => parseConfigText(text(['{ key_env: LLMFIN_KEY_SEARCH, name: search-bot }', '{ key_env: LLMFIN_KEY_OPS }']), 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:2: budgets.0.scope.key: expected the name of a proxy key in proxy.keys (one of search-bot, LLMFIN_KEY_OPS), got "serch-bot"',
    );
    expect(errorOf(() => parseConfigText(text([]), 'llmfin.yaml')).message).toBe('llmfin.yaml:2: budgets.0.scope.key: expected the name of a proxy key in proxy.keys (none is configured), got "serch-bot"');
    expect(parseConfigText(text(['{ key_env: LLMFIN_KEY_SEARCH, name: serch-bot }']), 'llmfin.yaml').budgets[0]!.scope).toEqual({ key: 'serch-bot' });
  });

  it("an upstream's dialect, when not given, is Anthropic's when its name or base URL says anthropic", () => {
    const text = [
      'proxy:',
      '  upstreams:',
      '    anthropic: { base_url: "https://api.anthropic.com" }',
      '    claude: { base_url: "https://api.anthropic.com/" }',
      '    deepseek-anthropic: { base_url: "https://api.deepseek.com/anthropic" }',
      '    groq: { base_url: "https://api.groq.com/openai/v1" }',
      '    openai-named-anthropic: { base_url: "http://127.0.0.1:9/anthropic", dialect: openai }',
      '',
    ].join('\n');
    const ups = parseConfigText(text, 'llmfin.yaml').proxy.upstreams;
    expect(Object.entries(ups).map(([name, u]) => [name, u.dialect])).toEqual([
      ['anthropic', 'anthropic'],
      ['claude', 'anthropic'],
      ['deepseek-anthropic', 'anthropic'],
      ['groq', 'openai'],
      ['openai-named-anthropic', 'openai'],
    ]);
  });

  it('refuses aliases that expand past the limit with a config error, not an internal one', () => {
    const text = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
    const e = errorOf(() => parseConfigText(text, 'llmfin.yaml'));
    expect(e.message).toMatch(/^llmfin\.yaml:1: not valid YAML: Excessive alias count/);
    expect(e.exitCode).toBe(2);
  });

  it("refuses a discount window it could not apply (the discount would have applied forever)", () => {
    const discount = (from: string, to: string) =>
      ['pricing:', '  discounts:', '    - provider: openai', '      percent: 10', `      from: ${from}`, `      to: ${to}`, ''].join('\n');
    expect(errorOf(() => parseConfigText(discount('2026-01-01', '31/12/2026'), 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:6: pricing.discounts.0.to: expected a date such as 2026-01-01 (or an ISO 8601 time), got string "31/12/2026"',
    );
    expect(errorOf(() => parseConfigText(discount('2026-02-30', '2027-01-01'), 'llmfin.yaml')).message).toMatch(/^llmfin\.yaml:5: pricing\.discounts\.0\.from: expected a date/);
    expect(errorOf(() => parseConfigText(discount('2027-01-01', '2026-01-01'), 'llmfin.yaml')).message).toBe('llmfin.yaml:6: pricing.discounts.0.to: expected to after from');
    const ok = parseConfigText(discount('2026-01-01', '2026-07-01T00:00:00Z'), 'llmfin.yaml').pricing.discounts[0];
    expect(ok).toMatchObject({ from: '2026-01-01', to: '2026-07-01T00:00:00Z' });
  });

  it('refuses an empty proxy host, which would listen on every interface', () => {
    expect(errorOf(() => parseConfigText('proxy:\n  host: ""\n', 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:2: proxy.host: expected a host to listen on, such as 127.0.0.1 (0.0.0.0 for every interface), got string ""',
    );
    // Left empty, it is the default.
    expect(parseConfigText('proxy:\n  host:\n', 'llmfin.yaml').proxy.host).toBe('127.0.0.1');
  });

  it('refuses two budgets with one name (the proxy would start both from the same spend)', () => {
    const text = ['budgets:', '  - { name: monthly, scope: { team: search }, limit_usd: 5000 }', '  - { name: monthly, scope: { team: support }, limit_usd: 100 }', ''].join('\n');
    expect(errorOf(() => parseConfigText(text, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:3: budgets.1.name: budget "monthly" is defined twice; give each budget its own name',
    );
  });

  it('refuses a second model of one id and provider (only the first would ever price), in custom_models or self_hosted', () => {
    const custom = ['pricing:', '  custom_models:', '    - { provider: acme, id: acme-large, input: 1, output: 2 }', '    - { provider: Acme, id: ACME-large, input: 3, output: 4 }', ''].join('\n');
    expect(errorOf(() => parseConfigText(custom, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:4: pricing.custom_models.1.id: model "ACME-large" of provider Acme is already defined at pricing.custom_models.0; give each model one entry',
    );
    const both = ['pricing:', '  custom_models:', '    - { provider: self-hosted, id: llama, input: 1, output: 2 }', '  self_hosted:', '    - { id: llama, gpu_usd_per_hour: 2, tokens_per_second: 100 }', ''].join('\n');
    expect(errorOf(() => parseConfigText(both, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:5: pricing.self_hosted.0.id: model "llama" of provider self-hosted is already defined at pricing.custom_models.0; give each model one entry',
    );
    // One id under two providers is two models, told apart by --provider.
    const apart = ['pricing:', '  custom_models:', '    - { provider: acme, id: large, input: 1, output: 2 }', '    - { provider: other, id: large, input: 3, output: 4 }', ''].join('\n');
    expect(parseConfigText(apart, 'llmfin.yaml').pricing.custom_models).toHaveLength(2);
  });

  it('reads a discount window time written without a zone as UTC, whatever the machine zone', () => {
    const text = ['pricing:', '  discounts:', '    - { provider: openai, percent: 10, from: "2026-10-01T12:00", to: "2026-11-01T00:00:00+02:00" }', ''].join('\n');
    const d = parseConfigText(text, 'llmfin.yaml').pricing.discounts[0]!;
    expect(d.from).toBe('2026-10-01T12:00Z');
    expect(Date.parse(d.from!)).toBe(Date.UTC(2026, 9, 1, 12));
    // A zone written stays as written.
    expect(d.to).toBe('2026-11-01T00:00:00+02:00');
  });

  it('refuses a rule that sets day, week or month, which reports take from each row\'s time', () => {
    const text = ['attribution:', '  rules:', '    - match: { provider: openai }', '      set: { team: search, day: monday }', ''].join('\n');
    expect(errorOf(() => parseConfigText(text, 'llmfin.yaml')).message).toBe(
      "llmfin.yaml:4: attribution.rules.0.set.day: rule 1: day is the time of each row (`report --by day` groups by it): an attribution rule cannot set it — name the dimension otherwise, or remove it from the rule's set",
    );
  });

  it('refuses a dimension named as a figure of the report rows, which would write over its values', () => {
    // `report --by cost_usd` would print each group's cost where the rule's value should be.
    const rule = ['attribution:', '  rules:', '    - match: { provider: openai }', '      set: { team: search, cost_usd: "0" }', ''].join('\n');
    expect(errorOf(() => parseConfigText(rule, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:4: attribution.rules.0.set.cost_usd: rule 1: cost_usd is a figure of every report row (`report --format json` writes it beside the dimensions): a dimension of that name would hide its values — name the dimension otherwise',
    );
    const declared = ['attribution:', '  dimensions: [cost_center, share]', ''].join('\n');
    expect(errorOf(() => parseConfigText(declared, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:2: attribution.dimensions.1: share is a figure of every report row (`report --format json` writes it beside the dimensions): a dimension of that name would hide its values — name the dimension otherwise',
    );
    // Names that merely look like figures are dimensions like any other.
    expect(parseConfigText(['attribution:', '  dimensions: [cost_center, request_kind]', ''].join('\n'), 'llmfin.yaml').attribution.dimensions).toEqual(['cost_center', 'request_kind']);
  });

  it('refuses an empty pattern, which no identifier matches', () => {
    // A row without a team has none, not an empty one: `team: ""` would be a rule that never applies.
    const text = ['attribution:', '  rules:', '    - match: { provider: openai, team: "" }', '      set: { team: platform }', ''].join('\n');
    expect(errorOf(() => parseConfigText(text, 'llmfin.yaml')).message).toBe(
      'llmfin.yaml:3: attribution.rules.0.match.team: expected a glob or /regex/, got nothing: a row that records no team matches no pattern, so this rule would never apply',
    );
  });

  it('self-hosted models need a throughput', () => {
    const text = ['pricing:', '  self_hosted:', '    - id: llama', '      gpu_usd_per_hour: 2.5', ''].join('\n');
    expect(errorOf(() => parseConfigText(text, 'llmfin.yaml')).message).toMatch(/tokens_per_second/);
  });

  it('decimals given as YAML numbers stay exact strings', () => {
    const text = ['pricing:', '  custom_models:', '    - provider: acme', '      id: a', '      input: 1.375', '      output: 5', ''].join('\n');
    expect(parseConfigText(text, 'llmfin.yaml').pricing.custom_models[0]).toMatchObject({ input: '1.375', output: '5' });
  });
});

describe('findConfigFile / loadConfig', () => {
  const root = mkdtempSync(join(tmpdir(), 'llmfin-config-'));
  const nested = join(root, 'a', 'b');
  mkdirSync(nested, { recursive: true });
  writeFileSync(join(root, 'llmfin.yaml'), 'proxy:\n  port: 9999\n');

  it('finds llmfin.yaml in a parent directory', async () => {
    expect(findConfigFile({ env: {}, cwd: nested })).toBe(join(root, 'llmfin.yaml'));
    expect((await loadConfig({ env: {}, cwd: nested })).config.proxy.port).toBe(9999);
  });
  it('--config beats LLMFIN_CONFIG, which beats discovery', async () => {
    const other = join(root, 'other.yaml');
    writeFileSync(other, 'proxy:\n  port: 1234\n');
    expect((await loadConfig({ env: { LLMFIN_CONFIG: other }, cwd: nested })).config.proxy.port).toBe(1234);
    expect((await loadConfig({ flag: join(root, 'llmfin.yaml'), env: { LLMFIN_CONFIG: other }, cwd: nested })).config.proxy.port).toBe(9999);
  });
  it('a missing explicit file is an error, not silently the defaults', async () => {
    await expect(loadConfig({ flag: 'nope.yaml', env: {}, cwd: root })).rejects.toThrow(/config file not found/);
  });
  it('an explicit folder is named as a folder, not as a read error', async () => {
    for (const location of [{ flag: '.', env: {}, cwd: root }, { env: { LLMFIN_CONFIG: root }, cwd: nested }]) {
      const e = await loadConfig(location).then(() => undefined, (error: unknown) => error);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toMatch(/: a folder, not a config file$/);
      expect((e as ConfigError).message).not.toContain('EISDIR');
      expect((e as ConfigError).hint).toBe(location.flag ? 'give --config the path of a file' : 'give LLMFIN_CONFIG the path of a file');
    }
  });
  it('no file anywhere gives the defaults', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'llmfin-noconfig-'));
    const loaded = await loadConfig({ env: {}, cwd: empty });
    // tmpdir's parents may hold an llmfin.yaml on a developer machine; only assert when none was found.
    if (loaded.path === undefined) expect(loaded.config.proxy.port).toBe(8787);
  });
});
