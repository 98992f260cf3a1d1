import { describe, expect, it, beforeAll } from 'vitest';
import { Readable } from 'node:stream';
import { join, resolve } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { memoryIO } from '../../src/cli/cli-io.js';
import { run } from '../../src/cli/run.js';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const ROWS = resolve('test/fixtures/routing/proxy-rows-2026-11.jsonl');
const POLICY = resolve('test/fixtures/routing/policy-small-large.yaml');

async function score(stdin: string | Buffer, args: string[] = []) {
  const cwd = tempDir();
  const io = memoryIO({ cwd, env: { HOME: cwd, XDG_DATA_HOME: join(cwd, '.data'), NO_COLOR: '1' } });
  io.stdin = Readable.from([stdin]);
  const code = await run(['route', 'score', '--no-priors', ...args], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('llmfin route explain', () => {
  it('prints score, signals, tier, model and why; says when it uses the example policy', async () => {
    const r = await runCli(['route', 'explain', 'Write a Python function that must parse JSON exactly; return a table.', '--agent', 'coder', '--no-priors']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('built-in example policy');
    for (const field of ['requested', 'tier', 'model', 'score', 'success', 'signals', 'why']) expect(r.stdout).toContain(field);
    const j = await runJson<{ tier: string; model: string; score: number; signals: Record<string, number>; reason: string; cohort: string }>(['route', 'explain', 'hi', '--policy', POLICY, '--no-priors']);
    expect(j).toMatchObject({ tier: 'small', model: 'gpt-4o-mini', cohort: '(everyone)' });
    expect(j.reason).toContain('no evidence');
  });
  it('an empty prompt and a bad policy file are exit 2 with the file and option named', async () => {
    expect((await runCli(['route', 'explain', '  '])).code).toBe(2);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'tiers:\n  - name: small\n    models: { openai: [a] }\ndefault_tier: huge\n');
    const r = await runCli(['route', 'explain', 'x', '--policy', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:4: default_tier: expected a tier name (small), got "huge"');
  });
  it('a policy file with a misspelt models: names the unknown option\'s own line (as llmfin.yaml does), the option and the one meant', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'typo.yaml'), 'tiers:\n  - name: small\n    modelz: { openai: [gpt-4o-mini] }\n');
    const r = await runCli(['route', 'explain', 'x', '--policy', 'typo.yaml', '--no-priors'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('typo.yaml:3: tiers.0: unknown option "modelz" (did you mean "tiers.0.models"?)');
    writeFileSync(join(dir, 'whole.yaml'), 'ledger:\n  path: x.db\nrouting:\n  tiers:\n    - name: small\n      modelz: { openai: [gpt-4o-mini] }\n');
    const whole = await runCli(['route', 'simulate', '--policy', 'whole.yaml', '--no-priors'], { cwd: dir });
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain('whole.yaml:6: routing.tiers.0: unknown option "modelz" (did you mean "routing.tiers.0.models"?)');
    // Left out altogether, the required option is named as missing.
    writeFileSync(join(dir, 'missing.yaml'), 'tiers:\n  - name: small\n');
    const missing = await runCli(['route', 'explain', 'x', '--policy', 'missing.yaml', '--no-priors'], { cwd: dir });
    expect(missing.stderr).toContain('missing.yaml:2: tiers.0.models: expected a mapping of names to lists, each written "NAME: [a, b]" on a line of its own, got nothing');
  });
});

describe('llmfin route explain --system', () => {
  it('scores the request as the proxy reads it: the system prompt in the cohort and the context, as route score does with messages', async () => {
    const system = 'You are the support assistant of an online shop. '.repeat(40);
    const prompt = 'Where is my order?';
    for (const dialect of ['openai', 'anthropic'] as const) {
      const model = dialect === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-5';
      const j = await runJson<{ score: number; tier: string; model: string; cohort: string; signals: Record<string, number> }>(
        ['route', 'explain', prompt, '--system', system, '--agent', 'support', '--dialect', dialect, '--model', model, '--no-priors'],
      );
      const body = dialect === 'openai' ? { messages: [{ role: 'system', content: system }, { role: 'user', content: prompt }] } : { system, messages: [{ role: 'user', content: prompt }] };
      const scored = await score(`${JSON.stringify({ ...body, agent: 'support', dialect, model })}\n`);
      expect(scored.code, scored.stderr).toBe(0);
      expect(JSON.parse(scored.stdout)).toEqual({ score: j.score, tier: j.tier, model: j.model });
      // 1,960 characters of system prompt and 18 of question: 495 tokens of context (1,978 / 4), 5 of prompt.
      expect(j.signals).toMatchObject({ tokens: 5, context_tokens: 495 });
      expect(j.cohort).toMatch(/^agent=support system=[0-9a-f]{8}$/);
    }
    const empty = await runCli(['route', 'explain', prompt, '--system', ' ', '--no-priors']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--system: expected the system prompt text, got an empty string');
  });
});

describe('llmfin route explain --model of the other dialect', () => {
  const warning = (model: string, provider: string, native: string, dialect: string) =>
    `warning: the catalogue lists ${model} under ${provider}, which speaks the ${native} dialect, but --dialect is ${dialect} and no ${dialect}-dialect upstream serves it: this decision is among ${dialect}-dialect models; pass --dialect ${native}`;

  it('warns on stderr with the fix when nothing of --dialect serves the model, and the exit code stays 0', async () => {
    const claude = await runCli(['route', 'explain', 'Refactor this function', '--model', 'claude-sonnet-4-5', '--no-priors']);
    expect(claude.code, claude.stderr).toBe(0);
    expect(claude.stderr).toContain(warning('claude-sonnet-4-5', 'anthropic', 'anthropic', 'openai'));
    const gpt = await runCli(['route', 'explain', 'hi', '--model', 'gpt-4o', '--dialect', 'anthropic', '--no-priors']);
    expect(gpt.code, gpt.stderr).toBe(0);
    expect(gpt.stderr).toContain(warning('gpt-4o', 'openai', 'openai', 'anthropic'));
  });

  it('is quiet when the dialects agree, when a pool of --dialect lists the model, or an upstream of --dialect serves its provider', async () => {
    for (const args of [
      ['--model', 'claude-sonnet-4-5', '--dialect', 'anthropic'],
      ['--model', 'gpt-4o'],
      ['--model', 'some-private-model'],
    ]) {
      const r = await runCli(['route', 'explain', 'hi', ...args, '--no-priors']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, args.join(' ')).not.toContain('warning:');
    }
    const dir = tempDir();
    // Anthropic's OpenAI-compatible endpoint, configured as an openai-dialect upstream: in a pool, then only configured.
    const compat = `proxy:
  upstreams:
    claude-compat: { base_url: https://api.anthropic.com/v1, dialect: openai, provider: anthropic }
`;
    writeFileSync(join(dir, 'pool.yaml'), `${compat}routing:
  tiers:
    - name: small
      models: { openai: [gpt-4o-mini] }
    - name: large
      models: { claude-compat: [claude-sonnet-4-5] }
`);
    writeFileSync(join(dir, 'upstream.yaml'), `${compat}routing:
  tiers:
    - name: small
      models: { openai: [gpt-4o-mini] }
    - name: large
      models: { openai: [gpt-4o] }
`);
    for (const policy of ['pool.yaml', 'upstream.yaml']) {
      const served = await runCli(['route', 'explain', 'hi', '--model', 'claude-sonnet-4-5', '--policy', policy, '--no-priors'], { cwd: dir });
      expect(served.code, served.stderr).toBe(0);
      expect(served.stderr, policy).not.toContain('warning:');
    }
  });
});

describe('a policy file that cannot be used', () => {
  it('--policy naming a file with no tiers is exit 2 naming it, not a replay of the built-in example', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'candidate.yaml'), 'routing: {}\n');
    for (const args of [['route', 'explain', 'hi'], ['route', 'simulate']]) {
      const r = await runCli([...args, '--policy', 'candidate.yaml', '--no-priors', '--db', join(dir, 'none.db')], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('candidate.yaml: no routing tiers in this policy file');
      expect(r.stdout).toBe('');
    }
  });
  it('a pool naming an unknown upstream names the file it is in, for the route commands and the proxy', async () => {
    const dir = tempDir();
    const tiers = 'tiers:\n  - name: small\n    models: { opnai: [gpt-4o-mini] }\n';
    writeFileSync(join(dir, 'candidate.yaml'), tiers);
    const r = await runCli(['route', 'explain', 'hi', '--policy', 'candidate.yaml', '--no-priors'], { cwd: dir });
    expect(r.code).toBe(2);
    // Its line and its path as the file spells it (the routing section at the top level), as a schema error has them.
    expect(r.stderr).toContain('candidate.yaml:3: tiers.0.models.opnai: expected an upstream name from proxy.upstreams');
    writeFileSync(join(dir, 'llmfin.yaml'), `routing:\n  ${tiers.replace(/\n(?=.)/g, '\n  ')}`);
    const p = await runCli(['proxy', '--port', '0', '--db', join(dir, 'p.db')], { cwd: dir });
    expect(p.code, p.stderr).toBe(2);
    expect(p.stderr).toContain('llmfin.yaml:4: routing.tiers.0.models.opnai: expected an upstream name from proxy.upstreams');
  });
});

describe('a pool listing a model of the other dialect', () => {
  it('warns naming the tier, the model and where to list it, unless an upstream of that name may serve it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mixed.yaml'), 'tiers:\n  - name: small\n    models: { openai: [claude-haiku-4-5], anthropic: [gpt-4o-mini] }\n  - name: large\n    models: { openai: [gpt-4o], anthropic: [claude-opus-4-5] }\n');
    const r = await runCli(['route', 'explain', 'hi', '--policy', 'mixed.yaml', '--no-priors'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: routing: tier small lists claude-haiku-4-5 under openai, but the catalogue has it under anthropic (anthropic dialect): openai-dialect clients routed to it would ask the openai API for a model it does not serve; list it under anthropic, or under an upstream in proxy.upstreams that serves it',
    );
    expect(r.stderr).toContain('warning: routing: tier small lists gpt-4o-mini under anthropic, but the catalogue has it under openai (openai dialect)');
    // The models where they belong: no warning.
    const ok = await runCli(['route', 'explain', 'hi', '--policy', POLICY, '--no-priors'], { cwd: dir });
    expect(ok.stderr).not.toContain('warning:');
    // An upstream named openai (a gateway) may serve any model: no warning either.
    writeFileSync(join(dir, 'llmfin.yaml'), 'proxy:\n  upstreams:\n    openai: { base_url: http://127.0.0.1:9/v1 }\nrouting:\n  tiers:\n    - name: small\n      models: { openai: [claude-haiku-4-5] }\n    - name: large\n      models: { openai: [gpt-4o] }\n');
    const gateway = await runCli(['route', 'explain', 'hi', '--no-priors'], { cwd: dir });
    expect(gateway.code, gateway.stderr).toBe(0);
    expect(gateway.stderr).not.toContain('warning:');
  });
});

