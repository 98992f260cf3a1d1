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

  it('numbers the deciding rule from 1 in JSON, as its table and unmatched_rules do', async () => {
    const cwd = project();
    const j = await runJson<{ rows: Array<Record<string, unknown>> }>(['attribute', '--explain', 'api_key=sk-search-7'], { cwd });
    // "keys by prefix" is the second rule of llmfin.yaml: the table says "rule 2 (keys by prefix)".
    expect(j.rows.find((r) => r.dimension === 'feature')).toEqual({ dimension: 'feature', value: 'search', by: 'rule', rule: 'keys by prefix', number: 2 });
    const text = await runCli(['attribute', '--explain', 'api_key=sk-search-7'], { cwd });
    expect(text.stdout).toMatch(/^feature +search +rule 2 \(keys by prefix\)$/m);
  });

  it('keeps a comma inside a value, as a customer name may hold one', async () => {
    const cwd = project();
    const j = await runJson<Explained>(['attribute', '--explain', 'customer=Acme, Inc.,api_key=sk-search-7'], { cwd });
    expect(j.identifiers).toEqual({ customer: 'Acme, Inc.', api_key: 'sk-search-7' });
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

describe('llmfin attribute --explain ROW, where the row takes what its bill shares', () => {
  // October's OpenAI bill: $10.00 from one account. The proxy's rows know no account; the
  // report puts them under acct-1, so a rule matching that account attributes them.
  function billed(): string {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'llmfin.yaml'),
      ['attribution:', '  rules:', '    - name: acct', '      match: { account: acct-1 }', '      set: { cost_center: CC-ACCT }', ''].join('\n'),
    );
    const rows = [
      // gpt-4o input at $2.50 per 1M tokens: $2.50 and $1.00.
      { id: 'p1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0 },
      { id: 'p2', ts: '2026-10-02T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 400_000, output_tokens: 0, tags: { cost_center: 'CC-OWN' } },
      { id: 'b1', ts: '2026-10-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', granularity: 'month', provenance: 'billed', cost_usd: '10.00', input_tokens: 0, output_tokens: 0, account: 'acct-1' },
      // November has no bill: its proxy row keeps no account.
      { id: 'p3', ts: '2026-11-02T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 400_000, output_tokens: 0 },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    return cwd;
  }

  it('says the rule set it, as `report --by` counts the row', async () => {
    const cwd = billed();
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);
    type Report = { rows: Array<{ cost_center: string; cost_usd: number; requests: number }> };
    const report = await runJson<Report>(['report', '--db', 'l.db', '--by', 'cost_center', '--month', '2026-10'], { cwd });
    // The bill's $10.00: p1's $2.50 under acct-1, p2's $1.00, and the $6.50 no proxy row explains.
    expect(report.rows).toEqual([
      expect.objectContaining({ cost_center: '(unattributed)', cost_usd: 6.5, requests: 0 }),
      expect.objectContaining({ cost_center: 'CC-ACCT', cost_usd: 2.5, requests: 1 }),
      expect.objectContaining({ cost_center: 'CC-OWN', cost_usd: 1, requests: 1 }),
    ]);
    const p1 = await runJson<Explained & { bill_shares?: Record<string, string> }>(['attribute', '--db', 'l.db', '--explain', 'p1'], { cwd });
    expect(p1.rows.find((r) => r.dimension === 'cost_center')).toMatchObject({ value: 'CC-ACCT', by: 'rule', rule: 'acct' });
    expect(p1.bill_shares).toEqual({ account: 'acct-1' });
    expect(p1.identifiers).toMatchObject({ provider: 'openai', account: 'acct-1' });
    const text = await runCli(['attribute', '--db', 'l.db', '--explain', 'p1'], { cwd });
    expect(text.stdout).toContain('account acct-1 from the bill of openai 2026-10');
    // A value the row records itself still wins; a month with no bill shares nothing.
    const p2 = await runJson<Explained>(['attribute', '--db', 'l.db', '--explain', 'p2'], { cwd });
    expect(p2.rows.find((r) => r.dimension === 'cost_center')).toMatchObject({ value: 'CC-OWN', by: 'recorded' });
    const p3 = await runJson<Explained & { bill_shares?: Record<string, string> }>(['attribute', '--db', 'l.db', '--explain', 'p3'], { cwd });
    expect(p3.rows.find((r) => r.dimension === 'cost_center')).toMatchObject({ value: null, by: 'none' });
    expect(p3.bill_shares).toEqual({});
  });
});

describe('llmfin attribute: coverage of a window and a basis', () => {
  it('leaves unattributed what `report --by DIM` does, for the same --month and --basis', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), ['attribution:', '  rules:', '    - match: { api_key: "sk-search-*" }', '      set: { team: search }', ''].join('\n'));
    // gpt-4o input at $2.50 per 1M tokens. October: search $2.50, unattributed $1.00 (a key
    // no rule matches) and $0.50 (no key). November: search $0.25, unattributed $0.75.
    const rows = [
      { id: 'o1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0, api_key: 'sk-search-1' },
      { id: 'o2', ts: '2026-10-02T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 400_000, output_tokens: 0, api_key: 'sk-growth-1' },
      { id: 'o3', ts: '2026-10-03T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 200_000, output_tokens: 0 },
      { id: 'n1', ts: '2026-11-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 100_000, output_tokens: 0, api_key: 'sk-search-1' },
      { id: 'n2', ts: '2026-11-02T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 300_000, output_tokens: 0 },
      // A billed row for November of $2.00: the default basis takes November's money from it.
      { id: 'nb', ts: '2026-11-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', granularity: 'month', provenance: 'billed', cost_usd: '2.00', input_tokens: 0, output_tokens: 0 },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);
    type Coverage = { since: string | null; until: string | null; basis: string; rows: Array<{ dimension: string; values: number; unattributed_usd: number; unattributed_share: number }> };
    type Report = { rows: Array<{ team: string; cost_usd: number; share: number }> };
    const team = (c: Coverage) => c.rows.find((r) => r.dimension === 'team');
    const cases: Array<[string[], { values: number; unattributed_usd: number; unattributed_share: number }]> = [
      // October: $1.50 of $4.00.
      [['--month', '2026-10'], { values: 1, unattributed_usd: 1.5, unattributed_share: 0.375 }],
      // November, default basis: the $2.00 bill over its metered $1.00 — search $0.25, and $0.75 + $1.00 unexplained.
      [['--since', '2026-11-01', '--until', '2026-12-01'], { values: 1, unattributed_usd: 1.75, unattributed_share: 0.875 }],
      // November, metered alone: $0.75 of $1.00.
      [['--month', '2026-11', '--basis', 'metered'], { values: 1, unattributed_usd: 0.75, unattributed_share: 0.75 }],
    ];
    for (const [window, expected] of cases) {
      const coverage = await runJson<Coverage>(['attribute', '--db', 'l.db', ...window], { cwd });
      expect(team(coverage), window.join(' ')).toEqual({ dimension: 'team', ...expected, unattributed_unpriced_rows: 0 });
      const report = await runJson<Report>(['report', '--db', 'l.db', '--by', 'team', ...window], { cwd });
      const un = report.rows.find((r) => r.team === '(unattributed)')!;
      expect([un.cost_usd, un.share], window.join(' ')).toEqual([expected.unattributed_usd, expected.unattributed_share]);
    }
    const october = await runJson<Coverage>(['attribute', '--db', 'l.db', '--month', '2026-10', '--basis', 'metered'], { cwd });
    expect([october.since, october.until, october.basis]).toEqual(['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'metered']);
    const text = await runCli(['attribute', '--db', 'l.db', '--month', '2026-10'], { cwd });
    expect(text.stdout).toContain('spend left unattributed per dimension (2026-10-01 to 2026-11-01 (exclusive), default basis)');
    // The table shows the money too, to compare with the report's (unattributed) row to the cent.
    expect(text.stdout).toMatch(/DIMENSION +VALUES +UNATTRIBUTED +SHARE\n/);
    expect(text.stdout).toMatch(/\nteam +1 +\$1\.50 +37\.5%\n/);
    const bad = await runCli(['attribute', '--db', 'l.db', '--basis', 'invoice'], { cwd });
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain('--basis: expected default, billed, provider_usage, metered, got "invoice"');
  });
});

describe('llmfin attribute: rules that match nothing', () => {
  it('names a rule no row of the window matches, and says nothing of the ones that match', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'llmfin.yaml'),
      [
        'attribution:',
        '  rules:',
        '    - name: search keys',
        '      match: { api_key: "/^sk-([a-z]+)-/" }',
        '      set: { team: $1 }',
        '    - name: misspelt project',
        '      match: { project: "proj_serch*" }',
        '      set: { feature: answers }',
        '    - match: { tags.cost_center: "CC-*", provider: openai }',
        '      set: { cost_center: finance }',
        '',
      ].join('\n'),
    );
    const rows = [
      { id: 'o1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, api_key: 'sk-search-1', project: 'proj_search' },
      { id: 'n1', ts: '2026-11-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, tags: { cost_center: 'CC-7' } },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);

    const all = await runCli(['attribute', '--db', 'l.db'], { cwd });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr.trim().split('\n')).toEqual([
      'warning: rule 2 (misspelt project) matches no ledger row, so it sets nothing: check its patterns (project: proj_serch*) against the values the rows have (`llmfin report --by project` lists them)',
    ]);
    // In October the tag rule (rule 3, unnamed) matches nothing either; in JSON the list says so, and stderr stays quiet.
    const october = await runJson<{ unmatched_rules: Array<{ number: number; name: string }> }>(['attribute', '--db', 'l.db', '--month', '2026-10'], { cwd });
    expect(october.unmatched_rules).toEqual([
      { number: 2, name: 'misspelt project' },
      { number: 3, name: 'rule 3' },
    ]);
    const text = await runCli(['attribute', '--db', 'l.db', '--month', '2026-10'], { cwd });
    expect(text.stderr).toContain('warning: rule 3 matches no ledger row from 2026-10-01 to 2026-11-01 (exclusive), so it sets nothing: check its patterns (tags.cost_center: CC-*, provider: openai) against the values the rows have\n');
    // A window with no usage at all has nothing to judge the rules by: no rule is named,
    // only that the window has nothing to attribute.
    const empty = await runCli(['attribute', '--db', 'l.db', '--month', '2026-09'], { cwd });
    expect([empty.code, empty.stderr]).toEqual([
      0,
      "nothing to attribute from 2026-09-01 to 2026-10-01 (exclusive): no spend in that window; the ledger's usage runs from 2026-10-01 to 2026-11-01 — pick a window there with --month or --since/--until\n",
    ]);
  });
});

describe('llmfin attribute: rows without a price', () => {
  it('does not read a dimension they leave unattributed as $0.00 unattributed', async () => {
    const cwd = tempDir();
    // search: 1M input tokens of gpt-4o at $2.50/1M = $2.50; the other row's model has no price and no team.
    const rows = [
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, team: 'search' },
      { id: 'b', ts: '2026-10-02T10:00:00Z', provider: 'openai', model: 'mystery-model-9', input_tokens: 1000 },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);
    type Coverage = { rows: Array<{ dimension: string; unattributed_usd: number; unattributed_unpriced_rows: number }> };
    const j = await runJson<Coverage>(['attribute', '--db', 'l.db'], { cwd });
    const row = (d: string) => j.rows.find((r) => r.dimension === d);
    expect(row('team')).toMatchObject({ unattributed_usd: 0, unattributed_unpriced_rows: 1 });
    expect(row('feature')).toMatchObject({ unattributed_usd: 2.5, unattributed_unpriced_rows: 1 });
    const text = await runCli(['attribute', '--db', 'l.db'], { cwd });
    expect(text.stdout).toMatch(/\nteam +1 +unpriced +0\.0%\n/);
    expect(text.stdout).toMatch(/\nfeature +0 +\$2\.50 \+ unpriced +100\.0%\n/);
    expect(text.stderr).toContain('1 ledger row has no price');
  });
});

describe('llmfin attribute --explain DIGITS', () => {
  it('explains the ledger row of that number, and says which row has those digits as its export id', async () => {
    const cwd = project();
    const rows = [
      { id: '2', ts: '2026-10-01T12:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, api_key: 'sk-search-7' },
      { id: 'x', ts: '2026-10-01T12:01:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, api_key: 'sk-growth-1' },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);
    const r = await runCli(['attribute', '--db', 'l.db', '--explain', '2', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Explained).subject).toMatch(/^row 2 /);
    expect(r.stderr).toContain('--explain 2 is ledger row 2; the row whose id is "2" in `llmfin export` is row 1 (llmfin): `llmfin attribute --explain 1` explains it');
    // No note when the digits are that row's own id, or nobody's.
    const own = await runCli(['attribute', '--db', 'l.db', '--explain', '1'], { cwd });
    expect([own.code, own.stderr]).toEqual([0, '']);
  });
});

describe('llmfin attribute --explain with a dotted tag', () => {
  it('takes tags.service.name as the tag service.name, as rules match it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), ['attribution:', '  rules:', '    - match: { tags.service.name: support-bot }', '      set: { feature: support }', ''].join('\n'));
    const j = await runJson<Explained>(['attribute', '--explain', 'tags.service.name=support-bot'], { cwd });
    expect(j.identifiers).toEqual({ tags: '{"service.name":"support-bot"}' });
    expect(j.rows.find((r) => r.dimension === 'feature')).toMatchObject({ value: 'support', by: 'rule' });
  });
});

describe('llmfin attribute --explain ROW, where the bill shares its tags', () => {
  it('gives the row the tags all of its bill records, for an override rule on a dimension the row records', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), ['attribution:', '  rules:', '    - match: { tags.team: platform }', '      set: { feature: CC-P }', '      override: true', ''].join('\n'));
    const rows = [
      // gpt-4o input at $2.50 per 1M tokens: $0.50, under a $3.00 bill tagged team=platform.
      { id: 'p1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 200_000, output_tokens: 0, feature: 'chat' },
      { id: 'b1', ts: '2026-10-01T00:00:00Z', provider: 'openai', model: 'gpt-4o', granularity: 'month', provenance: 'billed', cost_usd: '3.00', input_tokens: 0, output_tokens: 0, tags: { team: 'platform' } },
    ];
    writeFileSync(join(cwd, 'rows.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect((await runCli(['import', '--db', 'l.db', 'rows.jsonl'], { cwd })).code).toBe(0);
    const report = await runJson<{ rows: Array<{ feature: string; cost_usd: number }> }>(['report', '--db', 'l.db', '--by', 'feature'], { cwd });
    expect(report.rows.map((r) => [r.feature, r.cost_usd])).toEqual([
      ['(unattributed)', 2.5],
      ['CC-P', 0.5],
    ]);
    const p1 = await runJson<Explained & { bill_shares?: Record<string, string> }>(['attribute', '--db', 'l.db', '--explain', 'p1'], { cwd });
    expect(p1.bill_shares).toEqual({ tags: '{"team":"platform"}' });
    expect(p1.rows.find((r) => r.dimension === 'feature')).toMatchObject({ value: 'CC-P', by: 'rule' });
  });
});
