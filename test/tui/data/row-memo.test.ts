// Decisions remembered per distinct identifier values: the same answers as deciding every row afresh.
import { describe, expect, it } from 'vitest';
import { Attributor } from '../../../src/attribution/attributor.js';
import { fieldValue } from '../../../src/attribution/identifiers.js';
import { GroupTracker } from '../../../src/tui/data/group-tracker.js';
import { rowFieldReader, rowIdentifiers, type LiveRow } from '../../../src/tui/data/live-row.js';
import { RowMemo } from '../../../src/tui/data/row-memo.js';

function row(more: Partial<LiveRow> = {}): LiveRow {
  return {
    id: 1, ts: '2026-11-30T12:00:00.000Z', provider: 'openai', source: 'proxy', provenance: 'metered', chargeCategory: 'usage', granularity: 'request',
    model: 'gpt-4o-2024-08-06', modelRequested: 'gpt-4o', matchedModel: 'gpt-4o', requests: 1, inputTokens: 1200, outputTokens: 80, costTicks: 1_512_000n,
    estimated: false, team: 'support', feature: 'f1', customer: 'acme', agent: 'coder', project: 'p1', environment: 'prod', apiKey: 'key-sha256:c00397de4384',
    account: 'acct-1', workspace: 'ws-1', user: 'alice', trace: 't-1', tags: '{"cost_center":"cc-7","llmfin_key":"bench"}', latencyMs: 2, routedFrom: null,
    promptHash: null, statusCode: 200, ...more,
  };
}

describe('rowFieldReader', () => {
  it("reads every identifier field of a row as fieldValue reads it from the row's identifiers, tags and unrecorded fields included", () => {
    const full = row();
    const empty = row({ team: '', feature: null, tags: null, matchedModel: undefined });
    const fields = [...Object.keys(rowIdentifiers(full)), 'tags.cost_center', 'tags.llmfin_key', 'tags.missing', 'service_tier'];
    expect(fields).toContain('matched_model');
    for (const r of [full, empty]) {
      for (const field of fields) expect([field, rowFieldReader(field)(r)]).toEqual([field, fieldValue(rowIdentifiers(r), field)]);
    }
    expect(rowFieldReader('tags.cost_center')(full)).toBe('cc-7');
    expect(rowFieldReader('team')(empty)).toBeUndefined();
  });
});

describe('RowMemo', () => {
  it('decides once per distinct value of its fields and answers the same after', () => {
    let decided = 0;
    const memo = new RowMemo(['team'], (r) => (decided++, `team ${r.team}`));
    expect([memo.get(row()), memo.get(row({ id: 2 })), memo.get(row({ team: 'search' })), memo.get(row({ id: 3 }))]).toEqual(['team support', 'team support', 'team search', 'team support']);
    expect(decided).toBe(2);
    expect(memo.size).toBe(2);
  });

  it('tells rows apart by every field it reads: the same team under another api key is another decision', () => {
    const memo = new RowMemo(['team', 'api_key'], (r) => `${r.team}/${r.apiKey}`);
    expect(memo.get(row())).toBe('support/key-sha256:c00397de4384');
    expect(memo.get(row({ apiKey: 'key-sha256:ffff' }))).toBe('support/key-sha256:ffff');
    expect(memo.get(row({ apiKey: null }))).toBe('support/null');
    expect(memo.size).toBe(3);
  });

  it('starts again empty past its limit, and still answers right', () => {
    const memo = new RowMemo(['customer'], (r) => `c:${r.customer}`, 3);
    for (let i = 0; i < 3; i++) expect(memo.get(row({ customer: `c${i}` }))).toBe(`c:c${i}`);
    expect(memo.size).toBe(3);
    expect(memo.get(row({ customer: 'c3' }))).toBe('c:c3');
    expect(memo.size).toBe(0);
    expect(memo.get(row({ customer: 'c0' }))).toBe('c:c0');
    expect(memo.size).toBe(1);
  });
});

describe("GroupTracker's group of a row", () => {
  const rules: ConstructorParameters<typeof Attributor>[0] = [
    { name: 'the bench key is platform', match: { api_key: 'key-sha256:c003*' }, set: { team: 'platform' }, override: true },
    { name: 'cost centre 7 is search', match: { 'tags.cost_center': 'cc-7' }, set: { agent: 'search-agent' }, override: false },
  ];

  it('follows the attribution rules for each row, whatever rows came before with the same team or agent', () => {
    const groups = new GroupTracker(new Attributor(rules));
    const attributor = new Attributor(rules);
    const rows = [
      row(),
      row({ apiKey: 'key-sha256:ffff' }),
      row({ apiKey: null, team: null }),
      row({ agent: null }),
      row({ agent: null, tags: '{"cost_center":"cc-8"}' }),
      row({ agent: null, tags: null }),
      row(),
    ];
    const fresh = (r: LiveRow, dim: string) => attributor.decide(rowIdentifiers(r), dim).value ?? '(unattributed)';
    expect(rows.map((r) => groups.groupOf(r, 'team'))).toEqual(['platform', 'support', '(unattributed)', 'platform', 'platform', 'platform', 'platform']);
    expect(rows.map((r) => groups.groupOf(r, 'agent'))).toEqual(['coder', 'coder', 'coder', 'search-agent', '(unattributed)', '(unattributed)', 'coder']);
    for (const dim of ['team', 'agent', 'feature', 'customer', 'model'] as const) expect(rows.map((r) => groups.groupOf(r, dim))).toEqual(rows.map((r) => fresh(r, dim)));
  });
});
