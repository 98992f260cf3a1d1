/**
 * `llmfin route score`: bulk scoring for evaluation. JSONL in (stdin or --input), one
 * request per line — `{"prompt": "…"}` or `{"messages": [...]}` plus optional agent,
 * feature, model, dialect — and JSONL out, `{"score", "tier", "model"}` per line in order.
 * A line that is not such an object stops with exit 2 naming the line; null for an optional
 * field is taken as not given.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { CliContext } from '../cli-context.js';
import { InputError, UsageError } from '../../shared/errors.js';
import { countNoun } from '../../shared/count-noun.js';
import { extractRouteText } from '../../routing/extract-route-text.js';
import type { ScoreOptions } from './route.js';
import { routerFor } from './route-policy.js';
import { dialectMismatch, topModel } from './route-explain.js';

type Dialect = 'openai' | 'anthropic';

const READ_ERRORS: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'a folder, not a file', EACCES: 'permission denied' };

/** The --input file, opened before anything else so that a bad path is exit 2 naming it, not a stream error later. */
async function openInput(cwd: string, file: string): Promise<Readable> {
  const fail = (code: string | undefined): never => {
    throw new InputError(file, undefined, `cannot read the --input file (${code === undefined ? 'unknown error' : `${code}: ${READ_ERRORS[code] ?? 'cannot open it'}`})`, {
      hint: 'give a JSONL file of {"prompt": "…"} lines, or pipe them on stdin',
    });
  };
  const handle = await open(resolve(cwd, file)).catch((error: NodeJS.ErrnoException) => fail(error.code));
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    fail('EISDIR');
  }
  return handle.createReadStream();
}

/**
 * The input's lines (CRLF or LF), each decoded as UTF-8 on its own so that bytes of another
 * encoding stop the command naming their line, rather than being scored as replacement
 * characters. A newline byte never occurs inside a UTF-8 sequence, so splitting first is safe.
 */
async function* utf8Lines(stream: AsyncIterable<unknown>, name: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let n = 0;
  const decode = (bytes: Buffer): string => {
    n++;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    try {
      return decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new InputError(name, n, 'not UTF-8 text', { hint: 'convert the file first, e.g. iconv -f latin1 -t utf-8 prompts.jsonl | llmfin route score' });
    }
  };
  // A line longer than a chunk is kept in pieces and joined once, at its end.
  let pending: Buffer[] = [];
  for await (const chunk of stream) {
    let bytes = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a)) {
      const head = bytes.subarray(0, nl);
      yield decode(pending.length > 0 ? Buffer.concat([...pending, head]) : head);
      pending = [];
      bytes = bytes.subarray(nl + 1);
    }
    if (bytes.length > 0) pending.push(bytes);
  }
  if (pending.length > 0) yield decode(Buffer.concat(pending));
}

