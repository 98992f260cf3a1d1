// `report --chargeback` with rows the catalogue cannot price: their cost is unknown, so
// the chargeback must say it leaves them out rather than drop them without a word.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('report --chargeback with unpriced rows', () => {
  it('names the rows and the team it cannot charge, not a silent $0', async () => {
    const dir = tempDir();
    const rows = [
      // gpt-4o: 1M input x $2.50/1M = $2.50.
      { id: 's1', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, team: 'search' },
      // 1M input x $2.50/1M + 100k output x $10/1M = $3.50, shared.
      { id: 'p1', ts: '2026-10-06T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 100_000, team: 'platform' },
      // A model no catalogue knows: cost unknown.
      { id: 'l1', ts: '2026-10-07T10:00:00Z', provider: 'openai', model: 'mystery-model-9', input_tokens: 1000, team: 'legal' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const db = join(dir, 'l.db');
    expect((await runCli(['import', '--db', db, join(dir, 'rows.jsonl')])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'attribution:\n  shared:\n    - { name: platform, from: { team: platform }, method: even }\n');

    for (const format of ['csv', 'json', 'table']) {
      const r = await runCli(['report', '--db', db, '--chargeback', '--month', '2026-10', '--format', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('1 ledger row has no price');
      expect(r.stderr).toContain('legal');
    }
    const csv = await runCli(['report', '--db', db, '--chargeback', '--month', '2026-10', '--format', 'csv'], { cwd: dir });
    // search: direct $2.50 + the whole $3.50 (the only team with priced spend) = $6.00.
    expect(csv.stdout.trim().split('\n')).toEqual(['team,direct_usd,shared_usd.platform,total_usd', 'search,2.5,3.5,6']);
  });

  it('says nothing of prices when every row is priced', async () => {
    const dir = tempDir();
    const rows = [
      { id: 's1', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, team: 'search' },
      { id: 'p1', ts: '2026-10-06T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 100_000, team: 'platform' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const db = join(dir, 'l.db');
    expect((await runCli(['import', '--db', db, join(dir, 'rows.jsonl')])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'attribution:\n  shared:\n    - { name: platform, from: { team: platform }, method: even }\n');
    const r = await runCli(['report', '--db', db, '--chargeback', '--format', 'csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    // search: $2.50 + platform's $3.50 = $6.00.
    expect(r.stdout.trim().split('\n')).toEqual(['team,direct_usd,shared_usd.platform,total_usd', 'search,2.5,3.5,6']);
  });
});

describe('report --chargeback with a shared line that matches no spend', () => {
  it('names the line and the values there are, rather than a silent $0.00 column', async () => {
    const dir = tempDir();
    const rows = [
      // $2.50 and $3.50 (gpt-4o: $2.50/1M input, $10/1M output).
      { id: 's1', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, team: 'search' },
      { id: 'p1', ts: '2026-10-06T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 100_000, team: 'platform' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const db = join(dir, 'l.db');
    expect((await runCli(['import', '--db', db, join(dir, 'rows.jsonl')])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'attribution:\n  shared:\n    - { name: platform, from: { team: platfrom }, method: even }\n');
    const r = await runCli(['report', '--db', db, '--chargeback', '--format', 'csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe('warning: attribution.shared "platform": no spend in this period has team=platfrom, so it shares nothing; the values of team are platform, search');
    // Nothing is shared: each team keeps its own spend.
    expect(r.stdout.trim().split('\n')).toEqual(['team,direct_usd,shared_usd.platform,total_usd', 'platform,3.5,0,3.5', 'search,2.5,0,2.5']);
  });
});

describe('report --chargeback on a window with no spend', () => {
  it('says where the spend is, as the grouped report does, instead of a bare $0.00 total', async () => {
    const dir = tempDir();
    // gpt-4o: 1M input x $2.50/1M = $2.50, metered.
    const row = { id: 's1', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, team: 'search' };
    writeFileSync(join(dir, 'rows.jsonl'), `${JSON.stringify(row)}\n`);
    const db = join(dir, 'l.db');
    expect((await runCli(['import', '--db', db, join(dir, 'rows.jsonl')])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'attribution:\n  shared:\n    - { name: platform, from: { team: search }, method: even }\n');
    const before = await runCli(['report', '--db', db, '--chargeback', '--month', '2026-09'], { cwd: dir });
    expect(before.code, before.stderr).toBe(0);
    // --month 2026-09 ends before the one row, of 2026-10-05.
    expect(before.stderr).toContain("no spend in this period; the ledger's first usage is on 2026-10-05, after the window's end (2026-10-01, exclusive) — move the window later");
    const billed = await runCli(['report', '--db', db, '--chargeback', '--month', '2026-10', '--basis', 'billed'], { cwd: dir });
    expect(billed.code, billed.stderr).toBe(0);
    expect(billed.stderr).toContain('no billed spend in this period: the ledger has $2.50 here on other layers (the default basis) — drop --basis to count it');
  });
});