describe('llmfin route explain - (the prompt on stdin)', () => {
  async function explain(stdin: Buffer | string, args: string[] = []) {
    const cwd = tempDir();
    const io = memoryIO({ cwd, env: { HOME: cwd, XDG_DATA_HOME: join(cwd, '.data'), NO_COLOR: '1' } });
    io.stdin = Readable.from([typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin]);
    const code = await run(['route', 'explain', '-', '--no-priors', '--policy', POLICY, ...args], io);
    return { code, stdout: io.out(), stderr: io.err() };
  }

  it('scores a prompt too long to be an argument (200,000 characters), as the same prompt given as one', async () => {
    const long = 'Refactor this function and add tests. '.repeat(5300).slice(0, 200_000);
    const r = await explain(long, ['--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const fromStdin = JSON.parse(r.stdout) as { prompt_hash: string; score: number; tier: string };
    const fromArg = await runJson<{ prompt_hash: string; score: number; tier: string }>(['route', 'explain', long, '--no-priors', '--policy', POLICY]);
    expect(fromStdin).toEqual(fromArg);
  });

  it('a file\'s final newline is not part of the prompt: the file scores as the text in it does', async () => {
    // 92 characters: 23 tokens at 4 a token; with the newline, 93 would be 24.
    const prompt = '```python\ndef f(x):\n    return x*2\n```\nWhy does this fail for strings? Fix it and add tests.';
    const fromArg = await runJson<{ prompt_hash: string; score: number; signals: Record<string, number> }>(['route', 'explain', prompt, '--no-priors', '--policy', POLICY]);
    expect(fromArg.signals.tokens).toBe(23);
    for (const file of [`${prompt}\n`, `${prompt}\r\n`]) {
      const r = await explain(file, ['--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(fromArg);
    }
  });

  it('stdin that is not UTF-8, or empty, is exit 2 saying so', async () => {
    const latin1 = await explain(Buffer.from('caf\xe9 cr\xe8me, r\xe9sum\xe9', 'latin1'));
    expect(latin1.code).toBe(2);
    expect(latin1.stderr).toContain('<stdin>: the prompt is not UTF-8 text');
    expect(latin1.stdout).toBe('');
    const empty = await explain('  \n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('expected a prompt, got an empty stdin');
  });

  it('an empty --model is exit 2, as an empty "model" is for route score, not a decision about a model in no tier', async () => {
    const r = await runCli(['route', 'explain', 'hi', '--model', '', '--policy', POLICY, '--no-priors']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--model: expected the model the request asks for, got an empty string (leave it out for the top tier's)");
    expect(r.stdout).toBe('');
  });

  it('an empty --agent or --feature (an unset variable) is exit 2, not a request of no agent', async () => {
    for (const key of ['agent', 'feature']) {
      const r = await runCli(['route', 'explain', 'hi', `--${key}`, '', '--policy', POLICY, '--no-priors']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--${key}: expected the request's ${key}, got an empty string (leave it out for a request with none)`);
      expect(r.stdout).toBe('');
    }
  });
});

describe('llmfin route score', () => {
  it('JSONL in, {score, tier, model} per line out, in order', async () => {
    const r = await score(['{"prompt": "hi"}', '', '{"messages": [{"role": "user", "content": "Prove that the sum of 2 odd numbers is even, step by step."}], "agent": "math"}'].join('\n'), ['--policy', POLICY]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(Object.keys(l).sort()).toEqual(['model', 'score', 'tier']);
    expect(lines[0]).toMatchObject({ tier: 'small', model: 'gpt-4o-mini' });
  });
  it('--format csv or markdown is exit 2, not JSONL under another name; --format json is the JSONL', async () => {
    for (const format of ['csv', 'markdown']) {
      const r = await score('{"prompt": "hi"}\n', ['--policy', POLICY, '--format', format]);
      expect(r.code, format).toBe(2);
      expect(r.stderr).toContain(`--format ${format}: route score writes JSONL`);
      expect(r.stdout).toBe('');
    }
    const json = await score('{"prompt": "hi"}\n', ['--policy', POLICY, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ tier: 'small', model: 'gpt-4o-mini' });
  });
  it('a bad line is exit 2 naming the line', async () => {
    const r = await score('{"prompt": "ok"}\n{"prompt": 42}\n', ['--policy', POLICY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<stdin>:2: expected "prompt" (a string) or "messages" (an array)');
    const j = await score('{"prompt": "ok"}\n{oops\n', ['--policy', POLICY]);
    expect(j.code).toBe(2);
    expect(j.stderr).toContain('<stdin>:2: not valid JSON');
  });
  it('a message that is not an object, messages with no content, or an empty model are exit 2 naming the line, not scored as an empty prompt', async () => {
    const cases: Array<[string, string]> = [
      ['{"messages": [null]}', '<stdin>:2: "messages"[0]: expected a message object ({"role": …, "content": …}), got null'],
      ['{"messages": ["hi"]}', '<stdin>:2: "messages"[0]: expected a message object ({"role": …, "content": …}), got "hi"'],
      ['{"messages": [{"role": "user", "text": "hi"}]}', '<stdin>:2: "messages": expected a message with "content" (text or a list of parts), got none'],
      ['{"prompt": "hi", "model": ""}', '<stdin>:2: "model": expected the model the request asks for, got an empty string'],
    ];
    for (const [line, message] of cases) {
      const r = await score(`{"prompt": "ok"}\n${line}\n`, ['--policy', POLICY]);
      expect(r.code, line).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
  it('null for an optional field is "not given", as exporters write a missing value; an image-only message is a request', async () => {
    const r = await score('{"prompt": "hi", "agent": null, "feature": null, "model": null, "dialect": null}\n{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}\n', ['--policy', POLICY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { model: string }).model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini']);
  });
  it('a model of the other dialect is warned about once, naming its first line, as explain warns; the exit code stays 0', async () => {
    const lines = ['{"prompt": "hi", "model": "claude-sonnet-4-5"}', '{"prompt": "ho", "model": "claude-sonnet-4-5"}', '{"prompt": "hi", "model": "claude-sonnet-4-5", "dialect": "anthropic"}', '{"prompt": "hi", "model": "gpt-4o"}'];
    const r = await score(`${lines.join('\n')}\n`);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      'warning: <stdin>:1: the catalogue lists claude-sonnet-4-5 under anthropic, which speaks the anthropic dialect, but --dialect is openai and no openai-dialect upstream serves it: this decision is among openai-dialect models; pass --dialect anthropic (or "dialect" on the line)',
    ]);
  });
  it('an --input file that cannot be read is exit 2 naming it, not a crash', async () => {
    const dir = tempDir();
    const missing = await runCli(['route', 'score', '--no-priors', '--policy', POLICY, '--input', 'prompts.jsonl'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('prompts.jsonl: cannot read the --input file (ENOENT: no such file)');
    expect(missing.stdout).toBe('');
    const folder = await runCli(['route', 'score', '--no-priors', '--policy', POLICY, '--input', '.'], { cwd: dir });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('.: cannot read the --input file (EISDIR: a folder, not a file)');
  });
  it('a line that is not UTF-8 is exit 2 naming it, not scored as replacement characters', async () => {
    const dir = tempDir();
    // Line 2 is Latin-1 ("café crème"): 0xe9 and 0xe8 are no UTF-8 text. Line 3 is UTF-8, a character of three bytes.
    writeFileSync(join(dir, 'prompts.jsonl'), Buffer.concat([Buffer.from('{"prompt": "hi"}\n'), Buffer.from('{"prompt": "caf\xe9 cr\xe8me"}\n', 'latin1'), Buffer.from('{"prompt": "\u20ac 5"}\n')]));
    const r = await runCli(['route', 'score', '--no-priors', '--policy', POLICY, '--input', 'prompts.jsonl'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prompts.jsonl:2: not UTF-8 text');
    const stdin = await score(Buffer.concat([Buffer.from('{"prompt": "\u20ac 5"}\r\n'), Buffer.from('{"prompt": "\xff"}\r\n', 'latin1')]), ['--policy', POLICY]);
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('<stdin>:2: not UTF-8 text');
    expect(stdin.stdout.trim().split('\n')).toHaveLength(1);
  });
  it('an empty prompt or message list is exit 2 naming its line, as route explain refuses an empty prompt', async () => {
    const empty = await score('{"prompt": "hi"}\n{"prompt": ""}\n', ['--policy', POLICY]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('<stdin>:2: "prompt": expected the prompt text, got an empty string');
    // Only whitespace is as empty: route explain "   " is refused the same way.
    const blank = await score('{"prompt": " \\n\\t"}\n', ['--policy', POLICY]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('<stdin>:1: "prompt": expected the prompt text, got only whitespace (" \\n\\t")');
    expect(blank.stdout).toBe('');
    const none = await score('{"messages": []}\n', ['--policy', POLICY]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('<stdin>:1: "messages": expected at least one message, got []');
  });
  it('a terminal on stdin (nothing piped) is exit 2 saying what to give, not a wait that looks like a hang', async () => {
    const cwd = tempDir();
    const io = memoryIO({ cwd, env: { HOME: cwd, XDG_DATA_HOME: join(cwd, '.data'), NO_COLOR: '1' } });
    io.stdin = Object.assign(Readable.from([]), { isTTY: true });
    const code = await run(['route', 'score', '--no-priors', '--policy', POLICY], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('route score: expected JSONL on stdin or --input FILE');
    expect(io.out()).toBe('');
  });
  it('empty input, or blank lines only, is empty output with a warning saying so, exit 0', async () => {
    const empty = await score('', ['--policy', POLICY]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('warning: <stdin>: no requests to score (the input is empty)');
    const blank = await score('\n  \r\n\n', ['--policy', POLICY]);
    expect(blank.code, blank.stderr).toBe(0);
    expect(blank.stdout).toBe('');
    expect(blank.stderr).toContain('warning: <stdin>: no requests to score (only 3 blank lines)');
    // A scored line is output enough: no warning.
    const one = await score('{"prompt": "hi"}\n', ['--policy', POLICY]);
    expect(one.stderr).not.toContain('no requests to score');
  });
  it('a prompt of many lines\' length, split across reads, is one line', async () => {
    const dir = tempDir();
    const long = '\u00e9t\u00e9 '.repeat(60_000);
    writeFileSync(join(dir, 'long.jsonl'), `${JSON.stringify({ prompt: long })}\n${JSON.stringify({ prompt: 'hi' })}`);
    const r = await runCli(['route', 'score', '--no-priors', '--policy', POLICY, '--input', 'long.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
  it('a byte order mark and CRLF line ends, as Windows editors write them, are read as JSONL', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'prompts.jsonl'), '\ufeff{"prompt": "hi"}\r\n{"prompt": "hello"}\r\n');
    const r = await runCli(['route', 'score', '--no-priors', '--policy', POLICY, '--input', 'prompts.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { model: string }).model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini']);
  });
});

describe('llmfin route simulate, feedback and report --by routed_from', () => {
  const cwd = tempDir();
  const db = join(cwd, 'ledger.db');
  beforeAll(async () => {
    const r = await runCli(['import', ROWS, '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
  });

  it('a --since after now without --until is exit 2 naming it, not an empty replay of an inverted window', async () => {
    const r = await runCli(['route', 'simulate', '--since', '2999-01-01', '--policy', POLICY, '--db', db, '--no-priors'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since: expected a time before now');
    expect(r.stderr).toContain('got 2999-01-01T00:00:00.000Z');
    expect(r.stdout).toBe('');
    // With --until the window is the user's to choose, and a future one is still refused only when inverted.
    const bounded = await runCli(['route', 'simulate', '--since', '2999-01-01', '--until', '2999-02-01', '--policy', POLICY, '--db', db, '--no-priors'], { cwd });
    expect(bounded.code, bounded.stderr).toBe(0);
    expect(bounded.stdout).toContain('Routing simulation 2999-01-01 → 2999-02-01');
  });

  it('replays recorded features under a policy and prices the same tokens at the chosen model', async () => {
    const j = await runJson<{
      requests: number;
      original_cost_usd: number;
      routed_cost_usd: number;
      saved_usd: number;
      saved_share: number;
      with_features: number;
      by_tier: Array<{ tier: string; requests: number }>;
      rows: Array<{ agent: string; saved_usd: number; requests: number }>;
    }>(['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors'], { cwd });
    // support: 1000 in + 100 out on gpt-4o = 0.0025 + 0.001 = 0.0035; no evidence → small (gpt-4o-mini):
    //   0.00015 + 0.00006 = 0.00021, saved 0.00329. coder: code and a long prompt → large, kept: 0.005 + 0.005 = 0.01.
    expect(j.requests).toBe(2);
    expect(j.with_features).toBe(2);
    expect(j.original_cost_usd).toBeCloseTo(0.0135, 12);
    expect(j.routed_cost_usd).toBeCloseTo(0.01021, 12);
    expect(j.saved_usd).toBeCloseTo(0.00329, 12);
    // 0.00329 / 0.0135 = 0.2437037…, to six decimals as report's shares.
    expect(j.saved_share).toBe(0.243704);
    expect(j.by_tier).toEqual([expect.objectContaining({ tier: 'small', requests: 1 }), expect.objectContaining({ tier: 'large', requests: 1 })]);
    expect(j.rows[0]).toMatchObject({ agent: 'support', requests: 1 });
    expect(j.rows[0]!.saved_usd).toBeCloseTo(0.00329, 12);
    const table = await runCli(['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors'], { cwd });
    // Below $1, three significant digits, so that the figures add up as printed ($0.0135 − $0.0102 = $0.00329, not $0.01 − $0.01).
    expect(table.stdout).toContain('2 requests, $0.0135 → $0.0102, saved $0.00329 (24.4%)');
    expect(table.stdout.split('\n').find((l) => l.startsWith('support'))!.split(/\s{2,}/)).toEqual(['support', '1', '$0.0035', '$0.00021', '$0.00329', '94.0%', 'small 100.0%']);
    // CSV: one line per agent with the JSON's raw numbers, not the table's "$0.00" for a saving of $0.00329.
    const csv = await runCli(['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors', '--format', 'csv'], { cwd });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.trim().split('\n')).toEqual([
      'agent,requests,original_cost_usd,routed_cost_usd,saved_usd,saved_share,tiers.small,tiers.large,unpriced',
      'support,1,0.0035,0.00021,0.00329,0.94,1,0,0',
      'coder,1,0.01,0.01,0,0,0,1,0',
    ]);
  });

  it('leaves error rows (HTTP status >= 400, no tokens) out of the requests, tier shares and savings, and says how many', async () => {
    const dir = tempDir();
    const errDb = join(dir, 'ledger.db');
    expect((await runCli(['import', ROWS, '--db', errDb], { cwd: dir })).code).toBe(0);
    // Rows as the proxy writes failed attempts: an upstream 500 and a 502 (upstream unreachable), no tokens, $0.
    const ledger = await openLedger(errDb);
    const failed = (i: number, status: number, agent: string) => ({
      provenance: 'metered' as const,
      source: 'proxy',
      granularity: 'request' as const,
      dedupe_key: `proxy-err-${i}`,
      provider: 'openai',
      model: 'gpt-4o',
      model_requested: 'gpt-4o',
      ts: `2026-11-15T11:00:0${i}.000Z`,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: '0',
      cost_ticks: 0,
      cost_status: 'priced' as const,
      agent,
      request_id: `req-err-${i}`,
      status_code: status,
      created_at: '2026-11-15T11:00:00.000Z',
    });
    await ledger.db.insertInto('usage_entries').values([failed(1, 500, 'support'), failed(2, 502, 'coder'), failed(3, 504, 'coder')]).execute();
    await ledger.close();
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', errDb, '--no-priors'];
    const j = await runJson<{
      requests: number;
      errors_left_out: number;
      without_features: number;
      saved_usd: number;
      tiers: Record<string, number>;
      by_tier: Array<{ tier: string; requests: number; share: number }>;
      rows: Array<{ agent: string; requests: number; tiers: Record<string, number> }>;
    }>(args, { cwd: dir });
    // The two real requests as above: support → small (saved 0.00329), coder → large (kept); the three failures are not requests.
    expect(j.requests).toBe(2);
    expect(j.errors_left_out).toBe(3);
    expect(j.without_features).toBe(0);
    expect(j.saved_usd).toBeCloseTo(0.00329, 12);
    expect(j.tiers).toEqual({ small: 0.5, large: 0.5 });
    expect(j.by_tier).toEqual([
      expect.objectContaining({ tier: 'small', requests: 1, share: 0.5 }),
      expect.objectContaining({ tier: 'large', requests: 1, share: 0.5 }),
    ]);
    expect(j.rows.map((a) => [a.agent, a.requests])).toEqual([['support', 1], ['coder', 1]]);
    expect(j.rows.find((a) => a.agent === 'coder')!.tiers).toEqual({ large: 1 });
    const table = await runCli(args, { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(': 2 requests,');
    expect(table.stderr).toContain('3 error row(s) (HTTP status >= 400, no tokens: the model never ran) are left out of the requests, tier shares and savings');
  });

  it('feedback is stored and warns when the request id is not in the ledger yet', async () => {
    const ok = await runJson<{ request_id: string; outcome: string; row_found: boolean }>(['route', 'feedback', '--request-id', 'req-1', '--outcome', 'bad', '--db', db], { cwd });
    expect(ok).toMatchObject({ request_id: 'req-1', outcome: 'bad', row_found: true });
    const missing = await runCli(['route', 'feedback', '--request-id', 'req-404', '--outcome', 'good', '--db', db], { cwd });
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain('no ledger row has request id req-404 yet');
    const bad = await runCli(['route', 'feedback', '--request-id', 'req-1', '--outcome', 'meh', '--db', db], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are good, bad, escalated/);
  });

  it('feedback refuses a note longer than 1,000 characters, and keeps one of 1,000', async () => {
    const long = await runCli(['route', 'feedback', '--request-id', 'req-1', '--outcome', 'bad', '--note', 'x'.repeat(1001), '--db', db], { cwd });
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--note: expected a short note of at most 1,000 characters, got 1,001');
    const fits = await runCli(['route', 'feedback', '--request-id', 'req-1', '--outcome', 'bad', '--note', 'x'.repeat(1000), '--db', db], { cwd });
    expect(fits.code, fits.stderr).toBe(0);
  });

  it('feedback to a --db that names no ledger is exit 2 and creates none', async () => {
    const typo = join(cwd, 'ledgr.db');
    const r = await runCli(['route', 'feedback', '--request-id', 'req-1', '--outcome', 'bad', '--db', typo], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot open ledger ${typo}: no ledger there`);
    expect(existsSync(typo)).toBe(false);
  });

  it('report --by routed_from,model shows what routed traffic was asked for', async () => {
    const j = await runJson<{ rows: Array<Record<string, unknown>> }>(['report', '--by', 'routed_from,model', '--since', '2026-10-01', '--until', '2026-12-01', '--basis', 'metered', '--db', db], { cwd });
    expect(j.rows).toContainEqual(expect.objectContaining({ routed_from: 'gpt-4o', model: 'gpt-4o-mini', requests: 1 }));
  });
});

describe('llmfin route simulate replays escalation and stickiness as the proxy decides them', () => {
  it('a request after two tool errors goes one tier up, and the trace stays there', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    // One trace of an agent: a first turn with no evidence, a turn after two failed tool calls, then a plain turn.
    const row = (i: number, features: Record<string, number>) =>
      JSON.stringify({
        id: `esc-${i}`, source: 'proxy', ts: `2026-11-15T10:00:0${i}Z`, granularity: 'request', provenance: 'metered',
        provider: 'openai', model: 'gpt-4o', model_requested: 'gpt-4o', requests: 1, input_tokens: 1000, output_tokens: 100,
        cost_status: 'priced', cost_usd: '0.0035', agent: 'fixer', trace_id: 'trace-fix', request_id: `req-esc-${i}`,
        raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: 1000, output_tokens: 100, routing: { v: 1, mode: 'shadow', dialect: 'openai', from: 'gpt-4o', tier: null, model: 'gpt-4o', served_tier: 'large', score: 0, features } }),
      });
    writeFileSync(join(dir, 'rows.jsonl'), [
      row(1, { tokens: 5, context_tokens: 5, turns: 1 }),
      row(2, { tokens: 5, context_tokens: 40, turns: 5, tool_errors: 2 }),
      row(3, { tokens: 5, context_tokens: 5, turns: 1 }),
    ].join('\n') + '\n');
    // A lenient policy: the scorer alone sends every one of them to small.
    writeFileSync(join(dir, 'lenient.yaml'), 'default_tier: small\nmax_quality_loss: 0.5\ntiers:\n  - name: small\n    models: { openai: [gpt-4o-mini] }\n  - name: large\n    models: { openai: [gpt-4o] }\n');
    expect((await runCli(['import', join(dir, 'rows.jsonl'), '--db', db], { cwd: dir })).code).toBe(0);
    const j = await runJson<{ requests: number; original_cost_usd: number; routed_cost_usd: number; saved_usd: number; changed: number; by_tier: Array<{ tier: string; requests: number }> }>(
      ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', 'lenient.yaml', '--db', db, '--no-priors'], { cwd: dir },
    );
    // Each request: 1000 in + 100 out on gpt-4o = 0.0025 + 0.001 = 0.0035; on gpt-4o-mini 0.00015 + 0.00006 = 0.00021.
    // Only the first goes to small (saved 0.00329); the second is escalated to large, the third is held there by the trace.
    expect(j.requests).toBe(3);
    expect(j.changed).toBe(1);
    expect(j.by_tier).toEqual([expect.objectContaining({ tier: 'small', requests: 1 }), expect.objectContaining({ tier: 'large', requests: 2 })]);
    expect(j.original_cost_usd).toBeCloseTo(0.0105, 12);
    expect(j.routed_cost_usd).toBeCloseTo(0.00721, 12);
    expect(j.saved_usd).toBeCloseTo(0.00329, 12);
  });
});

describe('llmfin route simulate with a tier the catalogue does not price', () => {
  it('an agent whose every request went to an unpriced model reads "unpriced", not $0.00, and JSON counts it per agent', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    expect((await runCli(['import', ROWS, '--db', db], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'local.yaml'), 'default_tier: small\ntiers:\n  - name: small\n    models: { openai: [my-local-llm] }\n  - name: large\n    models: { openai: [gpt-4o] }\n');
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', 'local.yaml', '--db', db, '--no-priors'];
    const j = await runJson<{ unpriced: number; original_cost_usd: number; rows: Array<{ agent: string; unpriced: number; original_cost_usd: number }> }>(args, { cwd: dir });
    // support (no evidence) → small, my-local-llm: unpriced; coder → large, kept: 2000 in + 500 out on gpt-4o = 0.005 + 0.005.
    expect(j.unpriced).toBe(1);
    expect(j.original_cost_usd).toBeCloseTo(0.01, 12);
    expect(j.rows.map((a) => [a.agent, a.unpriced])).toEqual([['coder', 0], ['support', 1]]);
    const table = await runCli(args, { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    const support = table.stdout.split('\n').find((l) => l.startsWith('support'))!;
    expect(support.split(/\s{2,}/)).toEqual(['support', '1', 'unpriced', 'unpriced', 'unpriced', '–', 'small 100.0%']);
    expect(table.stdout.split('\n').find((l) => l.startsWith('coder'))).toContain('$0.01');
    expect(table.stderr).toContain('1 row(s) could not be priced at the original or the routed model and are left out of the $ figures');
  });
});

describe('llmfin route simulate reports what enforce mode realised', () => {
  it('sums, for requests the proxy served with another model, the recorded cost against the requested model\'s', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const row = (i: number, model: string, cost: string, original: string) =>
      JSON.stringify({
        id: `real-${i}`, source: 'proxy', ts: `2026-11-16T10:00:0${i}Z`, granularity: 'request', provenance: 'metered',
        provider: 'openai', model, model_requested: 'gpt-4o', requests: 1, input_tokens: 1000, output_tokens: 100,
        cost_status: 'priced', cost_usd: cost, agent: 'support', request_id: `req-real-${i}`,
        ...(model === 'gpt-4o' ? {} : { tags: { routed_from: 'gpt-4o', route_tier: 'small' } }),
        raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: 1000, output_tokens: 100, routing: {
          v: 1, mode: 'enforce', dialect: 'openai', from: 'gpt-4o', tier: model === 'gpt-4o' ? 'large' : 'small', model, served_tier: model === 'gpt-4o' ? 'large' : 'small',
          score: 0, features: { tokens: 5, context_tokens: 5, turns: 1 }, original_cost_usd: original } }),
      });
    // 1000 in + 100 out: gpt-4o 0.0025 + 0.001 = 0.0035; gpt-4o-mini 0.00015 + 0.00006 = 0.00021. Two rewritten, one kept.
    writeFileSync(join(dir, 'rows.jsonl'), [row(1, 'gpt-4o-mini', '0.00021', '0.0035'), row(2, 'gpt-4o-mini', '0.00021', '0.0035'), row(3, 'gpt-4o', '0.0035', '0.0035')].join('\n') + '\n');
    expect((await runCli(['import', join(dir, 'rows.jsonl'), '--db', db], { cwd: dir })).code).toBe(0);
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors'];
    const j = await runJson<{ realised: { requests: number; original_cost_usd: number; cost_usd: number; saved_usd: number; saved_share: number } }>(args, { cwd: dir });
    expect(j.realised.requests).toBe(2);
    expect(j.realised.original_cost_usd).toBeCloseTo(0.007, 12);
    expect(j.realised.cost_usd).toBeCloseTo(0.00042, 12);
    expect(j.realised.saved_usd).toBeCloseTo(0.00658, 12);
    // The tier the proxy routed to is a report dimension without declaring it.
    const byTier = await runJson<{ rows: Array<Record<string, unknown>> }>(['report', '--by', 'route_tier', '--since', '2026-11-01', '--until', '2026-12-01', '--db', db], { cwd: dir });
    expect(byTier.rows.map((r) => [r.route_tier, r.requests, r.cost_usd])).toEqual([['(unattributed)', 1, 0.0035], ['small', 2, 0.00042]]);
    expect(j.realised.saved_share).toBeCloseTo(0.94, 12);
    const table = await runCli(args, { cwd: dir });
    expect(table.stdout).toContain('realised: 2 request(s) served by another model than asked (routing in enforce mode or a budget downgrade) cost $0.00042 instead of $0.007, saved $0.00658 (94.0%)');
    // Shadow traffic rewrote nothing: no realised line.
    const shadow = await runCli(['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', join(dir, 'none.db'), '--no-priors'], { cwd: dir });
    expect(shadow.stdout).not.toContain('realised');
  });

  it('a request answered by a dated snapshot of the model asked for (OpenAI names the one that ran) is not a realised saving', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    // As the proxy records shadow traffic to OpenAI: asked gpt-4o, answered "model": "gpt-4o-2024-08-06", nothing rewritten (no routed_from).
    const row = (i: number) =>
      JSON.stringify({
        id: `snap-${i}`, source: 'proxy', ts: `2026-11-16T10:00:0${i}Z`, granularity: 'request', provenance: 'metered',
        provider: 'openai', model: 'gpt-4o-2024-08-06', model_requested: 'gpt-4o', requests: 1, input_tokens: 1000, output_tokens: 100,
        cost_status: 'priced', cost_usd: '0.0035', agent: 'support', request_id: `req-snap-${i}`, tags: { route_tier: 'small' },
        raw_usage: JSON.stringify({ usage: { prompt_tokens: 1000, completion_tokens: 100 }, endpoint: '/v1/chat/completions', routing: {
          v: 1, mode: 'shadow', dialect: 'openai', from: 'gpt-4o', tier: 'small', model: 'gpt-4o-mini', served_tier: 'large',
          score: 0, features: { tokens: 5, context_tokens: 5, turns: 1 }, original_cost_usd: '0.0035', chosen_cost_usd: '0.00021' } }),
      });
    writeFileSync(join(dir, 'rows.jsonl'), `${row(1)}\n${row(2)}\n`);
    expect((await runCli(['import', join(dir, 'rows.jsonl'), '--db', db], { cwd: dir })).code).toBe(0);
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors'];
    const j = await runJson<{ requests: number; realised: { requests: number; original_cost_usd: number; cost_usd: number } }>(args, { cwd: dir });
    expect(j.requests).toBe(2);
    expect(j.realised).toMatchObject({ requests: 0, original_cost_usd: 0, cost_usd: 0 });
    expect((await runCli(args, { cwd: dir })).stdout).not.toContain('realised');
  });
});

describe('llmfin route simulate prices a request at the service tier it was served at', () => {
  it('a priority request saves priority money; a model with no price at the tier is priced at its standard rates', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const row = (i: number, model: string, tier: string, cost: string) =>
      JSON.stringify({
        id: `tier-${i}`, source: 'proxy', ts: `2026-11-16T10:00:0${i}Z`, granularity: 'request', provenance: 'metered',
        provider: 'openai', model, model_requested: model, requests: 1, input_tokens: 1000, output_tokens: 100, service_tier: tier,
        cost_status: 'priced', cost_usd: cost, agent: 'support', request_id: `req-tier-${i}`,
        raw_usage: JSON.stringify({ usage: { prompt_tokens: 1000, completion_tokens: 100 }, endpoint: '/v1/chat/completions', routing: {
          v: 1, mode: 'shadow', dialect: 'openai', from: model, tier: 'small', model: 'gpt-4o-mini', served_tier: 'large',
          score: 0, features: { tokens: 5, context_tokens: 5, turns: 1 } } }),
      });
    // 1000 in + 100 out. gpt-4o at priority (x1.7): 0.00425 + 0.0017 = 0.00595; gpt-4o-mini at priority: 0.00025 + 0.0001 = 0.00035.
    // gpt-5 at flex: 0.000625 + 0.0005 = 0.001125; gpt-4o-mini has no flex price: standard, 0.00015 + 0.00006 = 0.00021.
    writeFileSync(join(dir, 'rows.jsonl'), `${row(1, 'gpt-4o', 'priority', '0.00595')}\n${row(2, 'gpt-5', 'flex', '0.001125')}\n`);
    expect((await runCli(['import', join(dir, 'rows.jsonl'), '--db', db], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'tiers.yaml'), 'default_tier: small\ntiers:\n  - name: small\n    models: { openai: [gpt-4o-mini] }\n  - name: large\n    models: { openai: [gpt-4o, gpt-5] }\n');
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', 'tiers.yaml', '--db', db, '--no-priors', '--format', 'json'];
    const r = await runCli(args, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { requests: number; unpriced: number; original_cost_usd: number; routed_cost_usd: number; saved_usd: number };
    expect(j).toMatchObject({ requests: 2, unpriced: 0, original_cost_usd: 0.007075, routed_cost_usd: 0.00056, saved_usd: 0.006515 });
  });
});

describe('llmfin route simulate lists tiers in the policy\'s order', () => {
  it('the total\'s and each agent\'s tier shares read cheapest first, as the title does, whichever tier came first', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const row = (i: number, features: Record<string, number>) =>
      JSON.stringify({
        id: `order-${i}`, source: 'proxy', ts: `2026-11-16T10:00:0${i}Z`, granularity: 'request', provenance: 'metered',
        provider: 'openai', model: 'gpt-4o', model_requested: 'gpt-4o', requests: 1, input_tokens: 1000, output_tokens: 100,
        cost_status: 'priced', cost_usd: '0.0035', agent: 'coder', request_id: `req-order-${i}`,
        raw_usage: JSON.stringify({ usage: { prompt_tokens: 1000, completion_tokens: 100 }, endpoint: '/v1/chat/completions', routing: {
          v: 1, mode: 'shadow', dialect: 'openai', from: 'gpt-4o', tier: null, model: 'gpt-4o', served_tier: 'large', score: 0, features } }),
      });
    // The first request is hard (large), the second has no evidence (small, the policy's default tier).
    const hard = { tokens: 3000, context_tokens: 3000, code: 1, constraints: 4, steps: 4, output_size: 2, turns: 1 };
    writeFileSync(join(dir, 'rows.jsonl'), `${row(1, hard)}\n${row(2, { tokens: 5, context_tokens: 5, turns: 1 })}\n`);
    expect((await runCli(['import', join(dir, 'rows.jsonl'), '--db', db], { cwd: dir })).code).toBe(0);
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', POLICY, '--db', db, '--no-priors'];
    const j = await runJson<{ tiers: Record<string, number>; rows: Array<{ tiers: Record<string, number> }> }>(args, { cwd: dir });
    expect(Object.keys(j.tiers)).toEqual(['small', 'large']);
    expect(Object.keys(j.rows[0]!.tiers)).toEqual(['small', 'large']);
    const table = await runCli(args, { cwd: dir });
    expect(table.stdout).toContain('per tier: small 50.0% · large 50.0%');
    expect(table.stdout.split('\n').find((l) => l.startsWith('total'))).toMatch(/small 50\.0% · large 50\.0%$/);
  });
});

describe('llmfin route simulate leaves out what routing never decides, and says so', () => {
  it('embeddings (the proxy\'s, and an imported embedding model\'s) and rows summing a day are not replayed', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const base = { source: 'proxy', granularity: 'request', provenance: 'metered', provider: 'openai', requests: 1, cost_status: 'priced', agent: 'support' };
    const extra = [
      // The proxy's embeddings request: 1000 input tokens of text-embedding-3-small at 0.02 USD/1M = 0.00002.
      { ...base, id: 'emb-1', ts: '2026-11-15T10:00:03Z', model: 'text-embedding-3-small', model_requested: 'text-embedding-3-small', input_tokens: 1000, output_tokens: 0, cost_usd: '0.00002', request_id: 'req-emb-1', raw_usage: JSON.stringify({ usage: { prompt_tokens: 1000, total_tokens: 1000 }, endpoint: '/v1/embeddings', upstream: 'openai' }) },
      // An embedding model's request from another source (no endpoint recorded).
      { ...base, id: 'emb-2', source: 'llmfin', ts: '2026-11-15T10:00:04Z', model: 'text-embedding-3-large', input_tokens: 1000, output_tokens: 0, cost_usd: '0.00013', request_id: 'req-emb-2' },
      // A day of a feature's traffic summed in one row: 250 requests, none of them replayable.
      { ...base, id: 'day-1', source: 'llmfin', ts: '2026-11-15T00:00:00Z', ts_end: '2026-11-16T00:00:00Z', granularity: 'day', model: 'gpt-4o', requests: 250, input_tokens: 250_000, output_tokens: 25_000, cost_usd: '0.875' },
    ];
    writeFileSync(join(dir, 'extra.jsonl'), extra.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect((await runCli(['import', ROWS, '--db', db], { cwd: dir })).code).toBe(0);
    const imported = await runCli(['import', join(dir, 'extra.jsonl'), '--db', db], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    // allow_upgrade would let a model in no tier be "routed": an embedding model must not be.
    writeFileSync(join(dir, 'upgrade.yaml'), 'default_tier: small\nallow_upgrade: true\ntiers:\n  - name: small\n    models: { openai: [gpt-4o-mini] }\n  - name: large\n    models: { openai: [gpt-4o] }\n');
    const args = ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', 'upgrade.yaml', '--db', db, '--no-priors'];
    const j = await runJson<{ requests: number; original_cost_usd: number; saved_usd: number; changed: number; not_routed_left_out: number; aggregated_left_out: number; tiers: Record<string, number> }>(args, { cwd: dir });
    // Only the two chat requests of proxy-rows-2026-11.jsonl, as without the extra rows: support → small (saved 0.00329), coder → large.
    expect(j.requests).toBe(2);
    expect(j.changed).toBe(1);
    expect(j.original_cost_usd).toBeCloseTo(0.0135, 12);
    expect(j.saved_usd).toBeCloseTo(0.00329, 12);
    expect(j.tiers).toEqual({ small: 0.5, large: 0.5 });
    expect(j.not_routed_left_out).toBe(2);
    expect(j.aggregated_left_out).toBe(250);
    const table = await runCli(args, { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(': 2 requests,');
    expect(table.stderr).toContain('2 embeddings or moderation request(s) are left out: routing decides chat and message requests only');
    expect(table.stderr).toContain('warning: 250 request(s) in metered rows that sum an hour, a day or a month are not in this replay');
  });
});

describe('llmfin route simulate never replays a request into another dialect', () => {
  it('an imported Claude request on Vertex (no routing record) goes to the Anthropic pool, not to an OpenAI model', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const row = { id: 'vx-1', source: 'llmfin', ts: '2026-11-15T10:00:01Z', granularity: 'request', provenance: 'metered', provider: 'vertex', model: 'claude-sonnet-4-5', requests: 1, input_tokens: 100, output_tokens: 10, agent: 'writer' };
    writeFileSync(join(dir, 'rows.jsonl'), `${JSON.stringify(row)}\n`);
    expect((await runCli(['import', join(dir, 'rows.jsonl'), '--db', db], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'both.yaml'), 'default_tier: small\ntiers:\n  - name: small\n    models: { openai: [gpt-4o-mini], anthropic: [claude-haiku-4-5] }\n  - name: large\n    models: { openai: [gpt-4o], anthropic: [claude-sonnet-4-5] }\n');
    const j = await runJson<{ requests: number; changed: number; original_cost_usd: number; routed_cost_usd: number; tiers: Record<string, number> }>(
      ['route', 'simulate', '--since', '2026-11-01', '--until', '2026-12-01', '--policy', 'both.yaml', '--db', db, '--no-priors'], { cwd: dir },
    );
    // On Vertex, claude-sonnet-4-5: 100 x 3e-6 + 10 x 15e-6 = 0.00045. No evidence → small, in the Anthropic pool:
    // claude-haiku-4-5, 100 x 1e-6 + 10 x 5e-6 = 0.00015 (gpt-4o-mini's 0.000021 would cross dialects).
    expect(j).toMatchObject({ requests: 1, changed: 1, tiers: { small: 1 } });
    expect(j.original_cost_usd).toBeCloseTo(0.00045, 12);
    expect(j.routed_cost_usd).toBeCloseTo(0.00015, 12);
  });
});

describe('a model listed in two tiers', () => {
  it('warns at load in route explain and route simulate, naming the model and the tiers, and still runs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dup.yaml'), 'tiers:\n  - name: small\n    models: { openai: [gpt-4o-mini] }\n  - name: large\n    models: { openai: [gpt-4o, gpt-4o-mini] }\n');
    const warning = 'warning: routing: gpt-4o-mini is listed in tiers small, large for openai-dialect clients: a request for it is taken as tier small';
    const explain = await runCli(['route', 'explain', 'hi', '--policy', 'dup.yaml', '--no-priors'], { cwd: dir });
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stderr).toContain(warning);
    const db = join(dir, 'l.db');
    expect((await runCli(['init', '--db', db], { cwd: dir })).code).toBe(0);
    const simulate = await runCli(['route', 'simulate', '--policy', 'dup.yaml', '--db', db], { cwd: dir });
    expect(simulate.code, simulate.stderr).toBe(0);
    expect(simulate.stderr).toContain(warning);
  });
});