export async function routeScoreCommand(ctx: CliContext, opts: ScoreOptions): Promise<void> {
  const name = opts.input ?? '<stdin>';
  // Its output is JSONL whatever --format says: a CSV or Markdown asked for would come out
  // as JSON lines without a word, so it is refused (json and the default table are JSONL).
  const format = ctx.globals.format;
  if (format === 'csv' || format === 'markdown') {
    throw new UsageError(`--format ${format}: route score writes JSONL, one {"score","tier","model"} a line`, { option: '--format', hint: 'drop --format; for a table of one prompt, llmfin route explain "PROMPT"' });
  }
  // A terminal on stdin means nothing was piped: waiting for typed JSONL would look like a hang, as route explain - says too.
  if (!opts.input && (!ctx.io.stdin || (ctx.io.stdin as { isTTY?: boolean }).isTTY)) {
    throw new UsageError('route score: expected JSONL on stdin or --input FILE', { option: '--input', hint: 'llmfin route score < prompts.jsonl, or --input prompts.jsonl' });
  }
  const { router, upstreams } = await routerFor(ctx, opts);
  const pricer = await ctx.pricer();
  // A model of the other dialect (claude-… without --dialect anthropic) is said once per model, as explain says it.
  const warned = new Set<string>();
  const file = opts.input ? await openInput(ctx.io.cwd, opts.input) : undefined;
  const stream = file ?? ctx.io.stdin!;
  const fallback = new Map<Dialect, string>();
  let n = 0;
  let scored = 0;
  try {
    for await (const line of utf8Lines(stream, name)) {
      n++;
      // A byte order mark (Windows editors write one) is not part of the first line's JSON.
      const text = n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new InputError(name, n, `not valid JSON (${(error as Error).message})`, { hint: 'one JSON object per line: {"prompt": "…"} or {"messages": [...]}' });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(name, n, 'expected a JSON object with "prompt" or "messages"');
      const o = value as Record<string, unknown>;
      // null is "not given", as data frames and most exporters write a missing value.
      for (const key of ['dialect', 'agent', 'feature', 'model'] as const) if (o[key] === null) delete o[key];
      const dialect = o.dialect === undefined ? opts.dialect : o.dialect;
      if (dialect !== 'openai' && dialect !== 'anthropic') throw new InputError(name, n, `"dialect": expected openai or anthropic, got ${JSON.stringify(dialect)}`);
      for (const key of ['agent', 'feature', 'model'] as const) {
        if (o[key] !== undefined && typeof o[key] !== 'string') throw new InputError(name, n, `"${key}": expected a string, got ${JSON.stringify(o[key])}`);
      }
      if (o.model === '') throw new InputError(name, n, '"model": expected the model the request asks for, got an empty string (leave it out for the top tier\'s)');
      let routeText;
      // An empty request is a slip in the data (route explain refuses one too), not a prompt to score as "hi".
      // Blank counts as empty, as route explain's own check trims the prompt.
      const blank = typeof o.prompt === 'string' && o.prompt.trim() === '';
      if (blank || (Array.isArray(o.messages) && o.messages.length === 0)) {
        const got = o.prompt === '' ? 'an empty string' : `only whitespace (${JSON.stringify(o.prompt)})`;
        throw new InputError(name, n, blank ? `"prompt": expected the prompt text, got ${got}` : '"messages": expected at least one message, got []');
      }
      if (typeof o.prompt === 'string') routeText = extractRouteText({ prompt: o.prompt }, dialect);
      else if (Array.isArray(o.messages)) {
        const bad = o.messages.findIndex((m) => typeof m !== 'object' || m === null || Array.isArray(m));
        if (bad >= 0) throw new InputError(name, n, `"messages"[${bad}]: expected a message object ({"role": …, "content": …}), got ${JSON.stringify(o.messages[bad])}`);
        // Messages none of which has a "content" (a misspelt key) are as empty as "messages": [].
        if (!o.messages.some((m: Record<string, unknown>) => typeof m.content === 'string' || Array.isArray(m.content))) {
          throw new InputError(name, n, '"messages": expected a message with "content" (text or a list of parts), got none');
        }
        routeText = extractRouteText({ messages: o.messages, system: o.system }, dialect);
      } else throw new InputError(name, n, 'expected "prompt" (a string) or "messages" (an array)');
      let model = o.model as string | undefined;
      if (model !== undefined && !warned.has(`${dialect}\u0000${model}`)) {
        warned.add(`${dialect}\u0000${model}`);
        const mismatch = dialectMismatch(pricer, router, upstreams, model, dialect);
        if (mismatch !== undefined) ctx.warn(`${name}:${n}: ${mismatch} (or "dialect" on the line)`);
      }
      if (model === undefined) {
        model = fallback.get(dialect) ?? topModel(router, dialect);
        fallback.set(dialect, model);
      }
      const d = router.decide({ dialect, model, ...routeText, agent: o.agent as string | undefined, feature: o.feature as string | undefined });
      ctx.io.stdout.write(`${JSON.stringify({ score: d.score, tier: d.tier, model: d.model })}\n`);
      scored++;
    }
  } finally {
    // A file stopped at a bad line is closed now; stdin is left to its owner.
    file?.destroy();
  }
  // Empty in is empty out (a pipeline whose filter matched nothing), but said, so that no output is not taken for a failure.
  if (scored === 0) ctx.warn(`${name}: no requests to score (${n === 0 ? 'the input is empty' : `only ${countNoun(n, 'blank line')}`})`);
}
