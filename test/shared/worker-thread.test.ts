import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledBeside, runThreadOnce } from '../../src/shared/worker-thread.js';

const dir = mkdtempSync(join(tmpdir(), 'llmfin-worker-thread-'));
function workerFile(name: string, body: string): URL {
  const path = join(dir, name);
  writeFileSync(path, `import { parentPort, workerData } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(path);
}

describe('compiledBeside', () => {
  it('tells a worker file that exists from one that does not', () => {
    const url = workerFile('present.mjs', '');
    expect(compiledBeside(url)).toBe(true);
    expect(compiledBeside(new URL('./absent.mjs', url))).toBe(false);
  });
});

describe('runThreadOnce', () => {
  it("settles with the thread's first message, given its workerData", async () => {
    const url = workerFile('answer.mjs', 'parentPort.postMessage(workerData.n * 2); parentPort.postMessage(-1);');
    await expect(runThreadOnce<number>(url, { workerData: { n: 21 } }, 'the doubling thread')).resolves.toBe(42);
  });

  it("rejects with the thread's own error, its code kept", async () => {
    const url = workerFile('throws.mjs', "const e = new Error('no such file: /x'); e.code = 'ENOENT'; throw e;");
    await expect(runThreadOnce(url, {}, 'the failing thread')).rejects.toMatchObject({ message: 'no such file: /x', code: 'ENOENT' });
  });

  it('rejects naming the thread and its exit code when it exits without answering', async () => {
    const url = workerFile('silent.mjs', 'process.exit(3);');
    await expect(runThreadOnce(url, {}, 'the silent thread')).rejects.toThrow('the silent thread stopped (exit code 3)');
  });
});
