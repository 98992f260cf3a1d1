// Every registered importer, held to the same contract (Kysely's `for (const dialect of
// DIALECTS)` pattern): its fixtures are detected as its own; hostile input — random
// bytes, a truncated file, another source's file, a huge line — gives exit 0 or 2 with a
// message, never an internal error or a stack trace, and a failed import leaves the
// ledger exactly as it was.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { IMPORTERS } from '../../src/importers/registry.js';
import { chooseImporter } from '../../src/importers/run-import.js';
import { MAX_LINE_CHARS } from '../../src/importers/source-input.js';
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

describe('a byte that is not UTF-8 past the first 64 KiB (read while rows are being recorded)', () => {
  // Readers of each kind: a checked CSV (azure-cost), CSV blocks read to an error item (focus), JSON lines (llmfin).
  it.each(['azure-cost', 'focus', 'llmfin'])('%s: exit 2 at its line, --skip-invalid or not, the ledger unchanged', async (id) => {
    const lines = readFileSync(fixturesOf(id)[0]!, 'utf8').split('\n');
    // The header and a row, 70,000 blank lines (read as nothing), then the next row with "Café" in Windows-1252.
    const at = 2 + 70_000 + 1;
    const third = lines[2]!;
    const cut = Math.floor(third.length / 2);
    expect(cut).toBeGreaterThan(40);
    const bytes = Buffer.concat([
      Buffer.from(`${lines[0]}\n${lines[1]}\n${'\n'.repeat(70_000)}${third.slice(0, cut)}`),
      Buffer.from([0xe9]),
      Buffer.from(`${third.slice(cut)}\n${lines.slice(3).join('\n')}`),
    ]);
    const file = join(tempDir(), `late-${id}.txt`);
    writeFileSync(file, bytes);
    const cwd = tempDir('llmfin-contract-');
    const db = join(cwd, 'ledger.db');
    writeFileSync(join(cwd, 'seed.jsonl'), `${JSON.stringify({ id: 's', ts: '2026-09-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 10 })}\n`);
    expect((await runCli(['import', 'seed.jsonl', '--db', db], { cwd })).code).toBe(0);
    const before = sha(db);
    for (const extra of [[], ['--skip-invalid'], ['--source', id, '--skip-invalid']]) {
      const r = await runCli(['import', file, ...extra, '--db', db], { cwd });
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`llmfin: error: ${file}:${at}: expected UTF-8 text, got the byte 0xE9 after ${JSON.stringify(`…${third.slice(0, cut).slice(-40)}`)}`);
      expect(sha(db)).toBe(before);
    }
  });
});

