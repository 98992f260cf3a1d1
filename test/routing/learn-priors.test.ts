import { describe, expect, it } from 'vitest';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { cohortLevels } from '../../src/routing/cohort-priors.js';
import { extractRouteText } from '../../src/routing/extract-route-text.js';
import { learnPriors } from '../../src/routing/learn-priors.js';
import { recordFeedback } from '../../src/routing/route-feedback-store.js';
import { freshLedger } from '../helpers/import.js';

const NOW = new Date('2026-11-20T00:00:00Z');
const ROUTING = { mode: 'enforce' as const, tiers: [{ name: 'small', models: { openai: ['gpt-4.1-nano'] } }, { name: 'large', models: { openai: ['gpt-4.1'] } }] };

/** A proxy row with a routing record: `prompt` is the latest user turn's hash, as the proxy writes it. */
function proxyRow(n: number, at: string, o: { trace?: string; prompt?: string; status?: number; tier?: string; agent?: string }): NewUsageEntry {
  const routing = { v: 1, mode: 'enforce', from: 'gpt-4.1', tier: o.tier ?? 'small', model: 'gpt-4.1-nano', served_tier: o.tier ?? 'small', score: 0, prompt: o.prompt, features: {} };
  return {
    source: 'proxy',
    dedupe_key: `row-${n}`,
    account: null,
    provider: 'openai',
    provenance: 'metered',
    model: 'gpt-4.1-nano',
    ts: at,
    granularity: 'request',
    requests: 1,
    cost_status: 'priced',
    cost_usd: '0',
    agent: o.agent ?? 'support',
    trace_id: o.trace ?? null,
    request_id: `req-${n}`,
    status_code: o.status ?? 200,
    raw_usage: JSON.stringify({ convention: 'openai-chat', routing }),
    created_at: at,
  } as NewUsageEntry;
}

async function learned(rows: NewUsageEntry[], feedback: Array<[string, 'good' | 'bad' | 'escalated']> = []) {
  const ledger = await freshLedger();
  try {
    // Imports leave the proxy's own columns empty: the status is set as the proxy writes it.
    const statuses = rows.map((r) => [r.request_id!, (r as { status_code?: number }).status_code ?? 200] as const);
    await recordImport(ledger, { source: 'proxy', file_name: null, file_hash: null, file_size: null, account: null, period_start: null, period_end: null, llmfin_version: 'test', catalogue_version: null }, rows);
    for (const [id, status] of statuses) await ledger.db.updateTable('usage_entries').set({ status_code: status }).where('request_id', '=', id).execute();
    for (const [id, outcome] of feedback) await recordFeedback(ledger, id, outcome, undefined, NOW);
    const r = await learnPriors(ledger, ROUTING, NOW);
    const everyone = r.priors.counts.get(cohortLevels({})[3])?.get('small');
    return { rows: r.rows, failures: r.failures, small: everyone };
  } finally {
    await ledger.close();
  }
}

describe('learnPriors', () => {
  it('counts a prompt asked again in its trace within 10 minutes as a failure of the answer before', async () => {
    const r = await learned([
      proxyRow(1, '2026-11-19T10:00:00.000Z', { trace: 't1', prompt: 'p' }),
      proxyRow(2, '2026-11-19T10:01:00.000Z', { trace: 't1', prompt: 'p' }),
      proxyRow(3, '2026-11-19T10:02:00.000Z', { trace: 't1', prompt: 'q' }),
    ]);
    expect(r).toEqual({ rows: 3, failures: 1, small: { successes: 2, trials: 3 } });
  });

  it('learns nothing from a provider error, and a request sent again after one is no retry', async () => {
    const r = await learned([
      proxyRow(1, '2026-11-19T10:00:00.000Z', { trace: 't1', prompt: 'p', status: 503 }),
      proxyRow(2, '2026-11-19T10:00:01.000Z', { trace: 't1', prompt: 'p', status: 429 }),
      proxyRow(3, '2026-11-19T10:00:05.000Z', { trace: 't1', prompt: 'p', status: 504 }),
      proxyRow(4, '2026-11-19T10:00:09.000Z', { trace: 't1', prompt: 'p' }),
      proxyRow(5, '2026-11-19T10:05:00.000Z', { prompt: 'x', status: 500 }),
    ]);
    // Before, the 503 and the 429 counted as failures of the small tier (each was "retried").
    expect(r).toEqual({ rows: 1, failures: 0, small: { successes: 1, trials: 1 } });
  });

  it('still judges an answer by the request after an outage: the same prompt again is a retry of it', async () => {
    const r = await learned([
      proxyRow(1, '2026-11-19T10:00:00.000Z', { trace: 't1', prompt: 'p' }),
      proxyRow(2, '2026-11-19T10:00:30.000Z', { trace: 't1', prompt: 'p', status: 502 }),
      proxyRow(3, '2026-11-19T10:01:00.000Z', { trace: 't1', prompt: 'p' }),
    ]);
    expect(r).toEqual({ rows: 2, failures: 1, small: { successes: 1, trials: 2 } });
  });

  it('takes explicit feedback over what the trace says, the latest feedback for a request over an earlier one', async () => {
    const r = await learned(
      [
        proxyRow(1, '2026-11-19T10:00:00.000Z', { trace: 't1', prompt: 'p' }),
        proxyRow(2, '2026-11-19T10:01:00.000Z', { trace: 't1', prompt: 'p' }),
        proxyRow(3, '2026-11-19T11:00:00.000Z', { prompt: 'z' }),
      ],
      // req-1 was retried (a failure by its trace) but was judged good; req-3 bad, then corrected to good.
      [['req-1', 'good'], ['req-3', 'bad'], ['req-3', 'good']],
    );
    expect(r).toEqual({ rows: 3, failures: 0, small: { successes: 3, trials: 3 } });
  });
});

