// The dashboard's reads of new rows, against a real ledger file: every column as stored, money exact.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { LiveLedgerReader } from '../../../src/tui/data/live-ledger-reader.js';
import { insertRows } from '../helpers/insert-rows.js';
import { ledgerFileEachTest } from '../helpers/ledger-file.js';

const file = ledgerFileEachTest('llmfin-top-reader-');

async function reader(): Promise<LiveLedgerReader> {
  const r = new LiveLedgerReader(await file.openReadOnly());
  await r.detectColumns();
  return r;
}

describe('LiveLedgerReader', () => {
  it('reads ticks above 2^53 exactly (9,007,199,254,740,993 ticks, about $900,720), not rounded to the nearest double', async () => {
    insertRows(file.path, [{ ts: '2026-11-30T12:00:00.000Z', costTicks: 9_007_199_254_740_993n }]);
    const [row] = await (await reader()).rowsAfter(0, 10);
    expect(row?.costTicks).toBe(9_007_199_254_740_993n);
  });

  it('reads every column a row has as stored: text with quotes and newlines, tags as their JSON text, numbers, nulls', async () => {
    insertRows(file.path, [
      {
        ts: '2026-11-30T12:00:01.000Z', costTicks: 35_000_000n, team: 'support "tier 2"\nemea', agent: null, feature: 'ticket-summary', customer: 'acme ☃', trace: 't-1',
        inputTokens: 2000, outputTokens: 300, modelRequested: 'claude-haiku-4-5', matchedModel: 'claude-haiku-4-5', tags: { routed_from: 'claude-sonnet-4-5', latency_ms: '850' },
        user: 'u-1', apiKey: 'key-sha256:c00397de4384', workspace: 'ws', account: 'acct', statusCode: 200, costStatus: 'estimated',
      },
      { ts: '2026-11-30T12:00:02.000Z', costTicks: null, team: null, statusCode: null },
    ]);
    const db = new Database(file.path);
    db.prepare("update usage_entries set prompt_hash = 'ab12', latency_ms = 912 where id = 1").run();
    db.close();
    const rows = await (await reader()).rowsAfter(0, 10);
    expect(rows[0]).toEqual({
      id: 1, ts: '2026-11-30T12:00:01.000Z', provider: 'anthropic', source: 'proxy', provenance: 'metered', chargeCategory: 'usage', granularity: 'request',
      model: 'claude-haiku-4-5', modelRequested: 'claude-haiku-4-5', matchedModel: 'claude-haiku-4-5', requests: 1, inputTokens: 2000, outputTokens: 300,
      costTicks: 35_000_000n, estimated: true, team: 'support "tier 2"\nemea', feature: 'ticket-summary', customer: 'acme ☃', agent: null, project: null, environment: null,
      apiKey: 'key-sha256:c00397de4384', account: 'acct', workspace: 'ws', user: 'u-1', trace: 't-1', tags: '{"routed_from":"claude-sonnet-4-5","latency_ms":"850"}',
      latencyMs: 912, routedFrom: 'claude-sonnet-4-5', promptHash: 'ab12', statusCode: 200,
    });
    expect(rows[1]).toMatchObject({ id: 2, costTicks: null, estimated: false, team: null, tags: null, latencyMs: null, routedFrom: null, promptHash: null, statusCode: null });
  });
});
