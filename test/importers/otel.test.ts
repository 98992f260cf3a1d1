// OpenTelemetry GenAI importer: OTLP/JSON documents and JSONL, one row per span with
// usage, agent totals not double-counted, semconv token convention, attribution, bad spans.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { otelImporter } from '../../src/importers/otel/otel-importer.js';
import { nanosToIso } from '../../src/importers/otel/otel-span.js';
import { readSample } from '../../src/importers/source-input.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { InputError } from '../../src/shared/errors.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const DIR = fileURLToPath(new URL('../fixtures/importers/otel/', import.meta.url));
const DOC = join(DIR, 'genai-traces-2026-10.json');
const JSONL = join(DIR, 'genai-traces-2026-10-04.jsonl');
const OTHERS = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));

/** The fixtures' ids are sha256 prefixes of short names (see SOURCE.md). */
const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);
const key = (trace: string, span: string) => `${hex(trace, 32)}:${hex(span, 16)}`;
const detect = (file: string) => otelImporter.detect(readSample(file, file));
const rows = (ledger: LedgerStore) => ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
const byKey = (ledger: LedgerStore, k: string) => ledger.db.selectFrom('usage_entries').selectAll().where('dedupe_key', '=', k).executeTakeFirst();
const write = (name: string, text: string) => {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
};

describe('otel: detection', () => {
  it('accepts OTLP/JSON traces with GenAI attributes, as a document or JSONL', () => {
    expect(detect(DOC)).toEqual({ ok: true });
    expect(detect(JSONL)).toEqual({ ok: true });
  });

  it('refuses metrics, traces without GenAI attributes and other sources, with a reason', () => {
    expect(detect(join(DIR, 'otlp-example-metrics-rejected.json'))).toEqual({ ok: false, reason: 'OTLP metrics or logs, not traces (no "resourceSpans")' });
    expect(detect(join(DIR, 'otlp-example-trace-rejected.json'))).toEqual({ ok: false, reason: 'OTLP traces without GenAI attributes (gen_ai.*) in the first 64 KiB' });
    expect(detect(DEMO)).toEqual({ ok: false, reason: 'no "resourceSpans" key (not an OTLP/JSON trace export)' });
    expect(detect(join(OTHERS, 'litellm/spend-logs-2026-10-05.jsonl'))).toEqual({ ok: false, reason: 'no "resourceSpans" key (not an OTLP/JSON trace export)' });
    expect(detect(join(OTHERS, 'focus/focus-1.2-ai-2026-10.csv'))).toEqual({ ok: false, reason: 'not a JSON document' });
  });
});

