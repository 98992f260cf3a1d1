// The README's export round trip (section "`llmfin export`: the ledger out again") is run
// here as it reads: on a ledger of the files it names, each `$ ` line of its console block
// must print exactly the lines the README shows under it, so the block cannot go stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');

interface Step {
  line: number;
  env: Record<string, string>;
  argv: string[];
  shown: string[];
}

/** The section's prose (the files the ledger holds) and its console block, split into steps. */
function section(): { prose: string; steps: Step[] } {
  const start = README.findIndex((l) => l.startsWith('### `llmfin export`'));
  expect(start).toBeGreaterThanOrEqual(0);
  const open = README.findIndex((l, i) => i > start && l === '```console');
  const close = README.findIndex((l, i) => i > open && l === '```');
  const steps: Step[] = [];
  for (let i = open + 1; i < close; i++) {
    const m = /^\$ ((?:[A-Z_]+=\S+ )*)llmfin (.*)$/.exec(README[i]!);
    if (m) {
      const env = Object.fromEntries(m[1]!.trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
      steps.push({ line: i + 1, env, argv: m[2]!.split(/\s+/), shown: [] });
    } else steps.at(-1)!.shown.push(README[i]!);
  }
  return { prose: README.slice(start, open).join('\n'), steps };
}

describe('the README\'s export round trip', () => {
  const cwd = tempDir();
  const { prose, steps } = section();
  const files = [...prose.matchAll(/`((?:test\/)?fixtures\/[^`]+)`/g)].map((m) => m[1]!);

  beforeAll(async () => {
    // The ledger is the one the prose names, built from its files.
    const r = await runCli(['import', ...files.map((f) => join(ROOT, f))], { cwd, env: { LLMFIN_DB: join(cwd, 'ledger.db') } });
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it('names the files its ledger holds, and shows export, export to .csv, FOCUS, import and import again', () => {
    expect(files).toEqual(['fixtures/demo/metered-2026-10.jsonl', 'test/fixtures/importers/openai-costs/costs-2026-10.json']);
    expect(steps.map((s) => s.argv.slice(0, 3).join(' '))).toEqual(['export --out ledger.jsonl', 'export --month 2026-10', 'export --format focus', 'import ledger.jsonl', 'import ledger.jsonl']);
  });

  it('each command prints what the README shows under it, in order', async () => {
    for (const step of steps) {
      const db = join(cwd, step.env.LLMFIN_DB ?? 'ledger.db');
      const r = await runCli(step.argv, { cwd, env: { LLMFIN_DB: db } });
      expect(r.code, `README line ${step.line}: ${r.stderr}`).toBe(0);
      const printed = `${r.stdout}${r.stderr}`.trimEnd().split('\n');
      expect(printed, `README line ${step.line}: llmfin ${step.argv.join(' ')}`).toEqual(step.shown);
    }
  }, 60_000);
});
