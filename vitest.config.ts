import { defineConfig } from 'vitest/config';

// Hermetic test environment: fixed time zone, no colour, fixed width, so that
// rendered output is the same on every machine (aesthetics.md rule 8).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    env: { TZ: 'UTC', NO_COLOR: '1', COLUMNS: '100', LLMFIN_CONFIG: '', LLMFIN_DB: '' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
