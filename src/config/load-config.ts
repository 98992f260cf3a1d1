/**
 * Finds and reads `llmfin.yaml`. Precedence for the file itself: `--config` >
 * `LLMFIN_CONFIG` > `llmfin.yaml` in the working directory or a parent. Validation is
 * in parse-config-text.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from './config-schema.js';
import { ConfigError } from './config-error.js';
import { defaultConfig } from './default-config.js';
import { expandHome } from './expand-home.js';

export const CONFIG_FILE_NAME = 'llmfin.yaml';

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or undefined when defaults were used. */
  path: string | undefined;
}

export interface ConfigLocation {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The config file to read, or undefined when there is none (defaults apply). */
export function findConfigFile(location: ConfigLocation): string | undefined {
  const explicit = location.flag ?? (location.env.LLMFIN_CONFIG || undefined);
  if (explicit !== undefined) {
    const path = resolve(location.cwd, expandHome(explicit, location.env));
    if (!existsSync(path)) {
      throw new ConfigError(path, undefined, 'config file not found', {
        hint: location.flag ? 'check the --config path' : 'check the LLMFIN_CONFIG environment variable',
      });
    }
    if (statSync(path).isDirectory()) {
      throw new ConfigError(path, undefined, 'a folder, not a config file', { hint: `give ${location.flag ? '--config' : 'LLMFIN_CONFIG'} the path of a file` });
    }
    return path;
  }
  let dir = resolve(location.cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function loadConfig(location: ConfigLocation): Promise<LoadedConfig> {
  const path = findConfigFile(location);
  if (path === undefined) return { config: defaultConfig(), path: undefined };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(path, undefined, `cannot read config file (${(cause as Error).message})`);
  }
  // YAML and zod load only when there is a file to read (start-up time).
  const { parseConfigText } = await import('./parse-config-text.js');
  return { config: parseConfigText(text, path), path };
}
