// `route simulate` warns of rewritten rows whose realised saving is unknown, as `report --by routed_from` does.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli, tempDir } from '../../helpers/cli.js';

const POLICY = resolve('test/fixtures/routing/policy-small-large.yaml');

describe('route simulate: rewritten rows without a recorded original cost', () => {
  it('are named in a warning and in realised.unpriced_routed_rows, not read as $0 saved', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    // A gpt-4o request served by gpt-4o-mini whose record has no original cost (the requested model had no price then).
    const routing = { v: 1, mode: 'enforce', dialect: 'openai', from: 'gpt-4o', tier: 'small', model: 'gpt-4o-mini', served_tier: 'small', score: 0, features: { tokens: 5, context_tokens: 5, turns: 1 } };
    const row = {
      id: 'w-1', source: 'proxy', ts: '2026-11-12T10:00:00Z', granularity: 'request', provenance: 'metered', provider: 'openai', model: 'gpt-4o-mini', model_requested: 'gpt-4o',
      requests: 1, input_tokens: 1000, output_tokens: 100, cost_status: 'priced', cost_usd: '0.00021', agent: 'support', request_id: 'req-w-1',
      tags: { routed_from: 'gpt-4o', route_tier: 'small' }, raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: 1000, output_tokens: 100, routing }),
    };
    writeFileSync(join(cwd, 'rows.jsonl'), `${JSON.stringify(row)}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd })).code).toBe(0);
    const r = await runCli(['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).realised).toEqual({ requests: 0, original_cost_usd: 0, cost_usd: 0, saved_usd: 0, saved_share: 0, unpriced_routed_rows: 1 });
    expect(r.stderr).toContain('warning: 1 routed row(s) have no recorded original cost (the requested model had no price): the realised savings leave them out rather than count $0 saved');
  });
});

describe('route simulate: the window', () => {
  it('--until alone replays the 30 days before it, not from 30 days before today (which lies after it)', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    const row = (id: string, ts: string) =>
      JSON.stringify({ id, source: 'proxy', ts, granularity: 'request', provenance: 'metered', provider: 'openai', model: 'gpt-4o', requests: 1, input_tokens: 1000, output_tokens: 100, request_id: `req-${id}` });
    // Sep 5 is inside the 30 days before Oct 1; Aug 1 is before them.
    writeFileSync(join(cwd, 'rows.jsonl'), `${row('a', '2026-08-01T10:00:00Z')}\n${row('b', '2026-09-05T10:00:00Z')}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd })).code).toBe(0);
    const r = await runCli(['route', 'simulate', '--until', '2026-10-01', '--policy', POLICY, '--db', db, '--no-priors', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect([json.since, json.until]).toEqual(['2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
    expect(json.requests).toBe(1);
  });
});