describe('a file of one row a line with a line past MAX_LINE_CHARS (no line break in 64 Mi characters)', () => {
  // Every reader of JSON lines: the first line of its fixture, then a line too long to hold
  // (past the bound by more than the 64 KiB piece its line break comes in).
  const FIRST_LINES: Array<[string, string]> = [
    ['llmfin', DEMO],
    ['claude-code', join(FIXTURES, 'claude-code/claude-session.jsonl')],
    ['litellm', join(FIXTURES, 'litellm/spend-logs-2026-10-05.jsonl')],
    ['otel', join(FIXTURES, 'otel/genai-traces-2026-10-04.jsonl')],
    ['gcp-billing', join(FIXTURES, 'gcp-billing/billing-export-2026-10.jsonl')],
  ];
  it.each(FIRST_LINES)('%s: exit 2 at that line, with --skip-invalid too, the ledger unchanged', async (id, fixture) => {
    const first = readFileSync(fixture, 'utf8').split('\n')[0]!;
    const file = join(tempDir(), `long-line-${id}.jsonl`);
    writeFileSync(file, Buffer.concat([Buffer.from(`${first}\n`), Buffer.alloc(MAX_LINE_CHARS + (1 << 20), 'x'), Buffer.from('\n')]));
    const cwd = tempDir('llmfin-contract-');
    const db = join(cwd, 'ledger.db');
    writeFileSync(join(cwd, 'seed.jsonl'), `${JSON.stringify({ id: 's', ts: '2026-09-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 10 })}\n`);
    expect((await runCli(['import', 'seed.jsonl', '--db', db], { cwd })).code).toBe(0);
    const before = sha(db);
    // --skip-invalid: an importer that reports a reader's error as a row's issue (gcp-billing)
    // must not record the rows before it as if they were the whole file.
    const r = await runCli(['import', file, '--source', id, '--skip-invalid', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: ${file}:2: expected one row a line, got a line of more than ${MAX_LINE_CHARS} characters without a line break`);
    expect(r.stderr).toContain('hint: nothing was imported from this file; each line of this source is one row');
    expect(sha(db)).toBe(before);
  }, 60_000);
});

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

  it('refuses a truncated gzip with --skip-invalid too: its readable part is not a file with bad rows, and must not replace what the whole file imported', async () => {
    const f = own[0]!;
    const whole = gzipSync(f.endsWith('.gz') ? gunzipSync(readFileSync(f)) : readFileSync(f));
    const cwd = tempDir('llmfin-contract-');
    const db = join(cwd, 'ledger.db');
    writeFileSync(join(cwd, 'whole.gz'), whole);
    // The cut leaves most of the file: rows a reader could have recorded before the end.
    writeFileSync(join(cwd, 'cut.gz'), whole.subarray(0, whole.length - 8));
    expect((await runCli(['import', 'whole.gz', '--source', id, '--db', db], { cwd })).code).toBe(0);
    const before = sha(db);
    for (const extra of [['--skip-invalid'], ['--skip-invalid', '--source', id]]) {
      const r = await runCli(['import', 'cut.gz', ...extra, '--db', db], { cwd });
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('llmfin: error: cut.gz: the gzip file is truncated or corrupt');
      expect(r.stderr).toContain('hint: nothing was imported from this file; download or copy it again');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(sha(db), `${extra.join(' ')}: the ledger changed`).toBe(before);
    }
  });

  it('refuses its own fixture saved as Windows-1252 (a byte that is not UTF-8 on line 2) with exit 2 at that line, --skip-invalid or not, the ledger unchanged', async () => {
    const f = own[0]!;
    const gz = f.endsWith('.gz');
    const text = gz ? gunzipSync(readFileSync(f)) : readFileSync(f);
    const nl = text.indexOf(0x0a);
    expect(nl, f).toBeGreaterThan(-1);
    // "é" as Windows-1252 writes it, at the start of the second line.
    const bytes = Buffer.concat([text.subarray(0, nl + 1), Buffer.from([0xe9]), text.subarray(nl + 1)]);
    const name = `cp1252-${f.split('/').pop()!}`;
    const file = join(tempDir(), name);
    writeFileSync(file, gz ? gzipSync(bytes) : bytes);
    for (const extra of [[], ['--skip-invalid']]) {
      const cwd = tempDir('llmfin-contract-');
      const db = join(cwd, 'ledger.db');
      writeFileSync(join(cwd, 'seed.jsonl'), `${JSON.stringify({ id: 's', ts: '2026-09-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 10 })}\n`);
      expect((await runCli(['import', 'seed.jsonl', '--db', db], { cwd })).code).toBe(0);
      const before = sha(db);
      for (const source of [[], ['--source', id]]) {
        const r = await runCli(['import', file, ...source, ...extra, '--db', db], { cwd });
        expect(r.code, `${[...source, ...extra].join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`llmfin: error: ${file}:2: expected UTF-8 text, got the byte 0xE9 at the start of the line ("é" in Windows-1252`);
        expect(r.stderr).toContain('"CSV UTF-8 (comma delimited)"');
        expect(sha(db)).toBe(before);
      }
    }
  });

  it("survives every other source's fixtures forced as this source", async () => {
    for (const other of IMPORTERS) {
      if (other.id === id) continue;
      for (const f of fixturesOf(other.id).slice(0, 2)) await hostile(id, f);
    }
    // Some sixty imports in child processes, one after another: on a loaded machine that takes a while.
  }, 60_000);

  it('describes itself for `llmfin sources`', () => {
    expect(importer.description.length).toBeGreaterThan(10);
    expect(importer.obtain.length).toBeGreaterThan(10);
  });
});
