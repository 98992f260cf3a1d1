// `llmfin proxy` reads llmfin.yaml on a worker thread (load-config-off-thread.ts), so that
// YAML and zod are not kept in its heap: the config, and every error a user can cause,
// must come back exactly as `loadConfig` gives them in-process. Uses the compiled thread
// (needs `npm run build`), as the CLI does.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as OffThreadModule from '../../src/cli/load-config-off-thread.js';
import type * as ErrorsModule from '../../src/shared/errors.js';
import { loadConfig, type ConfigLocation } from '../../src/config/load-config.js';
import { defaultConfig } from '../../src/config/default-config.js';
import { isLlmfinError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url);
const { loadConfigOffThread } = (await import(dist('cli/load-config-off-thread.js').href)) as typeof OffThreadModule;
// The compiled module throws the compiled LlmfinError, a class of its own.
const distErrors = (await import(dist('shared/errors.js').href)) as typeof ErrorsModule;

/** What a call gives, as data: the config and its path, or the error's kind, message, hint and exit code. */
async function outcome(load: () => Promise<unknown>, isUserError: (e: unknown) => e is ErrorsModule.LlmfinError): Promise<unknown> {
  try {
    return { ok: await load() };
  } catch (error) {
    if (!isUserError(error)) return { internal: (error as Error).message };
    return { message: error.message, hint: error.hint, exitCode: error.exitCode };
  }
}

const FULL = `pricing:
  discounts:
    - provider: openai
      percent: 12.5
attribution:
  rules:
    - match: { model: "gpt-4o*" }
      set: { team: search }
budgets:
  - name: org-monthly
    limit_usd: 500
    period: monthly
    action: block
    webhook: https://hooks.example.com/llmfin
  - name: team-search
    scope: { team: search }
    limit_usd: 50
    soft_limit_percent: 75
    timezone: Europe/Paris
    action: downgrade
    downgrade_to: gpt-4o-mini
proxy:
  port: 9999
  log_format: json
  upstreams:
    groq: { base_url: "https://api.groq.com/openai/v1", api_key_env: GROQ_API_KEY }
  keys:
    - key_env: LLMFIN_KEY_SEARCH
      tags: { team: search, feature: ask }
routing:
  mode: shadow
  default_tier: small
  tiers:
    - name: small
      models: { openai: [gpt-4o-mini] }
    - name: large
      models: { openai: [gpt-4o] }
`;

describe('loadConfigOffThread', () => {
  it('runs the compiled thread', () => {
    expect(existsSync(fileURLToPath(dist('cli/config-thread.js')))).toBe(true);
  });

  it('gives what loadConfig gives: a full file, a broken one, one with a wrong value, none, a missing --config', async () => {
    const dir = tempDir();
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const locations: ConfigLocation[] = [
      { flag: file('full.yaml', FULL), env: {}, cwd: dir },
      { flag: file('broken.yaml', 'proxy:\n  upstreams: [not, a, map\n'), env: {}, cwd: dir },
      { flag: file('wrong.yaml', 'pricing:\n  discounts:\n    - provider: openai\n      percent: "ten"\n'), env: {}, cwd: dir },
      { flag: undefined, env: { LLMFIN_CONFIG: file('env.yaml', 'budgets:\n  - name: b\n    limit_usd: 1\n') }, cwd: dir },
      { flag: undefined, env: {}, cwd: tempDir() },
      { flag: 'missing.yaml', env: {}, cwd: dir },
      { flag: undefined, env: { LLMFIN_CONFIG: 'missing.yaml' }, cwd: dir },
    ];
    const expected = await Promise.all(locations.map((l) => outcome(() => loadConfig(l), isLlmfinError)));
    const got = await Promise.all(locations.map((l) => outcome(() => loadConfigOffThread(l), distErrors.isLlmfinError)));
    expect(got).toStrictEqual(expected);
    // The cases are what they claim to be.
    expect(expected.map((o) => Object.keys(o as object)[0])).toEqual(['ok', 'message', 'message', 'ok', 'ok', 'message', 'message']);
    expect((got[0] as { ok: { path: string } }).ok.path).toBe(join(dir, 'full.yaml'));
    expect((got[4] as { ok: unknown }).ok).toEqual({ config: defaultConfig(), path: undefined });
    expect((got[2] as { message: string; exitCode: number }).message).toBe('wrong.yaml:4: pricing.discounts.0.percent: expected number, got string "ten"');
    expect((got[2] as { exitCode: number }).exitCode).toBe(2);
  });
});
