import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built CLI, as a shell runs it: `llmfin … | head` must not print a stack trace.
const BIN = join(import.meta.dirname, '../../bin/llmfin');

function runClosing(args: string[], close: 'stdout' | 'stderr'): Promise<{ code: number | null; stderr: string; stdoutBytes: number }> {
  return new Promise((resolve, reject) => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmfin-pipes-'));
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdoutBytes = 0;
    if (close === 'stdout') {
      // Read one chunk, then go away like `head -1` does.
      child.stdout.once('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    } else {
      child.stderr.destroy();
      child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
    }
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdoutBytes }));
  });
}

describe('closed pipes', () => {
  it('ends quietly with exit 0 when stdout is closed early', async () => {
    // The whole catalogue as JSON is far more than a pipe holds, so writes go on after the close.
    const r = await runClosing(['pricing', 'list', '--format', 'json'], 'stdout');
    expect(r.stdoutBytes).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('keeps the exit code of a user error when stderr is closed', async () => {
    const r = await runClosing(['report', '--by', 'nosuch', '--db', join(tmpdir(), 'llmfin-pipes-none.db')], 'stderr');
    expect(r.code).toBe(2);
  });

  it.runIf(existsSync('/dev/full'))('a stdout that cannot be written (a full disk) is exit 2 with one line, not a stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const cwd = mkdtempSync(join(tmpdir(), 'llmfin-pipes-'));
        const child = spawn(process.execPath, [BIN, 'pricing', 'list', '--format', 'json'], { cwd, stdio: ['ignore', full, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('llmfin: error: cannot write to standard output (ENOSPC: no space left on device, write); the output is incomplete\n');
    } finally {
      closeSync(full);
    }
  });
});
