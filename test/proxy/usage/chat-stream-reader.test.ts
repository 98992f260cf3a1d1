// The chat stream reader reads the served model and tier of a stream's first chunks from
// their text instead of parsing them: it must find what a parse finds (escapes, null, a
// tier absent or present), fall back to parsing when a value is not a plain string, and
// still hide a `"usage":null` the client did not ask for.
import { describe, expect, it } from 'vitest';
import { openaiChatCapture } from '../../../src/proxy/usage/openai-chat.js';

const chunk = (extra: Record<string, unknown>, content = 'Hi') =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, ...extra, choices: [{ index: 0, delta: { content }, finish_reason: null }] });

/** Feeds the events to a fresh reader; the stream ends without usage, so result() is what the first chunks said. */
function served(events: string[], injected = false) {
  const reader = openaiChatCapture.streamReader({ injectedUsage: injected });
  const out = events.map((e) => reader.onEvent(e, undefined));
  const usageEvent = JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } });
  reader.onEvent(usageEvent, undefined);
  return { out, result: reader.result()! };
}

describe('chat stream reader: model and tier from the first chunks', () => {
  it('reads the model and a string or null tier as a parse would', () => {
    expect(served([chunk({ model: 'gpt-4o-mini-2024-07-18' })]).result).toMatchObject({ servedModel: 'gpt-4o-mini-2024-07-18', serviceTier: undefined });
    expect(served([chunk({ model: 'm\\"x\u00e9', service_tier: 'priority' })]).result).toMatchObject({ servedModel: 'm\\"x\u00e9', serviceTier: 'priority' });
    expect(served([chunk({ service_tier: null, model: 'a' })]).result).toMatchObject({ servedModel: 'a', serviceTier: undefined });
    // A model given as something other than a string: parsed, ignored, and the next chunk read.
    expect(served([chunk({ model: 7 }), chunk({ model: 'b', service_tier: 'flex' })]).result).toMatchObject({ servedModel: 'b', serviceTier: 'flex' });
    // A chunk without a model: the next one names it.
    expect(served([chunk({}), chunk({ model: 'c' })]).result).toMatchObject({ servedModel: 'c' });
    // Text that reads like a key inside a string is escaped, so it is not taken for one.
    expect(served([chunk({ model: 'd' }, '"model":"nope"')]).result).toMatchObject({ servedModel: 'd' });
  });

  it('the usage chunk still wins, and usage:null is hidden from a client that did not ask', () => {
    const reader = openaiChatCapture.streamReader({ injectedUsage: true });
    const first = JSON.stringify({ id: 'c1', model: 'e', choices: [{ index: 0, delta: { content: 'Hi' } }], usage: null });
    expect(reader.onEvent(first, undefined)).toBe(`data: ${JSON.stringify({ id: 'c1', model: 'e', choices: [{ index: 0, delta: { content: 'Hi' } }] })}\n\n`);
    expect(reader.onEvent(JSON.stringify({ id: 'c1', model: 'e-2024', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }), undefined)).toBeNull();
    expect(reader.result()).toMatchObject({ servedModel: 'e-2024', complete: true, reported: { input: 5, output: 2 } });
  });
});
