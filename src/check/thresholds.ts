/**
 * Tolerances and caps for each group: command-line flags win over `check:` in
 * llmfin.yaml, and a group's own entry there wins over the section's defaults.
 */
import type { CheckConfig } from '../config/config-schema.js';
import { UsageError } from '../shared/errors.js';
import { dec, type Dec } from '../shared/money.js';

export interface Thresholds {
  /** Allowed growth of cost per request, in percent. */
  maxIncrease: Dec;
  /** Allowed growth of tokens per request, in percent. */
  maxTokenIncrease: Dec;
  /** Absolute cap in USD per request at current prices. */
  maxCostPerRequest: Dec | undefined;
}

export interface ThresholdFlags {
  maxIncrease?: string | undefined;
  maxTokenIncrease?: string | undefined;
  /** `GROUP=USD`, or a bare `USD` for every group. */
  maxCostPerRequest?: readonly string[] | undefined;
}

/** Resolves the thresholds of any group by name. */
export type ThresholdsFor = (group: string) => Thresholds;

export function parsePercentOption(option: string, value: string): Dec {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  if (!m) throw new UsageError(`${option}: expected a percentage such as 10%, got "${value}"`, { option });
  return dec(m[1]!);
}

export function parseCaps(values: readonly string[]): { all: Dec | undefined; byGroup: Map<string, Dec> } {
  const byGroup = new Map<string, Dec>();
  let all: Dec | undefined;
  for (const text of values.flatMap((v) => v.split(','))) {
    const m = /^\s*(?:(.+?)\s*=\s*)?\$?(\d+(?:\.\d+)?)\s*$/.exec(text);
    if (!m) {
      throw new UsageError(`--max-cost-per-request: expected GROUP=USD such as checkout=0.002 (or a bare USD amount for every group), got "${text}"`, {
        option: '--max-cost-per-request',
      });
    }
    // Two caps for the same groups: one would be dropped without a word, so neither is guessed.
    const value = dec(m[2]!);
    const before = m[1] === undefined ? all : byGroup.get(m[1]);
    if (before !== undefined && !before.equals(value)) {
      const who = m[1] === undefined ? 'every group' : `"${m[1]}"`;
      throw new UsageError(`--max-cost-per-request: expected one cap for ${who}, got ${before.toFixed()} and ${value.toFixed()}`, { option: '--max-cost-per-request' });
    }
    if (m[1] === undefined) all = value;
    else byGroup.set(m[1], value);
  }
  return { all, byGroup };
}

export function resolveThresholds(config: CheckConfig, flags: ThresholdFlags): ThresholdsFor {
  const flagIncrease = flags.maxIncrease !== undefined ? parsePercentOption('--max-increase', flags.maxIncrease) : undefined;
  const flagTokens = flags.maxTokenIncrease !== undefined ? parsePercentOption('--max-token-increase', flags.maxTokenIncrease) : undefined;
  const caps = parseCaps(flags.maxCostPerRequest ?? []);
  return (group) => {
    const own = config.groups[group];
    const maxIncrease = flagIncrease ?? dec(own?.max_increase ?? config.max_increase);
    const tokenText = own?.max_token_increase ?? config.max_token_increase;
    const maxTokenIncrease = flagTokens ?? flagIncrease ?? (tokenText !== undefined ? dec(tokenText) : maxIncrease);
    const configCap = own?.max_cost_per_request;
    const maxCostPerRequest = caps.byGroup.get(group) ?? caps.all ?? (configCap !== undefined ? dec(configCap) : undefined);
    return { maxIncrease, maxTokenIncrease, maxCostPerRequest };
  };
}
