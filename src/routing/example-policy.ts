/**
 * The policy `llmfin route explain|score|simulate` use when llmfin.yaml has no routing
 * tiers, so that a first run shows something real; the same tiers as the commented
 * example in the starter config (config/starter-config.ts).
 */
import type { RoutingConfig } from '../config/routing-config-schema.js';

export const EXAMPLE_ROUTING: RoutingConfig = {
  mode: 'shadow',
  tiers: [
    { name: 'small', models: { openai: ['gpt-4.1-nano', 'gpt-4o-mini'], anthropic: ['claude-haiku-4-5'] } },
    { name: 'medium', models: { openai: ['gpt-4.1-mini', 'gpt-5-mini'], anthropic: ['claude-sonnet-4-5'] } },
    { name: 'large', models: { openai: ['gpt-4.1', 'gpt-4o', 'gpt-5'], anthropic: ['claude-opus-4-5'] } },
  ],
};
