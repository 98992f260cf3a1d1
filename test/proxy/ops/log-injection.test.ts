// Client-supplied text (a model name in the body, a trace id) reaches the proxy's log:
// a CR/LF in it must not start a forged line. Text lines escape control characters;
// JSON lines are escaped by JSON. Driven with the official openai client.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeControl, ProxyLog } from '../../../src/proxy/ops/request-log.js';
import { startHarness, type Harness } from '../proxy-harness.js';

const FORGED = 'gpt-4o\r\n2026-12-02T00:00:00.000Z req_forged 200 POST /v1/chat/completions openai gpt-4o in=1 out=1 $0 1ms';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the request log and client-supplied text', () => {
  it('a model name with CR/LF stays on its request line, escaped', async () => {
    h = await startHarness();
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client-0001', maxRetries: 0 });
    await openai.chat.completions.create({ model: FORGED, messages: [{ role: 'user', content: 'hi' }] });
    await h.rows();
    h.proxy.log.flush();
    const lines = h.logs.join('').split('\n').filter((l) => l !== '');
    // The model has no price: besides its request line, a warning quotes it (escaped the same way).
    const requestLines = lines.filter((l) => l.includes('/v1/chat/completions') && !l.includes(' warn: '));
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toContain('gpt-4o\\r\\n2026-12-02T00:00:00.000Z req_forged');
    const warned = lines.filter((l) => l.includes(' warn: '));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('gpt-4o\\r\\n2026-12-02T00:00:00.000Z req_forged');
    expect(lines.some((l) => l.startsWith('2026-12-02T00:00:00.000Z req_forged'))).toBe(false);
  });

  it('escapes control characters in text lines and events, and leaves other text alone', () => {
    expect(escapeControl('gpt-4o')).toBe('gpt-4o');
    expect(escapeControl('mödel')).toBe('mödel');
    expect(escapeControl('a\rb\nc\td\u001b[31me\u007f\u0085\u2028')).toBe('a\\rb\\nc\\td\\x1b[31me\\x7f\\x85\\u2028');
    const out: string[] = [];
    const log = new ProxyLog((t) => out.push(t), 'text', () => new Date('2026-12-02T00:00:00.000Z'));
    log.event('warn', 'trace t\nforged is looping');
    log.flush();
    expect(out.join('')).toBe('2026-12-02T00:00:00.000Z warn: trace t\\nforged is looping\n');
  });
});
