// Usage read from a JSON response's top-level members (json-usage.ts) must be what parsing
// the whole body gives, whatever the spacing and whatever the strings before it hold.
import { describe, expect, it } from 'vitest';
import { usageFromBody } from '../../../src/proxy/forward/json-usage.js';
import { openaiChatCapture } from '../../../src/proxy/usage/openai-chat.js';
import { anthropicMessagesCapture } from '../../../src/proxy/usage/anthropic-messages.js';

const tricky = ['plain', 'a "quoted" word', 'back\\slash\\', 'braces } { }} and "usage": {"prompt_tokens": 9}', 'naïve ✓ 😀 \u2028', '\\"model\\":\\"x\\"', ''];

function bodies(dialect: 'openai' | 'anthropic'): string[] {
  const out: string[] = [];
  for (const content of tricky) {
    for (const space of [0, 2, '\t']) {
      if (dialect === 'openai') out.push(JSON.stringify({
        id: 'chatcmpl-1', object: 'chat.completion', model: `gpt-4o-mini${content === '' ? '' : '-"x"\\'}`, service_tier: 'flex',
        choices: [{ index: 0, message: { role: 'assistant', content, tool_calls: [{ function: { name: 'f', arguments: JSON.stringify({ usage: { prompt_tokens: 1 } }) } }] } }],
        usage: { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1024, note: content }, completion_tokens_details: { reasoning_tokens: 7 } },
      }, null, space));
      else out.push(JSON.stringify({
        id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: content }, { type: 'tool_use', id: 't', name: 'n', input: { usage: { input_tokens: 5 }, s: content } }],
        usage: { input_tokens: 176, cache_creation_input_tokens: 1000, cache_read_input_tokens: 3, output_tokens: 80, service_tier: 'standard' },
      }, null, space));
    }
  }
  return out;
}

describe('usageFromBody', () => {
  it.each([
    ['OpenAI chat', openaiChatCapture, 'openai'],
    ['Anthropic messages', anthropicMessagesCapture, 'anthropic'],
  ] as const)('reads %s usage as a whole parse does', (_name, capture, dialect) => {
    let read = 0;
    for (const text of bodies(dialect)) {
      const whole = capture.fromJson(JSON.parse(text));
      expect(usageFromBody(capture, Buffer.from(text), undefined)).toEqual(whole);
      if (whole !== undefined) read++;
    }
    expect(read).toBe(tricky.length * 3);
  });

  it('finds no usage where there is none, and none in a cut-off body', () => {
    expect(usageFromBody(openaiChatCapture, Buffer.from('{"model":"gpt-4o-mini","choices":[]}'), undefined)).toBeUndefined();
    expect(usageFromBody(openaiChatCapture, Buffer.from('{"model":"gpt-4o-mini","usage":{"prompt_tokens":12'), undefined)).toBeUndefined();
    expect(usageFromBody(openaiChatCapture, Buffer.from('{"model":"gpt-4o-mini","note":"\\"usage\\": {}"}'), undefined)).toBeUndefined();
  });
});
