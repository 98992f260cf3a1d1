/**
 * `llmfin proxy --record-only` is for CI and evaluation runs, whose point is to measure the
 * traffic the tests send: nothing may change it. Budgets are not enforced (proxy-run.ts
 * loads no gate); routing still decides and records each decision, as in shadow mode, so
 * `route simulate` can read the run, but never rewrites a model; a live loop is flagged
 * (log line, header, row tag), never refused.
 */
import type { Config } from '../../config/config-schema.js';

export function recordOnlyConfig(config: Config): Config {
  const loops = config.proxy.loops;
  return {
    ...config,
    routing: config.routing.mode === 'enforce' ? { ...config.routing, mode: 'shadow' } : config.routing,
    proxy: loops?.action === 'block' ? { ...config.proxy, loops: { ...loops, action: 'flag' } } : config.proxy,
  };
}
