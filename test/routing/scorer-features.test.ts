import { describe, expect, it } from 'vitest';
import { buildPromptView } from '../../src/routing/prompt-view.js';
import { difficultyOf, extractFeatures, signalsOf, vectorFromSignals } from '../../src/routing/feature-vector.js';
import { SIGNAL_NAMES } from '../../src/routing/features/index.js';
import { extractRouteText } from '../../src/routing/extract-route-text.js';
import { textHash } from '../../src/routing/text-hash.js';

const signals = (prompt: string, extra = {}) => signalsOf(extractFeatures(buildPromptView({ prompt, ...extra }, 2048)));

describe('feature families', () => {
  it('length is chars / 4', () => {
    expect(signals('x'.repeat(400)).tokens).toBe(100);
  });
  it('code, math, structure and conversation fire on their cues', () => {
    expect(signals('```python\ndef f(x):\n    return x\n```').code).toBeGreaterThan(0.5);
    expect(signals('Solve 3x + 4 = 19 and compute the probability.')).toMatchObject({ numbers: 3 });
    expect(signals('Solve 3x + 4 = 19 and compute the probability.').math_words).toBeGreaterThanOrEqual(2);
    const s = signals('You must answer in JSON with exactly 3 keys.\n1. First parse\n2. Then check\nWrite a detailed report?');
    expect(s.constraints).toBeGreaterThanOrEqual(3);
    expect(s.steps).toBeGreaterThanOrEqual(3);
    expect(s.output_size).toBeGreaterThanOrEqual(1);
    expect(s.questions).toBe(1);
    expect(signals('ok', { turns: 9, toolErrors: 2, repeats: 1 })).toMatchObject({ turns: 9, tool_errors: 2, repeats: 1 });
  });
  it('an ask to write code is a code ask, with no code in the prompt; prose is not', () => {
    expect(signals('Implement a function to find the kth smallest element of two sorted lists.').code_ask).toBe(1);
    expect(signals('Write a C++ program to reverse a linked list, then give its time complexity.').code_ask).toBe(2);
    expect(signals('What is x << 3 in Python 3?').code_ask).toBe(1);
    expect(signals('Develop a web page that shows a random joke.').code_ask).toBe(1);
    expect(signals('Write a short story about a lighthouse keeper.').code_ask).toBeUndefined();
    expect(signals('We went in going circles; where is the class?').code_ask).toBeUndefined();
    // Counts are bounded (4 in the lead), the weight is presence: one ask adds 0.8 to the logit.
    expect(signals('implement it. '.repeat(20)).code_ask).toBe(4);
    const stored = signals('Implement a function to find the kth smallest element of two sorted lists.');
    // "to find the kth…" is also an answer to work out (task_kind): left out here, so the code ask is measured alone.
    const alone = { ...stored, answer_ask: 0 };
    const [withAsk, without] = [vectorFromSignals(alone), vectorFromSignals({ ...alone, code_ask: 0 })].map(difficultyOf);
    expect(withAsk!.difficulty - without!.difficulty).toBeCloseTo(0.8, 9);
    expect(withAsk!.evidence).toBe(true);
    expect(without!.evidence).toBe(false);
  });
  it('a problem to work out scores harder, a piece of writing easier, by presence', () => {
    expect(signals('How many integers are in the solution of the inequality |x + 5| < 10').answer_ask).toBe(1);
    expect(signals('If Chris is 4 and Ben is twice his age, how old is Ben?').answer_ask).toBe(1);
    // A question with a number in it is a problem even without the verbs.
    expect(signals('A train leaves at 3 pm and goes 60 mph; when does it arrive?').answer_ask).toBe(1);
    expect(signals('Each problem has three statements. If the first two are true, is the third true, false, or uncertain?').answer_ask).toBe(1);
    expect(signals('Compose an engaging travel blog post about a recent trip to Hawaii.').writing_ask).toBe(1);
    expect(signals('Imagine yourself as a doctor tasked with devising remedies.').writing_ask).toBe(1);
    expect(signals('Write a persuasive email to convince your friend to volunteer.').writing_ask).toBe(1);
    // Reasoning puzzles with no numbers (LiteLLM's analytical cues) and role-play openers or edits of a text (its writing cues).
    expect(signals('The lamp is off and the switch is up. Is the bulb broken? Explain your reasoning.').answer_ask).toBe(1);
    expect(signals('Three friends sit in a row and Ann is left of Bo. Deduce who sits in the middle.').answer_ask).toBe(1);
    expect(signals('Picture yourself as a lighthouse keeper and describe your night.').writing_ask).toBe(1);
    expect(signals('Now you are a travel agent. Suggest a route through Portugal.').writing_ask).toBe(1);
    expect(signals('Edit the following paragraph to fix its grammar: she go to school.').writing_ask).toBe(1);
    expect(signals('Make this more formal: hey boss, running late').writing_ask).toBe(1);
    // Asking for an explanation is no puzzle, and editing a file is no piece of writing.
    expect(signals('Explain how photosynthesis works.').answer_ask).toBeUndefined();
    expect(signals('Edit the config file and restart the server.').writing_ask).toBeUndefined();
    expect(signals('Are you now able to open the file?').writing_ask).toBeUndefined();
    // Plain prose, a question without numbers or problem words, and code asks are neither.
    for (const prompt of ['hello', 'Where do you think the meeting should be held?', 'Write a function that reverses a list.']) {
      expect(signals(prompt).answer_ask, prompt).toBeUndefined();
      expect(signals(prompt).writing_ask, prompt).toBeUndefined();
    }
    // Presence: 0 or 1, however many phrases name the task.
    expect(signals('Solve it. Compute it. Prove it. '.repeat(10)).answer_ask).toBe(1);
    const base = vectorFromSignals({ tokens: 30 });
    const diff = (s: Record<string, number>) => difficultyOf(vectorFromSignals({ tokens: 30, ...s })).difficulty - difficultyOf(base).difficulty;
    expect(diff({ answer_ask: 1 })).toBeCloseTo(0.45, 12);
    expect(diff({ answer_ask: 2 })).toBeCloseTo(0.45, 12);
    expect(diff({ writing_ask: 1 })).toBeCloseTo(-0.42, 12);
    expect(diff({ answer_ask: 1, writing_ask: 1 })).toBeCloseTo(0.03, 12);
    expect(difficultyOf(base).evidence).toBe(false);
    expect(difficultyOf(vectorFromSignals({ tokens: 30, answer_ask: 1 })).evidence).toBe(true);
    expect(difficultyOf(vectorFromSignals({ tokens: 30, writing_ask: 1 })).evidence).toBe(true);
  });
  it('harder asks score higher; nothing fired is no evidence', () => {
    const easy = difficultyOf(extractFeatures(buildPromptView({ prompt: 'hello' }, 2048)));
    const hard = difficultyOf(extractFeatures(buildPromptView({ prompt: 'Prove the theorem step by step; you must show every equation: 3x^2 + 2 = 14.' }, 2048)));
    expect(easy.evidence).toBe(false);
    expect(hard.evidence).toBe(true);
    expect(hard.difficulty).toBeGreaterThan(easy.difficulty);
  });
  it('reads a bounded window: a 128k prompt is counted by length but scanned only at its head and tail', () => {
    const long = `${'a '.repeat(64_000)}`;
    const view = buildPromptView({ prompt: `${long}def f(): return 1` }, 2048);
    expect(view.head.length).toBe(2048);
    expect(view.tail.length).toBeLessThanOrEqual(256);
    expect(view.chars).toBe(long.length + 17);
    // Code in the middle of a huge prompt is not seen (bounded work); code at the end is.
    const middle = buildPromptView({ prompt: `${long}def f(): return 1${long}` }, 2048);
    expect(signalsOf(extractFeatures(middle)).code ?? 0).toBe(0);
    expect(signalsOf(extractFeatures(view)).code).toBeGreaterThan(0);
  });
  it('stored signals replay to the same vector', () => {
    const v = extractFeatures(buildPromptView({ prompt: 'Compute 12 * 7 in a table, step by step.', turns: 3 }, 2048));
    expect(Array.from(vectorFromSignals(signalsOf(v)))).toEqual(Array.from(v).map((x) => Math.round(x * 1000) / 1000));
    expect(SIGNAL_NAMES).toContain('tool_errors');
  });
});

