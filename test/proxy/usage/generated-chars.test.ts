import { describe, expect, it } from 'vitest';
import { generatedChars } from '../../../src/proxy/usage/usage-capture.js';

/** The definition: every `"key":"` of a text-carrying key, scanned key by key. */
const TEXT_KEYS = ['"content":"', '"text":"', '"delta":"', '"partial_json":"', '"thinking":"', '"arguments":"', '"refusal":"'];
function reference(data: string): number {
  let n = 0;
  for (const key of TEXT_KEYS) {
    for (let at = data.indexOf(key); at !== -1; at = data.indexOf(key, at)) {
      let i = at + key.length;
      const start = i;
      while (i < data.length) {
        const c = data.charCodeAt(i);
        if (c === 0x5c) i += 2;
        else if (c === 0x22) break;
        else i++;
      }
      n += i - start;
      at = i + 1;
    }
  }
  return n;
}

describe('generatedChars', () => {
  it('counts the text of every text-carrying key, escapes as written', () => {
    const chunk = JSON.stringify({ id: 'c', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'Hello "you"\n' }, finish_reason: null }] });
    expect(generatedChars(chunk)).toBe('Hello \\"you\\"\\n'.length);
    expect(generatedChars('{"type":"content_block_delta","delta":{"type":"text_delta","text":"abc"}}')).toBe(3);
    expect(generatedChars('{"type":"response.output_text.delta","delta":"xy"}')).toBe(2);
    // JSON with a space after each colon (Python's json.dumps defaults), as some OpenAI-compatible servers write it.
    expect(generatedChars('{"id": "c", "choices": [{"index": 0, "delta": {"content": "Hello \\"you\\": \\"x\\""}}]}')).toBe('Hello \\"you\\": \\"x\\"'.length);
    expect(generatedChars('{"type": "content_block_delta", "delta": {"type": "thinking_delta", "thinking": "abc"}}')).toBe(3);
    expect(generatedChars('{"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":1}"}}')).toBe('{\\"a\\":1}'.length);
    expect(generatedChars('{"rich_text":"no","contents":"no","x":"content\\":\\"no"}')).toBe(0);
    expect(generatedChars('{"refusal":"r","arguments":"{}","thinking":"t"}')).toBe(4);
    expect(generatedChars('')).toBe(0);
    expect(generatedChars('{"content":"unterminated')).toBe('unterminated'.length);
  });

  it('agrees with the key-by-key definition on generated JSON and on fragments of it', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const words = ['content', 'text', 'delta', 'partial_json', 'thinking', 'arguments', 'refusal', 'type', 'model', 'x_text', 'tent', ':', '"', '\\', '":"', '{', 'a b'];
    const str = () => Array.from({ length: rand(5) }, () => words[rand(words.length)]).join(rand(2) ? '' : ' ');
    const value = (depth: number): unknown => {
      const k = rand(depth > 2 ? 3 : 5);
      if (k === 0) return str();
      if (k === 1) return rand(100);
      if (k === 2) return null;
      if (k === 3) return Array.from({ length: rand(3) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rand(4) }, () => [rand(3) ? words[rand(8)]! : str(), value(depth + 1)]));
    };
    for (let i = 0; i < 3000; i++) {
      const json = JSON.stringify(value(0));
      expect(generatedChars(json), json).toBe(reference(json));
      const cut = json.slice(rand(json.length + 1));
      expect(generatedChars(cut), cut).toBe(reference(cut));
    }
  });
});
