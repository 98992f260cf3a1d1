// What `llmfin proxy` keeps loaded on its event loop's thread, where every module's source
// and compiled code stay for the life of the process: not YAML, zod and the config schemas
// (llmfin.yaml is read on a thread of its own), not the whole of undici (forwarding needs
// its Pool; a budget's webhook loads the rest with its first alert). Read from a heap
// snapshot of the running proxy (the built bin, with a budget and a webhook configured),
// which holds the URL of every module loaded on that thread. Needs `npm run build`.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const BIN = join(import.meta.dirname, '../../bin/llmfin');
const DIST = new URL('../../dist/', import.meta.url).href;

describe('llmfin proxy: modules on the event loop thread', () => {
  it('holds the Pool-only undici and none of YAML, zod, the config schemas or the whole undici', async () => {
    const dir = tempDir();
    const config = join(dir, 'llmfin.yaml');
    writeFileSync(config, 'budgets:\n  - name: org\n    limit_usd: 1000\n    action: block\n    webhook: http://127.0.0.1:9/hook\n');
    const proc = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', BIN, 'proxy', '--port', '0', '--db', join(dir, 'l.db'), '--config', config, '--upstream', 'openai=http://127.0.0.1:9'], {
      cwd: dir,
      env: { ...process.env, LLMFIN_CONFIG: '', LLMFIN_DB: '', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    const wait = async (done: () => boolean) => {
      const end = Date.now() + 20_000;
      while (!done()) {
        if (Date.now() > end) throw new Error(`timed out; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await wait(() => err.includes('listening on'));
    proc.kill('SIGUSR2');
    const snapshot = () => readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
    let text = '';
    await wait(() => {
      const name = snapshot();
      if (name === undefined) return false;
      text = readFileSync(join(dir, name), 'utf8');
      return text.endsWith('}'); // written to the end
    });
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);

    const loaded = (path: string) => text.includes(`"${DIST}${path}"`);
    // The snapshot has the URLs of what is loaded (checked on modules the proxy needs).
    expect(['vendor/undici-pool.js', 'proxy/start-proxy.js', 'cli/load-config-off-thread.js', 'vendor/kysely.js'].filter(loaded)).toHaveLength(4);
    expect(['vendor/zod.js', 'vendor/yaml.js', 'config/config-schema.js', 'config/parse-config-text.js', 'vendor/undici.js', 'budgets/alert-webhook.js'].filter(loaded)).toEqual([]);
  });
});
