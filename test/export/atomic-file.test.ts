import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAtomicFile } from '../../src/export/atomic-file.js';
import { writeExport } from '../../src/export/write-export.js';
import { jsonlFormat } from '../../src/export/jsonl-writer.js';
import type { UsageEntry } from '../../src/ledger/index.js';
import { tempDir } from '../helpers/cli.js';
import { handRow } from './hand-rows.js';

describe('atomic export file', () => {
  it('appears under its name only on commit', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.csv');
    const file = await createAtomicFile(path);
    await file.write('a,b\r\n');
    expect(existsSync(path)).toBe(false);
    await file.commit();
    expect(readFileSync(path, 'utf8')).toBe('a,b\r\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('a failure mid-export leaves the previous file as it was and no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'ledger.jsonl');
    writeFileSync(path, 'previous export\n');
    async function* failing(): AsyncGenerator<UsageEntry> {
      // Far more than one 64 KiB chunk, so part of it is already on disk when the reader fails.
      for (let i = 0; i < 2000; i++) yield { id: i, batch_id: 1, ...handRow({ dedupe_key: `k${i}` }) } as UsageEntry;
      throw new Error('disk gone');
    }
    const file = await createAtomicFile(path);
    await expect(writeExport(failing(), jsonlFormat, file).catch(async (error: unknown) => {
      await file.abort();
      throw error;
    })).rejects.toThrow('disk gone');
    expect(readFileSync(path, 'utf8')).toBe('previous export\n');
    expect(readdirSync(dir)).toEqual(['ledger.jsonl']);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a ${signal} mid-export removes the temporary file and ends the process by that signal`, async () => {
      const dir = tempDir();
      const path = join(dir, 'ledger.csv');
      writeFileSync(path, 'previous export\n');
      // The built module (`npm test` builds first), in a process of its own to be signalled.
      const module = pathToFileURL(join(import.meta.dirname, '../../dist/export/atomic-file.js')).href;
      const script = `const { createAtomicFile } = await import(${JSON.stringify(module)});
        const file = await createAtomicFile(${JSON.stringify(path)});
        await file.write('half an export');
        process.stdout.write('writing\\n');
        setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
      expect(readdirSync(dir)).toHaveLength(2);
      const ended = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, how) => done(how)));
      child.kill(signal);
      expect(await ended).toBe(signal);
      expect(readdirSync(dir)).toEqual(['ledger.csv']);
      expect(readFileSync(path, 'utf8')).toBe('previous export\n');
    });
  }
});
