/** Shared helpers for the ledger tests: a fresh temp directory per test and entry builders. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import type { NewBatch } from '../../src/ledger/queries/insert-batch.js';

const dirs: string[] = [];

/** A new empty directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmfin-ledger-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** sha256 of a file's bytes, or 'absent'. */
export function hashFile(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent';
}

export const CREATED_AT = '2026-11-01T00:00:00.000Z';

/** A metered, priced entry with everything else defaulted. */
export function entry(overrides: Partial<NewUsageEntry> & { dedupe_key: string }): NewUsageEntry {
  return {
    provenance: 'metered',
    source: 'test',
    provider: 'openai',
    model: 'gpt-4o',
    ts: '2026-11-10T12:00:00.000Z',
    cost_status: 'priced',
    cost_usd: '0.01',
    created_at: CREATED_AT,
    ...overrides,
  };
}

export function batch(overrides: Partial<NewBatch> = {}): NewBatch {
  return { source: 'test', imported_at: CREATED_AT, ...overrides };
}

/**
 * `entries` as an import hands them to the ledger: a block at a time, in blocks of `size`
 * (7 by default, so that blocks and the 500-row insert chunks cross each other's ends).
 */
export async function* entryBlocks(entries: readonly NewUsageEntry[], size = 7): AsyncGenerator<NewUsageEntry[]> {
  for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
}
