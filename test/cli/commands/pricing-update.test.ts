// `pricing update`: how it dates a dataset file, and where it says a file is not JSON.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../../helpers/cli.js';

const bundled = (name: string) => fileURLToPath(new URL(`../../../pricing/sources/${name}`, import.meta.url));

describe('pricing update: a copy of a bundled dataset', () => {
  it('is as of the bundled copy\'s date, not its file time, and keeps the catalogue version', async () => {
    const cwd = tempDir();
    // The genai-prices feed has no date of its own: a copy made long after (or touched
    // before) would otherwise be dated by its mtime.
    const genai = join(cwd, 'data.json');
    copyFileSync(bundled('genai-prices-v2-data.json'), genai);
    utimesSync(genai, new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    const litellm = join(cwd, 'model_prices_and_context_window.json');
    copyFileSync(bundled('model_prices_and_context_window.json'), litellm);
    utimesSync(litellm, new Date('2027-03-01T00:00:00Z'), new Date('2027-03-01T00:00:00Z'));

    const r = await runCli(['pricing', 'update', genai, litellm, '--dry-run', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { version: string; previous_version: string; sources: Array<{ name: string; as_of: string; bundled: boolean }>; changed: string[] };
    expect(json.sources).toEqual([
      expect.objectContaining({ name: 'litellm', as_of: '2026-07-24', bundled: false }),
      expect.objectContaining({ name: 'genai-prices', as_of: '2026-08-21', bundled: false }),
    ]);
    // The same prices, the same version: not 2027-03-01.1 from a file time.
    expect(json.version).toBe('2026-08-21.1');
    expect(json.previous_version).toBe('2026-08-21.1');
    expect(json.changed).toEqual([]);
  });
});

describe('pricing update: a file that is not valid JSON', () => {
  it('names the file, line and column of the mistake, and writes nothing', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'model_prices_and_context_window.json');
    writeFileSync(file, '{\n  "gpt-x": {\n    "input_cost_per_token": 1e-6,\n  }\n}\n');
    const r = await runCli(['pricing', 'update', file], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3: expected valid JSON, got a trailing comma before "}" at column 33`);
    expect(r.stderr).not.toContain('position');
    expect(existsSync(join(cwd, '.data', 'llmfin', 'pricing'))).toBe(false);
  });
});
