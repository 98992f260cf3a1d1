// `llmfin check` checks a run (ledger rows) or prompt templates (--prompts), and each
// reads options of its own: --run, --since and --until mean nothing to a template check,
// --model nothing to a run's. Given to the other kind they were ignored without a word;
// they are now refused, exit 2, naming the option, and the check still runs without them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const cwd = tempDir();
const db = join(cwd, 'ledger.db');

/** Ten gpt-4o requests of a run: `input` tokens in, 100 out, feature checkout. */
function run(id: string, day: string, input: number): string {
  return Array.from({ length: 10 }, (_, i) =>
    JSON.stringify({ id: `${id}-${i}`, ts: `${day}T10:00:00Z`, provider: 'openai', model: 'gpt-4o', input_tokens: input, output_tokens: 100, feature: 'checkout', tags: { run_id: id } }),
  ).join('\n');
}

beforeAll(async () => {
  writeFileSync(join(cwd, 'runs.jsonl'), `${run('main-1', '2026-11-01', 1000)}\n${run('pr-2', '2026-11-02', 1200)}\n`);
  mkdirSync(join(cwd, 'prompts'));
  writeFileSync(join(cwd, 'prompts', 'a.md'), 'Hello {{name}}, summarise this.\n');
  expect((await runCli(['import', 'runs.jsonl', '--db', db], { cwd })).code).toBe(0);
  expect((await runCli(['baseline', 'save', '--run', 'main-1', '--db', db], { cwd })).code).toBe(0);
  expect((await runCli(['baseline', 'save', '--prompts', 'prompts/*.md', '--db', db], { cwd })).code).toBe(0);
});

describe('check --prompts with a run\'s option', () => {
  for (const [args, flag] of [
    [['--run', 'pr-2'], '--run'],
    [['--since', '2026-11-02'], '--since'],
    [['--until', '2026-11-03'], '--until'],
  ] as const) {
    it(`${args.join(' ')} is exit 2 naming ${flag}`, async () => {
      const r = await runCli(['check', '--prompts', 'prompts/*.md', ...args, '--db', db], { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${flag}: not with a check of prompt templates (--prompts), which reads no ledger rows`);
    });
  }

  it('$LLMFIN_RUN_ID in the environment (as in CI) is not a flag given: the template check passes', async () => {
    const r = await runCli(['check', '--prompts', 'prompts/*.md', '--db', db], { cwd, env: { LLMFIN_RUN_ID: 'pr-2' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('passed: 1 prompt template within tolerance');
  });
});

describe('check of a run with --model', () => {
  it('is exit 2: the run is priced at the models it used', async () => {
    const r = await runCli(['check', '--run', 'pr-2', '--model', 'gpt-4o-mini', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('llmfin: error: --model: only with --prompts');
  });

  it('without it, the run is judged: $0.0035 → $0.004 per request is +14.3%, past 10%, exit 1', async () => {
    const r = await runCli(['check', '--run', 'pr-2', '--db', db, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    const g = JSON.parse(r.stdout).rows.find((x: { feature: string }) => x.feature === 'checkout');
    expect(g).toMatchObject({ status: 'fail', before: { cost_per_request_usd: 0.0035 }, after: { cost_per_request_usd: 0.004 } });
  });
});
