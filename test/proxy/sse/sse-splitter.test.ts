// SSE framing across arbitrary chunk boundaries, CRLF line endings and comments.
import { describe, expect, it } from 'vitest';
import { parseSseEvent, SseSplitter } from '../../../src/proxy/sse/sse-splitter.js';

function split(chunks: string[]): string[] {
  const s = new SseSplitter();
  const out: string[] = [];
  for (const c of chunks) s.push(c, (e) => out.push(e));
  const rest = s.rest();
  if (rest) out.push(rest);
  return out;
}

describe('SseSplitter', () => {
  it('finds events split anywhere, including inside the blank line', () => {
    const text = 'data: {"a":1}\n\nevent: x\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    const expected = ['data: {"a":1}', 'event: x\ndata: {"b":2}', 'data: [DONE]'];
    for (let i = 0; i <= text.length; i++) expect(split([text.slice(0, i), text.slice(i)])).toEqual(expected);
    expect(split([...text])).toEqual(expected);
  });

  it('normalises CRLF, even when a chunk ends between CR and LF', () => {
    expect(split(['data: 1\r', '\n\r', '\ndata: 2\r\n\r\n'])).toEqual(['data: 1', 'data: 2']);
  });

  it('keeps a last event without its blank line', () => {
    expect(split(['data: 1\n\ndata: 2'])).toEqual(['data: 1', 'data: 2']);
  });
});

describe('parseSseEvent', () => {
  it('reads event names, joins data lines, skips comments', () => {
    expect(parseSseEvent('data: {"x":1}')).toEqual({ event: undefined, data: '{"x":1}' });
    expect(parseSseEvent('event: message_start\ndata: {"a":\ndata: 1}')).toEqual({ event: 'message_start', data: '{"a":\n1}' });
    expect(parseSseEvent(': OPENROUTER PROCESSING')).toEqual({ event: undefined, data: undefined });
    expect(parseSseEvent('data:no-space')).toEqual({ event: undefined, data: 'no-space' });
  });
});
