// /metrics as a Prometheus server reads it: every sample in its family after HELP and TYPE,
// label values escaped, no series twice, histogram buckets cumulative up to +Inf = count —
// even after a client sent a model name holding a NUL, quotes, backslashes and a newline
// (the model is the client's text: it must not split into other labels or forge series).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';
import { MAX_MODEL_LABELS, ProxyMetrics } from '../../../src/proxy/ops/proxy-metrics.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface Sample {
  name: string;
  labels: Array<[string, string]>;
  value: number;
}

/** Label pairs of `{a="x",b="y\"z"}`, unescaped; throws on anything the text format does not allow. */
function parseLabels(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('="', i);
    if (eq === -1) throw new Error(`bad labels: ${text}`);
    const name = text.slice(i, eq);
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new Error(`bad label name ${JSON.stringify(name)}`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`unterminated label value in ${text}`);
      if (c === '"') break;
      if (c === '\n') throw new Error('raw newline in a label value');
      if (c === '\\') {
        const e = text[j + 1];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else throw new Error(`bad escape \\${e}`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    out.push([name, value]);
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return out;
}

function parseExposition(text: string): Map<string, { type: string; samples: Sample[] }> {
  const families = new Map<string, { type: string; samples: Sample[] }>();
  let current: string | undefined;
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[2] !== current) {
        if (families.has(meta[2]!)) throw new Error(`family ${meta[2]} split`);
        families.set(meta[2]!, { type: 'untyped', samples: [] });
        current = meta[2];
      }
      if (meta[1] === 'TYPE') families.get(current!)!.type = meta[3]!;
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`bad sample line ${JSON.stringify(line)}`);
    const name = m[1]!;
    const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ''));
    if (family === undefined || (name !== current && name.replace(/_(bucket|sum|count)$/, '') !== current)) throw new Error(`sample ${name} outside its family`);
    const labels = m[2] === undefined ? [] : parseLabels(m[2]);
    const id = `${name}${JSON.stringify(labels)}`;
    if (seen.has(id)) throw new Error(`series twice: ${line}`);
    seen.add(id);
    const value = Number(m[3] === '+Inf' ? Infinity : m[3]);
    if (Number.isNaN(value)) throw new Error(`bad value in ${line}`);
    family.samples.push({ name, labels, value });
  }
  return families;
}

describe('/metrics exposition', () => {
  it('stays valid when a client sends a model name with a NUL, quotes, a backslash and a newline', async () => {
    const model = 'gpt-4o-mini\u0000class="output"\\ "x"\nfake_metric 1';
    const res = await fetch(`${h.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const families = parseExposition(await (await fetch(`${h.proxy.url}/metrics`)).text());

    // The fake serves the model asked for: its four token classes under that model, each class once.
    const tokens = families.get('llmfin_proxy_tokens_total')!.samples.filter((s) => s.labels.find(([k]) => k === 'model')?.[1] === model);
    expect(tokens.map((s) => Object.fromEntries(s.labels))).toEqual(
      ['input', 'uncached_input', 'cache_read', 'output'].map((c) => ({ upstream: 'openai', model, class: c })),
    );
    expect(tokens.map((s) => s.value)).toEqual([1200, 176, 1024, 80]);
    expect(families.get('llmfin_proxy_unpriced_requests_total')!.samples.map((s) => Object.fromEntries(s.labels))).toEqual([{ upstream: 'openai', model }]);
    expect(families.has('fake_metric')).toBe(false);

    // Histograms: buckets cumulative, +Inf equal to _count.
    for (const name of ['llmfin_proxy_request_duration_seconds', 'llmfin_proxy_ttfb_seconds']) {
      const samples = families.get(name)!.samples;
      const buckets = samples.filter((s) => s.name === `${name}_bucket`).map((s) => s.value);
      expect(buckets.length).toBeGreaterThan(1);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1]!);
      expect(samples.find((s) => s.name === `${name}_bucket` && s.labels.some(([k, v]) => k === 'le' && v === '+Inf'))!.value).toBe(samples.find((s) => s.name === `${name}_count`)!.value);
    }
  });
});

describe('/metrics model labels', () => {
  const sources = { queueDepth: () => 0, rowsWritten: () => 0, budgets: () => [], inFlight: () => 0 };
  const byLabels = (families: ReturnType<typeof parseExposition>, family: string) =>
    new Map(families.get(family)!.samples.map((s) => [JSON.stringify(Object.fromEntries(s.labels)), s.value]));

  it('keeps series for the first 200 models only: later ones are summed under model="(other)" and counted', () => {
    expect(MAX_MODEL_LABELS).toBe(200);
    const metrics = new ProxyMetrics();
    // 200 distinct models, one request of 10 input tokens and $0.000001 each.
    for (let i = 0; i < 200; i++) {
      const t = metrics.totals('openai', `model-${i}`);
      t.addTokens(10, 10, 0, 0, 0, 0);
      t.addCost(10_000n);
    }
    // A client sending a new model name each time: 30 on openai, 5 on anthropic, 7 tokens each, unpriced.
    for (let i = 0; i < 30; i++) metrics.totals('openai', `random-${i}`).addTokens(7, 7, 0, 0, 0, 0);
    for (let i = 0; i < 5; i++) metrics.totals('anthropic', `random-${100 + i}`).addCost(null);
    // A model admitted before the cap keeps its own series on another upstream too.
    metrics.totals('anthropic', 'model-3').addTokens(4, 4, 0, 0, 0, 0);
    // A request again from a model refused its series: still counted under "(other)".
    metrics.totals('openai', 'random-0').addTokens(1, 1, 0, 0, 0, 0);

    const families = parseExposition(metrics.render(sources));
    const input = byLabels(families, 'llmfin_proxy_tokens_total');
    // 200 models on openai + model-3 on anthropic, each with input and uncached_input; "(other)" on openai.
    expect(input.size).toBe((200 + 1 + 1) * 2);
    expect(input.get(JSON.stringify({ upstream: 'openai', model: 'model-7', class: 'input' }))).toBe(10);
    expect(input.get(JSON.stringify({ upstream: 'anthropic', model: 'model-3', class: 'input' }))).toBe(4);
    // 30 × 7 + 1
    expect(input.get(JSON.stringify({ upstream: 'openai', model: '(other)', class: 'input' }))).toBe(211);
    expect([...input.keys()].some((k) => k.includes('random-'))).toBe(false);
    const unpriced = byLabels(families, 'llmfin_proxy_unpriced_requests_total');
    expect([...unpriced]).toEqual([[JSON.stringify({ upstream: 'anthropic', model: '(other)' }), 5]]);
    expect(byLabels(families, 'llmfin_proxy_cost_usd_total').size).toBe(200);
    // 30 + 5 + 1 requests folded into "(other)".
    expect(families.get('llmfin_proxy_model_label_overflow_total')!.samples.map((s) => s.value)).toEqual([36]);
  });

  it('counts no overflow below the cap', () => {
    const metrics = new ProxyMetrics();
    for (let i = 0; i < 3; i++) metrics.totals('openai', 'gpt-4o-mini').addTokens(1, 1, 0, 0, 0, 0);
    const families = parseExposition(metrics.render(sources));
    expect(families.get('llmfin_proxy_model_label_overflow_total')!.samples.map((s) => s.value)).toEqual([0]);
    expect(byLabels(families, 'llmfin_proxy_tokens_total').get(JSON.stringify({ upstream: 'openai', model: 'gpt-4o-mini', class: 'input' }))).toBe(3);
  });
});
