// `llmfin export --out -` writes to stdout, as `-` means for most command-line tools,
// rather than creating a file named "-" in the current folder.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('export --out -', () => {
  it('is stdout, and leaves no file named "-"', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    writeFileSync(join(dir, 'rows.jsonl'), `${JSON.stringify({ id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100 })}\n`);
    expect((await runCli(['import', '--db', db, join(dir, 'rows.jsonl')])).code).toBe(0);
    const r = await runCli(['export', '--db', db, '--format', 'jsonl', '--out', '-'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    // 1000 × $2.50/1M + 100 × $10/1M = $0.0035.
    expect(JSON.parse(lines[0]!)).toMatchObject({ model: 'gpt-4o', cost_usd: '0.0035' });
    expect(existsSync(join(dir, '-'))).toBe(false);
  });
});