describe('otel: one OTLP/JSON export', () => {
  it('makes one priced row per model call, skipping tool spans and agent totals', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, otelImporter, DOC);
    // Catalogue prices (llmfin pricing cost), input_tokens including cache as the conventions say:
    //   gpt-4.1-mini 176×0.4 + 1,024 cache read×0.1 + 220×1.6                        = 0.0005248
    //   gpt-4.1-mini, priority tier: 3,000×0.7 + 150×2.8                              = 0.00252
    //   claude-sonnet-4-5 input 5,120 ⊇ 4,500 read + 500 write: 120×3 + 4,500×0.3 + 500×3.75 + 100×15 = 0.005085
    //   claude-sonnet-4-5 input 20 < 4,600 read (Anthropic's own split): 20×3 + 4,600×0.3 + 300×15 = 0.00594
    //   bedrock claude-3-5-haiku (gen_ai.system, prompt/completion_tokens as numbers) 8,000×0.8 + 600×4 = 0.0088
    //   vertex gemini-2.5-flash 12,000×0.3 + 1,000 (800 reasoning inside)×2.5         = 0.0061
    //   azure (az.ai.openai) gpt-4o-2024-11-20 2,500×2.5 + 400×10                     = 0.01025
    //                                                                          total = 0.0392198
    expect(s).toMatchObject({ status: 'imported', rowsRead: 7, rowsImported: 7, costUsd: '0.0392198', unpricedModels: [] });
    expect(Object.fromEntries(s.byProvider.map((p) => [p.provider, p.cost_usd]))).toEqual({ openai: '0.0030448', anthropic: '0.011025', bedrock: '0.0088', vertex: '0.0061', azure: '0.01025' });
    // The invoke_agent span carries the sum of its model calls: not a row. Nor is the tool call.
    expect(await byKey(ledger, key('t3', 'a1'))).toBeUndefined();
    expect(await byKey(ledger, key('t1', 's2'))).toBeUndefined();

    const first = await byKey(ledger, key('t1', 's1'));
    expect(first).toMatchObject({
      provenance: 'metered', provider: 'openai', model: 'gpt-4.1-mini-2025-04-14', model_requested: 'gpt-4.1-mini', matched_model: 'gpt-4.1-mini',
      ts: '2026-10-01T09:12:03.120Z', granularity: 'request', input_tokens: 1200, uncached_input_tokens: 176, cache_read_tokens: 1024, output_tokens: 220,
      cost_usd: '0.0005248', project: 'support-bot', environment: 'production', user: 'customer-7', trace_id: hex('t1', 32), request_id: hex('s1', 16),
      // The resource attribute `team` names the dimension, as a CUR or GCP label does.
      team: 'support', feature: null,
    });
    // Resource attributes become tags (the SDK's own are left out), with the conversation id.
    expect(JSON.parse(first!.tags!)).toEqual({ 'service.name': 'support-bot', 'service.version': '2.4.1', 'deployment.environment.name': 'production', team: 'support', 'gen_ai.conversation.id': 'conv-1', 'gen_ai.operation.name': 'chat' });
    expect(JSON.parse(first!.raw_usage!)).toMatchObject({ response_id: expect.stringMatching(/^resp_/), end: '2026-10-01T09:12:04.880Z' });
    expect(await byKey(ledger, key('t2', 's3'))).toMatchObject({ service_tier: 'priority', cost_usd: '0.00252' });
    expect(await byKey(ledger, key('t3', 'm1'))).toMatchObject({ agent: 'researcher', environment: 'staging', input_tokens: 5120, uncached_input_tokens: 120, cache_read_tokens: 4500, cache_write_5m_tokens: 500 });
    expect(await byKey(ledger, key('t3', 'm2'))).toMatchObject({ input_tokens: 4620, uncached_input_tokens: 20, cache_read_tokens: 4600, cost_usd: '0.00594' });
    expect(await byKey(ledger, key('t4', 'b1'))).toMatchObject({ provider: 'bedrock', input_tokens: 8000, output_tokens: 600, project: 'batch-summarizer' });
    expect(await byKey(ledger, key('t5', 'g1'))).toMatchObject({ provider: 'vertex', output_tokens: 1000, reasoning_tokens: 800 });
    expect(await byKey(ledger, key('t6', 'z1'))).toMatchObject({ provider: 'azure', matched_model: 'gpt-4o-2024-11-20' });

    expect((await importInto(ledger, otelImporter, DOC)).status).toBe('already-imported');
    expect(await rows(ledger)).toHaveLength(7);
    await ledger.close();
  });

  it('span attributes named like a dimension fill it, over the resource\'s; `project` over service.name', async () => {
    type Doc = { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string; attributes: unknown[] }> }> }> };
    const doc = JSON.parse(readFileSync(DOC, 'utf8')) as Doc;
    const s1 = doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((sc) => sc.spans)).find((sp) => sp.spanId === hex('s1', 16))!;
    for (const [k, v] of [['feature', 'faq'], ['team', 'support-tier2'], ['project', 'kb'], ['customer', 'acme'], ['app.region', 'eu']]) s1.attributes.push({ key: k, value: { stringValue: v } });
    const ledger = await freshLedger();
    await importInto(ledger, otelImporter, write('attrs.json', JSON.stringify(doc)));
    const row = await byKey(ledger, key('t1', 's1'));
    expect(row).toMatchObject({ team: 'support-tier2', feature: 'faq', project: 'kb', customer: 'acme', environment: 'production' });
    // Only dimension-named span attributes become tags (a span's other attributes may hold prompt text).
    expect(JSON.parse(row!.tags!)).toMatchObject({ team: 'support-tier2', feature: 'faq', project: 'kb', customer: 'acme' });
    expect(JSON.parse(row!.tags!)).not.toHaveProperty('app.region');
    await ledger.close();
  });

  it('a bad token count names the span line and the attribute; --skip-invalid imports the other spans', async () => {
    const text = readFileSync(DOC, 'utf8').replace('"intValue": "3000"', '"intValue": "3e3"');
    const file = write('bad.json', text);
    const spanLine = text.split('\n').findIndex((l) => l.includes(`"spanId": "${hex('s3', 16)}"`)) + 1;
    const ledger = await freshLedger();
    const error = await importInto(ledger, otelImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:${spanLine}: gen_ai.usage.input_tokens: expected a whole number of tokens, got "3e3"`);
    expect(await rows(ledger)).toEqual([]);
    // 0.0392198 − 0.00252
    expect(await importInto(ledger, otelImporter, file, { skipInvalid: true })).toMatchObject({ rowsImported: 6, rowsRejected: 1, costUsd: '0.0366998' });
    await ledger.close();
  });

  it('a model call that reports no usage is a row of unknown cost, not left out; its wrapper, a failed call and a tool span are not rows', async () => {
    const trace = hex('bare', 32);
    const str = (k: string, v: string) => ({ key: k, value: { stringValue: v } });
    const int = (k: string, v: string) => ({ key: k, value: { intValue: v } });
    const span = (name: string, parent: string | undefined, attributes: unknown[], extra: Record<string, unknown> = {}) => ({
      traceId: trace, spanId: hex(name, 16), ...(parent ? { parentSpanId: hex(parent, 16) } : {}), name, kind: 3,
      startTimeUnixNano: '1791189000000000000', endTimeUnixNano: '1791189001000000000', attributes, ...extra,
    });
    const call = [str('gen_ai.operation.name', 'chat'), str('gen_ai.provider.name', 'openai'), str('gen_ai.request.model', 'gpt-4.1-mini')];
    const file = write('bare.json', JSON.stringify({ resourceSpans: [{ resource: { attributes: [str('service.name', 'bot')] }, scopeSpans: [{ scope: { name: 'x' }, spans: [
      // A streamed call whose instrumentation read no usage: billed, cost unknown.
      span('streamed', undefined, call),
      // A framework's chat span without usage around the SDK's span with it: one call, counted once.
      span('wrapper', undefined, call),
      span('sdk', 'wrapper', [...call, int('gen_ai.usage.input_tokens', '1000'), int('gen_ai.usage.output_tokens', '100')]),
      // A refused call (status ERROR) and a tool span: no model billed them.
      span('refused', undefined, call, { status: { code: 2, message: 'rate limited' } }),
      span('tool', undefined, [str('gen_ai.operation.name', 'execute_tool')]),
    ] }] }] }));
    const ledger = await freshLedger();
    const s = await importInto(ledger, otelImporter, file);
    // gpt-4.1-mini 1,000×0.4 + 100×1.6 per 1M = $0.00056, and one row whose cost is unknown.
    expect(s).toMatchObject({ rowsImported: 2, costUsd: '0.00056', unpricedRows: 1, unpricedModels: [] });
    expect(s.unpricedReasons).toEqual(['openai/gpt-4.1-mini: the span reports no token usage (no gen_ai.usage.* attributes): its cost is unknown']);
    expect(await byKey(ledger, key('bare', 'streamed'))).toMatchObject({ cost_status: 'unpriced', cost_usd: null, requests: 1, model: 'gpt-4.1-mini', input_tokens: 0 });
    expect(await byKey(ledger, key('bare', 'sdk'))).toMatchObject({ cost_status: 'priced', cost_usd: '0.00056' });
    for (const name of ['wrapper', 'refused', 'tool']) expect(await byKey(ledger, key('bare', name)), name).toBeUndefined();
    await ledger.close();
  });

  it('takes the provider from the resource when the span does not name one', async () => {
    const str = (k: string, v: string) => ({ key: k, value: { stringValue: v } });
    const int = (k: string, v: string) => ({ key: k, value: { intValue: v } });
    const span = { traceId: hex('res', 32), spanId: hex('call', 16), name: 'chat gpt-4o', kind: 3, startTimeUnixNano: '1791189000000000000', endTimeUnixNano: '1791189001000000000',
      attributes: [str('gen_ai.operation.name', 'chat'), str('gen_ai.request.model', 'gpt-4o-2024-11-20'), int('gen_ai.usage.input_tokens', '2500'), int('gen_ai.usage.output_tokens', '400')] };
    const file = write('resource.json', JSON.stringify({ resourceSpans: [{ resource: { attributes: [str('service.name', 'bot'), str('gen_ai.provider.name', 'azure.ai.openai')] }, scopeSpans: [{ spans: [span] }] }] }));
    const ledger = await freshLedger();
    // azure gpt-4o-2024-11-20: 2,500×2.5 + 400×10 per 1M = $0.01025 (on openai's own rates it would be priced too, under the wrong provider).
    expect(await importInto(ledger, otelImporter, file)).toMatchObject({ rowsImported: 1, costUsd: '0.01025' });
    expect(await byKey(ledger, key('res', 'call'))).toMatchObject({ provider: 'azure', cost_status: 'priced' });
    await ledger.close();
  });

  it('a broken document is one issue; a trace file without GenAI usage imports nothing', async () => {
    const ledger = await freshLedger();
    const truncated = write('t.json', readFileSync(DOC, 'utf8').slice(0, 5000));
    await expect(importInto(ledger, otelImporter, truncated)).rejects.toThrow(/t\.json:\d+: expected valid JSON, got /);
    const plain = await importInto(ledger, otelImporter, join(DIR, 'otlp-example-trace-rejected.json'), { source: 'otel' });
    // No error (a Collector's rotated file may hold no model call), but the $0 import says why.
    expect(plain).toMatchObject({ rowsRead: 0, rowsImported: 0, notes: ['the file has 1 span, none of them a GenAI model call (gen_ai.* attributes): nothing to import from it'] });
    const lines = write('plain.jsonl', `${JSON.stringify(JSON.parse(readFileSync(join(DIR, 'otlp-example-trace-rejected.json'), 'utf8')))}\n`);
    expect(await importInto(ledger, otelImporter, lines, { source: 'otel' })).toMatchObject({ rowsImported: 0, notes: ['the file has 1 span, none of them a GenAI model call (gen_ai.* attributes): nothing to import from it'] });
    expect((await importInto(ledger, otelImporter, DOC)).notes).toEqual([]);
    await ledger.close();
  });

  it('a pretty-printed document cut short is refused at its line with --skip-invalid too: it has no good rows to keep, so no empty batch is recorded', async () => {
    const cwd = tempDir();
    const text = readFileSync(DOC, 'utf8').split('\n').slice(0, 300).join('\n');
    writeFileSync(join(cwd, 'cut.json'), text);
    const r = await runCli(['import', 'cut.json', '--skip-invalid', '--db', 'l.db'], { cwd });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain('llmfin: error: cut.json:300: expected valid JSON, got unexpected end of JSON input');
    expect(r.stderr).toContain('--skip-invalid');
    expect(existsSync(join(cwd, 'cut.json.rejects.jsonl'))).toBe(false);
    // No batch: the file imports once it is whole.
    const ledger = await openLedger(join(cwd, 'l.db'));
    expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
    await ledger.close();
  });
});

describe('otel: Collector file-exporter JSONL', () => {
  it('finds agent totals across lines (children exported before their parent)', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, otelImporter, JSONL);
    // gcp.gemini → google gemini-2.5-pro: 40,000×1.25 + 2,000 (1,500 reasoning inside)×10 = 0.07;
    // 10,500×1.25 + 32,000 cache read×0.125 + 800×10 = 0.025125; gpt-5-mini 700×0.25 + 1,100×2 = 0.002375 → 0.0975
    expect(s).toMatchObject({ rowsRead: 3, rowsImported: 3, costUsd: '0.0975' });
    expect(await byKey(ledger, key('t7', 'p1'))).toBeUndefined();
    expect(await byKey(ledger, key('t7', 'n1'))).toMatchObject({ provider: 'google', agent: 'planner', reasoning_tokens: 1500 });
    // A JSONL line that is not JSON is an issue at that line.
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    lines[1] = lines[1]!.slice(0, 100);
    const file = write('broken.jsonl', `${lines.join('\n')}\n`);
    const fresh = await freshLedger();
    await expect(importInto(fresh, otelImporter, file)).rejects.toThrow(`${file}:2: expected an OTLP/JSON trace export ({"resourceSpans": [...]}) on this line, got invalid JSON`);
    // 0.0975 − 0.025125
    expect(await importInto(fresh, otelImporter, file, { skipInvalid: true })).toMatchObject({ rowsImported: 2, rowsRejected: 1, costUsd: '0.072375' });
    await ledger.close();
    await fresh.close();
  });

  it('a file the Collector is still writing (its last line cut off, no line break after it) imports the lines before it, and the grown file the rest, each span once', async () => {
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    const file = write('live.jsonl', `${lines[0]!}\n${lines[1]!}\n${lines[2]!.slice(0, 300)}`);
    const ledger = await freshLedger();
    // The planner's two gemini calls: 0.07 + 0.025125
    expect(await importInto(ledger, otelImporter, file)).toMatchObject({ rowsImported: 2, rowsRejected: 0, unfinishedLine: 3, costUsd: '0.095125' });
    writeFileSync(file, readFileSync(JSONL));
    // Line 3 whole: its gpt-5-mini call is new, the agent span p1 totals the calls already in.
    expect(await importInto(ledger, otelImporter, file)).toMatchObject({ rowsImported: 1, rowsReplaced: 0, unfinishedLine: null });
    expect(await byKey(ledger, key('t7', 'p1'))).toBeUndefined();
    const costs = await ledger.db.selectFrom('usage_entries').select('cost_usd').orderBy('cost_usd').execute();
    // 0.002375 + 0.025125 + 0.07 = $0.0975, as the whole file imported at once
    expect(costs.map((c) => c.cost_usd)).toEqual(['0.002375', '0.025125', '0.07']);
    await ledger.close();
  });

  it("finds an agent total across files (the Collector rotated its file between a run's model calls and its agent span), whichever file comes first", async () => {
    // Line 1 and 2: the planner's two gemini calls; line 3: its invoke_agent span p1 (their total) and a gpt-5-mini trace.
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    const ticks = async (ledger: LedgerStore) => Number((await ledger.db.selectFrom('usage_entries').select((eb) => eb.fn.sum<number>('cost_ticks').as('t')).executeTakeFirstOrThrow()).t);
    // Calls first, as they are exported: the total is skipped when its file comes.
    const forward = await freshLedger();
    const parts = lines.map((l, i) => write(`traces-${i + 1}.jsonl`, `${l}\n`));
    expect(await importInto(forward, otelImporter, parts[0]!)).toMatchObject({ rowsImported: 1 });
    expect(await importInto(forward, otelImporter, parts[1]!)).toMatchObject({ rowsImported: 1 });
    expect(await importInto(forward, otelImporter, parts[2]!)).toMatchObject({ rowsRead: 2, rowsImported: 1, rowsSkipped: 1, rowsReplaced: 0 });
    expect(await byKey(forward, key('t7', 'p1'))).toBeUndefined();
    // 0.07 + 0.025125 + 0.002375 (see above) = $0.0975, in 1e-10 USD ticks: not the agent's 82,500 input tokens again.
    expect(await ticks(forward)).toBe(975_000_000);
    // The total first: the calls replace it.
    const backward = await freshLedger();
    await importInto(backward, otelImporter, parts[2]!);
    expect(await importInto(backward, otelImporter, parts[0]!)).toMatchObject({ rowsImported: 1, rowsReplaced: 1 });
    await importInto(backward, otelImporter, parts[1]!);
    expect(await byKey(backward, key('t7', 'p1'))).toBeUndefined();
    expect(await ticks(backward)).toBe(975_000_000);
    // A call whose parent is a step span (no usage) that only the total's file has: the total is still found.
    const step = 'abcdefabcdef0123';
    const call = JSON.parse(lines[0]!) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    call.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.parentSpanId = step;
    const agent = JSON.parse(lines[2]!) as typeof call;
    const spans = agent.resourceSpans[0]!.scopeSpans[0]!.spans;
    const p1 = spans.find((sp) => sp.spanId === hex('p1', 16))!;
    spans.push({ traceId: p1.traceId, spanId: step, parentSpanId: p1.spanId, name: 'execute_tool search', startTimeUnixNano: p1.startTimeUnixNano, endTimeUnixNano: p1.endTimeUnixNano, attributes: [] });
    const stepped = await freshLedger();
    await importInto(stepped, otelImporter, write('calls.jsonl', `${JSON.stringify(call)}\n`));
    expect(await importInto(stepped, otelImporter, write('agent.jsonl', `${JSON.stringify(agent)}\n`))).toMatchObject({ rowsImported: 1, rowsSkipped: 1 });
    // 0.07 + 0.002375
    expect(await ticks(stepped)).toBe(723_750_000);
    await Promise.all([forward.close(), backward.close(), stepped.close()]);
  });

  it('converts string nanoseconds exactly to ISO', () => {
    expect(nanosToIso('1791189000123456789')).toBe('2026-10-05T08:30:00.123Z');
    expect(nanosToIso(' 0')).toBeUndefined();
    expect(nanosToIso('17e17')).toBeUndefined();
  });
});
