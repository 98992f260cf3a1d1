import { availableParallelism } from 'node:os';
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
    // Vitest runs one file per core less one, which on this project's 2-core machines is one
    // file at a time. Much of a file's time is spent waiting on a CLI child process or a
    // loopback server, so a worker per core keeps both cores busy: the whole suite took
    // 269–289 s against 438–491 s there, green in each of three runs.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
