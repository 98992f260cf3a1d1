/**
 * The configuration when there is no llmfin.yaml, as a plain constant so that commands
 * run without a config file never load zod (start-up time). A test asserts that it is
 * exactly what `ConfigSchema.parse({})` gives, so the schema stays the one truth.
 */
import type { Config } from './config-schema.js';

export function defaultConfig(): Config {
  return {
    ledger: {},
    pricing: { discounts: [], custom_models: [], self_hosted: [] },
    attribution: { rules: [], dimensions: [], shared: [] },
    budgets: [],
    import: { meters: [] },
    proxy: { host: '127.0.0.1', port: 8787, store_prompts: false, upstreams: {}, keys: [] },
    routing: {},
    check: { baseline: 'llmfin.baseline.json', by: 'feature', max_increase: '10', strict: false, groups: {}, prompts: { paths: [] } },
    anomalies: { min_impact_usd: 10, runaway_session_usd: 25, loop_repeats: 4, sensitivity: 'medium' },
  };
}
