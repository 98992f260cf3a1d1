// End to end: the built `llmfin top` in a real terminal (tmux, 100x30) while another process
// writes rows into its ledger; the numbers and the budget bar must move, and q must exit 0.
// Needs `npm run build` first (npm test does it) and tmux; skipped without them.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openLedger } from '../../src/ledger/index.js';

const root = resolve(import.meta.dirname, '../..');
const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const built = existsSync(join(root, 'dist/cli/bin.js'));
// Our own tmux server: the user's sessions are never touched.
const socket = `llmfin-top-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'llmfin-top-e2e-'));
let writer: ChildProcess | undefined;

afterAll(() => {
  writer?.kill('SIGTERM');
  tmux('kill-server');
  rmSync(dir, { recursive: true, force: true });
});

const screen = () => tmux('capture-pane', '-p', '-t', 'top').stdout;

async function until(what: string, predicate: (text: string) => boolean, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (predicate(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const today = (text: string) => Number(/today \$([\d,.]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
const budgetLine = (text: string) => text.split('\n').find((l) => l.startsWith('org-daily')) ?? '';
const filled = (line: string) => (/\[(█*)/.exec(line)?.[1] ?? '').length;

describe.skipIf(!haveTmux || !built)('llmfin top in a terminal', () => {
  it('moves while another process writes, and exits 0 on q', async () => {
    const db = join(dir, 'ledger.db');
    await (await openLedger(db)).close();
    const config = join(dir, 'llmfin.yaml');
    writeFileSync(config, 'budgets:\n  - name: org-daily\n    period: daily\n    limit_usd: 5\n');
    const status = join(dir, 'exit-status');
    const command = `cd ${dir} && NO_COLOR=1 LLMFIN_CONFIG= node ${join(root, 'bin/llmfin')} top --db ${db} --config ${config} --refresh 250ms; echo $? > ${status}; sleep 5`;
    expect(tmux('new-session', '-d', '-s', 'top', '-x', '100', '-y', '30', command).status).toBe(0);

    const first = await until('the dashboard', (t) => t.includes('org-daily') && t.includes('Latest requests'));
    expect(today(first)).toBe(0);
    expect(budgetLine(first)).toMatch(/0\.0% OK/);

    // 20 rows a second at $0.05: $1 a second against a $5 daily budget.
    writer = spawn(process.execPath, [join(root, 'test/tui/fixtures/ledger-writer.mjs'), db, '20', '0.05'], { stdio: 'ignore' });
    const moving = await until('spend to appear', (t) => today(t) > 0 && filled(budgetLine(t)) > 0);
    const warn = await until('the bar to pass the soft limit', (t) => /WARN|OVER/.test(budgetLine(t)));
    expect(today(warn)).toBeGreaterThan(today(moving));
    expect(filled(budgetLine(warn))).toBeGreaterThan(filled(budgetLine(moving)));
    expect(warn).toMatch(/\d+(\.\d)? req\/s/);
    expect(warn).toMatch(/claude-haiku-4-5 +← claude-sonnet-4-5/);
    const over = await until('the bar to reach the limit', (t) => / OVER /.test(budgetLine(t)));
    expect(budgetLine(over)).toMatch(/\[█+\] +\d+\.\d% OVER/);
    writer.kill('SIGTERM');

    tmux('send-keys', '-t', 'top', 'q');
    const deadline = Date.now() + 5000;
    while (!existsSync(status) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(status, 'utf8').trim()).toBe('0');
  }, 30_000);
});
