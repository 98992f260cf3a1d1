// `llmfin attribute --explain IDENTIFIERS`: every identifier a rule can match, tags included; mistakes name --explain.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

function project(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'llmfin.yaml'),
    [
      'attribution:',
      '  rules:',
      '    - name: finance tag',
      '      match: { tags.cost_center: "CC-*" }',
      '      set: { team: finance }',
      '    - name: keys by prefix',
      '      match: { api_key: "/^sk-([a-z]+)-/" }',
      '      set: { feature: $1 }',
      '',
    ].join('\n'),
  );
  return dir;
}

type Explained = { subject: string; identifiers: Record<string, string>; rows: Array<{ dimension: string; value: string | null; by: string; rule?: string }> };

describe('llmfin attribute --explain', () => {
  it('explains identifiers that include a tag (tags.KEY), as the rules match them', async () => {
    const cwd = project();
    const j = await runJson<Explained>(['attribute', '--explain', 'tags.cost_center=CC-42,api_key=sk-search-7'], { cwd });
    expect(j.identifiers).toEqual({ api_key: 'sk-search-7', tags: '{"cost_center":"CC-42"}' });
    const by = Object.fromEntries(j.rows.map((r) => [r.dimension, [r.value, r.by]]));
    expect(by.team).toEqual(['finance', 'rule']);
    expect(by.feature).toEqual(['search', 'rule']);
  });

  it('a malformed or unknown identifier is exit 2 naming --explain, not another option', async () => {
    const cwd = project();
    writeFileSync(join(cwd, 'one.jsonl'), '{"id":"r1","ts":"2026-10-01T12:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1,"output_tokens":1}\n');
    expect((await runCli(['import', '--db', 'l.db', 'one.jsonl'], { cwd })).code).toBe(0);
    for (const [arg, message] of [
      // No "=": a row's id as an export writes it, and no row has this one.
      ['api_key', '--explain: no ledger row has the id "api_key"; expected a ledger row number, a row\'s id as `llmfin export` writes it, or identifiers such as "api_key=sk-support-1,project=proj_web,tags.env=prod"'],
      ['colour=blue', '--explain: expected identifiers such as "api_key=sk-support-1,project=proj_web,tags.env=prod", got "colour"'],
      ['team=a,team=b', '--explain: expected one value per identifier, got team=a and team=b'],
      ['team=', '--explain: expected a value after "team=", got nothing'],
    ] as const) {
      const r = await runCli(['attribute', '--db', 'l.db', '--explain', arg], { cwd });
      expect(r.code, arg).toBe(2);
      expect(r.stderr, arg).toContain(message);
      expect(r.stderr, arg).not.toContain('--where');
      expect(r.stdout, arg).toBe('');
    }
  });

  it('explains a row by the id `llmfin export` writes for it, as by its row number', async () => {
    const cwd = project();
    const rows = [
      { id: 'run-7-step-1', ts: '2026-10-01T12:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, api_key: 'sk-search-7', tags: { cost_center: 'CC-9' } },
      { id: 'run-7-step-2', ts: '2026-10-01T12:01:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, api_key: 'sk-growth-1' },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);
    const exported = (await runCli(['export', '--db', 'l.db'], { cwd })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(exported.map((r) => r.id)).toEqual(['run-7-step-1', 'run-7-step-2']);
    const byKey = await runJson<Explained>(['attribute', '--db', 'l.db', '--explain', 'run-7-step-2'], { cwd });
    expect(byKey.subject).toMatch(/^row 2 \(metered, llmfin, 2026-10-01T12:01:00.000Z\)$/);
    expect(byKey.rows.find((r) => r.dimension === 'feature')).toMatchObject({ value: 'growth', by: 'rule' });
    const byNumber = await runJson<Explained>(['attribute', '--db', 'l.db', '--explain', '2'], { cwd });
    expect(byNumber.rows).toEqual(byKey.rows);
    const first = await runJson<Explained>(['attribute', '--db', 'l.db', '--explain', 'run-7-step-1'], { cwd });
    expect(first.rows.find((r) => r.dimension === 'team')).toMatchObject({ value: 'finance', by: 'rule' });
  });
});