describe('extractRouteText', () => {
  it('OpenAI chat: last user turn, system hash, tool errors and repeated calls', () => {
    const call = { id: 'c', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } };
    const t = extractRouteText(
      {
        model: 'gpt-4o',
        max_tokens: 500,
        messages: [
          { role: 'system', content: 'You are a helpful agent.' },
          { role: 'user', content: 'find x' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: 'c', content: 'Error: timeout' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: 'c', content: 'error: timeout again' },
          { role: 'user', content: [{ type: 'text', text: 'try again please' }] },
        ],
      },
      'openai',
    );
    expect(t).toMatchObject({ prompt: 'try again please', toolErrors: 2, repeats: 1, turns: 6, maxTokens: 500, systemHash: textHash('You are a helpful agent.') });
  });
  it('a system prompt is context and no turn, in a system message as in Anthropic\'s system field or the Responses API\'s instructions', () => {
    const system = 'You are the support assistant of an online shop. '.repeat(40);
    const user = { role: 'user', content: 'Where is my order?' };
    const chat = extractRouteText({ messages: [{ role: 'system', content: system }, user] }, 'openai');
    const developer = extractRouteText({ messages: [{ role: 'developer', content: [{ type: 'text', text: system }] }, user] }, 'openai');
    const anthropic = extractRouteText({ system, messages: [user] }, 'anthropic');
    const responses = extractRouteText({ instructions: system, input: [user] }, 'openai');
    for (const t of [chat, developer, anthropic, responses]) expect(t).toMatchObject({ prompt: 'Where is my order?', contextChars: 1978, turns: 1, systemHash: textHash(system) });
  });
  it('Anthropic messages: system field, tool_result is_error', () => {
    const t = extractRouteText(
      {
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [
          { role: 'user', content: 'run it' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'bash', input: { cmd: 'ls' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', is_error: true, content: 'no such file' }, { type: 'text', text: 'fix it' }] },
        ],
      },
      'anthropic',
    );
    expect(t).toMatchObject({ prompt: 'fix it', toolErrors: 1, systemHash: textHash('Be brief.') });
  });
  it('an unknown body shape is an empty prompt, never an exception', () => {
    expect(extractRouteText(null, 'openai').prompt).toBe('');
    expect(extractRouteText({ messages: 'nope' }, 'openai').prompt).toBe('');
  });
});
