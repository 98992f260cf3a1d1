// Every registered importer, held to the same contract (Kysely's `for (const dialect of
// DIALECTS)` pattern): its fixtures are detected as its own; hostile input — random
// bytes, a truncated file, another source's file, a huge line — gives exit 0 or 2 with a
// message, never an internal error or a stack trace, and a failed import leaves the
// ledger exactly as it was.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { IMPORTERS } from '../../src/importers/registry.js';
import { chooseImporter } from '../../src/importers/run-import.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { prng } from '../../src/shared/prng.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));

/** Fixture files per importer id; names with "invalid"/"bad"/"broken" are deliberately wrong. */
function fixturesOf(id: string): string[] {
  if (id === 'llmfin') return [DEMO];
  const dir = join(FIXTURES, id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => !f.endsWith('.md') && !/invalid|bad|broken|reject|wrong/i.test(f))
    .map((f) => join(dir, f))
    .filter((f) => !existsSync(f) || readFileSync(f).length > 0)
    .sort();
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Imports `file` as `source` into a ledger that already holds one batch; checks the contract. */
async function hostile(source: string, file: string): Promise<number> {
  const cwd = tempDir('llmfin-contract-');
  const db = join(cwd, 'ledger.db');
  writeFileSync(join(cwd, 'seed.jsonl'), `${JSON.stringify({ id: 's', ts: '2026-09-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 10 })}\n`);
  expect((await runCli(['import', 'seed.jsonl', '--db', db], { cwd })).code).toBe(0);
  const before = sha(db);
  const r = await runCli(['import', file, '--source', source, '--db', db], { cwd });
  expect([0, 2], `${source} on ${file}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (r.code === 2) {
    expect(r.stderr).toMatch(/llmfin: error: .+/);
    expect(sha(db), `${source}: a failed import changed the ledger`).toBe(before);
  }
  return r.code;
}

describe.each(IMPORTERS.map((i) => [i.id, i] as const))('importer %s', (id, importer) => {
  const own = fixturesOf(id);

  it('has fixtures, and detects each of them as its own source', () => {
    expect(own.length, `no fixtures in test/fixtures/importers/${id}/`).toBeGreaterThan(0);
    for (const f of own) expect(chooseImporter(f, f, undefined).id, f).toBe(id);
  });

  it('refuses random bytes with exit 2 and an unchanged ledger', async () => {
    const rand = prng(id.length * 7919);
    const dir = tempDir();
    const file = join(dir, 'random.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: 65_536 }, () => Math.floor(rand() * 256))));
    expect(await hostile(id, file)).toBe(2);
  });

  it('refuses a huge line with exit 2', async () => {
    const file = join(tempDir(), 'huge.txt');
    writeFileSync(file, `${'x'.repeat(4_000_000)}\n`);
    expect(await hostile(id, file)).toBe(2);
  });

  it('survives a truncated fixture (exit 0 or 2, never a crash)', async () => {
    for (const f of own.slice(0, 3)) {
      const bytes = readFileSync(f);
      const file = join(tempDir(), `truncated-${f.split('/').pop()}`);
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.57)));
      await hostile(id, file);
    }
  });

  it('refuses a truncated gzip of its own fixture with exit 2', async () => {
    const f = own[0]!;
    const gz = gzipSync(readFileSync(f));
    const file = join(tempDir(), 'truncated.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.57)));
    expect(await hostile(id, file)).toBe(2);
  });

  it("survives every other source's fixtures forced as this source", async () => {
    for (const other of IMPORTERS) {
      if (other.id === id) continue;
      for (const f of fixturesOf(other.id).slice(0, 2)) await hostile(id, f);
    }
  });

  it('describes itself for `llmfin sources`', () => {
    expect(importer.description.length).toBeGreaterThan(10);
    expect(importer.obtain.length).toBeGreaterThan(10);
  });
});
