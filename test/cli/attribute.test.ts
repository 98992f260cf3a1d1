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
    for (const [arg, message] of [
      ['api_key', '--explain: expected a ledger row id or identifiers such as "api_key=sk-support-1,project=proj_web,tags.env=prod", got "api_key"'],
      ['colour=blue', '--explain: expected identifiers such as "api_key=sk-support-1,project=proj_web,tags.env=prod", got "colour"'],
      ['team=a,team=b', '--explain: expected one value per identifier, got team=a and team=b'],
      ['team=', '--explain: expected a value after "team=", got nothing'],
    ] as const) {
      const r = await runCli(['attribute', '--explain', arg], { cwd });
      expect(r.code, arg).toBe(2);
      expect(r.stderr, arg).toContain(message);
      expect(r.stderr, arg).not.toContain('--where');
      expect(r.stdout, arg).toBe('');
    }
  });
});