describe('learnPriors on the proxy\'s own prompt hashes', () => {
  // The steps of an agent's tool loop: the user's turn stays the latest user text while tool calls and results follow it.
  const openaiSteps = (n: number) => {
    const messages: unknown[] = [{ role: 'user', content: 'Fix the failing build in repo foo' }];
    const bodies: unknown[] = [];
    for (let i = 0; i < n; i++) {
      bodies.push({ model: 'gpt-4.1', messages: [...messages] });
      messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'run', arguments: `{"step":${i}}` } }] });
      messages.push({ role: 'tool', tool_call_id: `c${i}`, content: 'ok' });
    }
    return bodies.map((b) => extractRouteText(b, 'openai').promptHash);
  };
  const anthropicSteps = (n: number) => {
    const messages: unknown[] = [{ role: 'user', content: 'Deploy the service' }];
    const bodies: unknown[] = [];
    for (let i = 0; i < n; i++) {
      bodies.push({ model: 'claude-opus-4-5', max_tokens: 100, messages: [...messages] });
      messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: `t${i}`, name: 'sh', input: { step: i } }] });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: 'done' }] });
    }
    return bodies.map((b) => extractRouteText(b, 'anthropic').promptHash);
  };

  it('an agent\'s tool steps in one trace are no retries of each other, in either dialect', async () => {
    const rows = [...openaiSteps(4).map((h, i) => proxyRow(i + 1, `2026-11-19T10:00:0${i}.000Z`, { trace: 'oa', prompt: h })),
      ...anthropicSteps(4).map((h, i) => proxyRow(i + 11, `2026-11-19T10:01:0${i}.000Z`, { trace: 'an', prompt: h }))];
    // Before, each step after the first had its predecessor's prompt hash: 3 + 3 answers counted as failures.
    expect(await learned(rows)).toEqual({ rows: 8, failures: 0, small: { successes: 8, trials: 8 } });
  });

  it('Responses API steps that carry only tool outputs (previous_response_id) ask nothing, so repeat nothing', async () => {
    const step = (i: number) =>
      extractRouteText({ model: 'gpt-4.1', previous_response_id: `resp_${i}`, input: [{ type: 'function_call_output', call_id: `call_${i}`, output: 'ok' }] }, 'openai').promptHash;
    const rows = [0, 1, 2].map((i) => proxyRow(i + 1, `2026-11-19T10:00:0${i}.000Z`, { trace: 'r', prompt: step(i) }));
    expect(await learned(rows)).toEqual({ rows: 3, failures: 0, small: { successes: 3, trials: 3 } });
  });

  it('the same step sent again, and the user asking the same thing in a new turn, are still retries', async () => {
    const [first, second] = openaiSteps(2);
    const ask = { role: 'user', content: 'What is our refund policy?' };
    const reask = extractRouteText({ messages: [ask, { role: 'assistant', content: 'It depends.' }, ask] }, 'openai').promptHash;
    expect(reask).toBe(extractRouteText({ messages: [ask] }, 'openai').promptHash);
    const r = await learned([
      proxyRow(1, '2026-11-19T10:00:00.000Z', { trace: 't1', prompt: first }),
      proxyRow(2, '2026-11-19T10:00:10.000Z', { trace: 't1', prompt: second }),
      proxyRow(3, '2026-11-19T10:00:20.000Z', { trace: 't1', prompt: second }),
      proxyRow(4, '2026-11-19T10:01:00.000Z', { trace: 't2', prompt: extractRouteText({ messages: [ask] }, 'openai').promptHash }),
      proxyRow(5, '2026-11-19T10:01:30.000Z', { trace: 't2', prompt: reask }),
    ]);
    // Row 2 (its step sent again as row 3) and row 4 (asked again as row 5) failed.
    expect(r).toEqual({ rows: 5, failures: 2, small: { successes: 3, trials: 5 } });
  });
});
