// `llmfin budget status` in a terminal, where its bars and states are coloured: the table's
// columns line up under their headers, and a Markdown table (for a pull request or a chat)
// carries the state as a word, never as terminal escape codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const fx = (name: string) => fileURLToPath(new URL(`../../fixtures/reports/layers-2026-10/${name}`, import.meta.url));
const ESC = '\u001b[';
const COLOUR = { NO_COLOR: undefined, FORCE_COLOR: '1' };

describe('llmfin budget status with colour on', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const r = await runCli(['import', '--db', join(dir, 'l.db'), fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    // On 2026-10-11: support $10.50 of $10 (red), search $43.50 of $50 (amber), the organisation
    // $100.00 of $1,000 (green), and a budget of a feature with no spend (0%: a bar with no colour).
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      `ledger: { path: l.db }
budgets:
  - { name: org, limit_usd: 1000 }
  - { name: search, scope: { team: search }, limit_usd: 50 }
  - { name: support, scope: { team: support }, limit_usd: 10 }
  - { name: idle, scope: { team: search, feature: nothing-yet }, limit_usd: 5 }
`,
    );
  });

  it('lines every column up under its header, as the terminal shows it', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z'], { cwd: dir, env: COLOUR });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(ESC);
    const [, header, ...rows] = r.stdout.trimEnd().split('\n').map(stripVTControlCharacters);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['support', 'search', 'org', 'idle']);
    // Right-aligned USED ends where each row's percentage ends; STATE starts where each state does.
    const usedEnd = header!.indexOf('USED') + 'USED'.length;
    const stateAt = header!.indexOf('STATE');
    for (const [row, percent, state] of [
      [rows[0]!, '105.0%', 'red'],
      [rows[1]!, '87.0%', 'amber'],
      [rows[2]!, '10.0%', 'green'],
      [rows[3]!, '0.0%', 'green'],
    ] as const) {
      expect(row.indexOf(` ${percent} `) + 1 + percent.length, row).toBe(usedEnd);
      expect(row.indexOf(` ${state} `) + 1, row).toBe(stateAt);
    }
  });

  it('writes the states of a Markdown table as words, without escape codes or the terminal\'s bar column', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z', '--format', 'markdown'], { cwd: dir, env: COLOUR });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).toContain('| BUDGET | SCOPE | PERIOD | SPENT | LIMIT | USED | STATE |');
    expect(r.stdout).toContain('| support | team=support | monthly | $10.50 | $10.00 | 105.0% | red |');
  });
});

describe('llmfin budget status with no budgets defined', () => {
  it('still says where the ledger\'s usage ends (latest_usage_at), so a script can tell an empty ledger from one with no budgets', async () => {
    const dir = tempDir();
    const r0 = await runCli(['import', '--db', join(dir, 'l.db'), fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(r0.code, r0.stderr).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets: []\n');
    const r = await runCli(['budget', 'status', '--at', '2026-10-05T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // recorded_until: each provider's record ends with its latest usage's day.
    expect(JSON.parse(r.stdout)).toEqual({ at: '2026-10-05T00:00:00.000Z', latest_usage_at: '2026-10-02T11:00:00.000Z', recorded_until: { openai: '2026-10-03T00:00:00.000Z' }, rows: [] });
    expect(r.stderr).toContain('no budgets defined in');
    // No ledger yet and nothing to judge: still exit 0, with no usage to report.
    const bare = tempDir();
    writeFileSync(join(bare, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets: []\n');
    const none = await runCli(['budget', 'status', '--format', 'json'], { cwd: bare });
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout).latest_usage_at).toBeNull();
    expect(JSON.parse(none.stdout).recorded_until).toEqual({});
  });
});
