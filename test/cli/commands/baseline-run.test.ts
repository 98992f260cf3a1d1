// `llmfin baseline save` writes a run's section or, with --prompts, the templates' section:
// --by, --run, --since and --until mean nothing to templates, --model nothing to a run.
// Given to the other they were ignored without a word; they are now refused, exit 2, and
// the baseline file is left as it was.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const cwd = tempDir();
const db = join(cwd, 'ledger.db');

beforeAll(async () => {
  const rows = Array.from({ length: 4 }, (_, i) =>
    JSON.stringify({ id: `r${i}`, ts: '2026-11-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, feature: 'checkout', tags: { run_id: 'main-1' } }),
  );
  writeFileSync(join(cwd, 'runs.jsonl'), `${rows.join('\n')}\n`);
  mkdirSync(join(cwd, 'prompts'));
  writeFileSync(join(cwd, 'prompts', 'a.md'), 'Hello {{name}}, summarise this.\n');
  expect((await runCli(['import', 'runs.jsonl', '--db', db], { cwd })).code).toBe(0);
});

describe('baseline save --prompts with a run\'s option', () => {
  for (const [args, flag] of [
    [['--by', 'model'], '--by'],
    [['--run', 'main-1'], '--run'],
    [['--since', '2026-11-01'], '--since'],
    [['--until', '2026-11-02'], '--until'],
  ] as const) {
    it(`${args.join(' ')} is exit 2 naming ${flag}, and writes no file`, async () => {
      const out = `b-${flag.slice(2)}.json`;
      const r = await runCli(['baseline', 'save', '--prompts', 'prompts/*.md', ...args, '--out', out, '--db', db], { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${flag}: not with --prompts, which records prompt templates and reads no ledger rows`);
      expect(existsSync(join(cwd, out))).toBe(false);
    });
  }
});

describe('baseline save of a run with --model', () => {
  it('is exit 2 and writes no file', async () => {
    const r = await runCli(['baseline', 'save', '--run', 'main-1', '--model', 'gpt-4o-mini', '--out', 'm.json', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin: error: --model: only with --prompts');
    expect(existsSync(join(cwd, 'm.json'))).toBe(false);
  });

  it('without it records the run: 4 requests at $0.0035 (1,000 × $2.50 + 100 × $10 per 1M)', async () => {
    const r = await runCli(['baseline', 'save', '--run', 'main-1', '--out', 'ok.json', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const usage = JSON.parse(readFileSync(join(cwd, 'ok.json'), 'utf8')).usage;
    expect(usage.run_id).toBe('main-1');
    expect(usage.groups.checkout).toMatchObject({ requests: 4, cost_per_request_usd: '0.0035' });
  });
});

// A save keeps the section it does not write from the file already at --out, so it refuses
// to replace one it cannot read; the reader's own hint ("save it again") was the command
// that had just failed.
describe('baseline save over a file it cannot read', () => {
  it('names the file, says why it is kept, and leaves it as it was', async () => {
    const future = JSON.stringify({ kind: 'llmfin-baseline', schema_version: 9 });
    writeFileSync(join(cwd, 'future.json'), future);
    const r = await runCli(['baseline', 'save', '--run', 'main-1', '--out', 'future.json', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: ${join(cwd, 'future.json')}: baseline schema_version 9 is newer than this llmfin reads (1); \`baseline save\` keeps the section it does not write from the file already there, so it does not replace one it cannot read`);
    expect(r.stderr).toContain('hint: fix the file, or delete it and save again (its other section is then lost), or write elsewhere with --out');
    expect(r.stderr).not.toContain('save the baseline again');
    expect(readFileSync(join(cwd, 'future.json'), 'utf8')).toBe(future);
  });

  it('keeps the line of broken JSON in the message', async () => {
    writeFileSync(join(cwd, 'broken.json'), '{\n  "kind": "llmfin-baseline"\n  "schema_version": 1\n}\n');
    const r = await runCli(['baseline', 'save', '--run', 'main-1', '--out', 'broken.json', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: ${join(cwd, 'broken.json')}:3: expected valid JSON, got expected ',' or '}' after property value at column 3; \`baseline save\` keeps`);
    expect(r.stderr).not.toContain('save it again with `llmfin baseline save`');
  });

  it('names a directory given as --out as a directory', async () => {
    mkdirSync(join(cwd, 'ci'));
    const r = await runCli(['baseline', 'save', '--run', 'main-1', '--out', 'ci', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`llmfin: error: ${join(cwd, 'ci')}: a directory, not a file to write the baseline to\nhint: give --out a file name, such as llmfin.baseline.json\n`);
  });
});

// A run outside --since/--until was reported as if it had never been recorded, with a hint to
// record it again; `check` names the window. Both now say the same.
describe('baseline save of a run with no request in its window', () => {
  it('names the window as written and as read, and hints at it', async () => {
    const r = await runCli(['baseline', 'save', '--run', 'main-1', '--since', '2026-11-02', '--out', 'w.json', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`llmfin: error: no metered requests tagged run_id=main-1 from 2026-11-02T00:00:00.000Z (--since 2026-11-02) in ${db}\nhint: widen or drop --since/--until: the run must have requests inside the window\n`);
    expect(existsSync(join(cwd, 'w.json'))).toBe(false);
  });

  it('counts the attempts the upstream refused, which are left out of the run', async () => {
    const failed = Array.from({ length: 2 }, (_, i) =>
      JSON.stringify({ id: `f${i}`, ts: '2026-11-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 0, output_tokens: 0, status_code: 429, feature: 'checkout', tags: { run_id: 'throttled' } }),
    );
    writeFileSync(join(cwd, 'throttled.jsonl'), `${failed.join('\n')}\n`);
    expect((await runCli(['import', 'throttled.jsonl', '--db', db], { cwd })).code).toBe(0);
    const r = await runCli(['baseline', 'save', '--run', 'throttled', '--out', 't.json', '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: no metered requests tagged run_id=throttled in ${db} (only 2 attempts the upstream answered with an error, which ran no model)`);
  });
});
