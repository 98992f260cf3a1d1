/**
 * `llmfin route score`: bulk scoring for evaluation. JSONL in (stdin or --input), one
 * request per line — `{"prompt": "…"}` or `{"messages": [...]}` plus optional agent,
 * feature, model, dialect — and JSONL out, `{"score", "tier", "model"}` per line in order.
 * A line that is not such an object stops with exit 2 naming the line.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { CliContext } from '../cli-context.js';
import { InputError, UsageError } from '../../shared/errors.js';
import { extractRouteText } from '../../routing/extract-route-text.js';
import type { ScoreOptions } from './route.js';
import { routerFor } from './route-policy.js';
import { topModel } from './route-explain.js';

type Dialect = 'openai' | 'anthropic';

export async function routeScoreCommand(ctx: CliContext, opts: ScoreOptions): Promise<void> {
  const name = opts.input ?? '<stdin>';
  const stream = opts.input ? createReadStream(resolve(ctx.io.cwd, opts.input)) : ctx.io.stdin;
  if (!stream) throw new UsageError('route score: expected JSONL on stdin or --input FILE', { option: '--input' });
  const { router } = await routerFor(ctx, opts);
  const fallback = new Map<Dialect, string>();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new InputError(name, n, `not valid JSON (${(error as Error).message})`, { hint: 'one JSON object per line: {"prompt": "…"} or {"messages": [...]}' });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(name, n, 'expected a JSON object with "prompt" or "messages"');
      const o = value as Record<string, unknown>;
      const dialect = o.dialect === undefined ? opts.dialect : o.dialect;
      if (dialect !== 'openai' && dialect !== 'anthropic') throw new InputError(name, n, `"dialect": expected openai or anthropic, got ${JSON.stringify(dialect)}`);
      for (const key of ['agent', 'feature', 'model'] as const) {
        if (o[key] !== undefined && typeof o[key] !== 'string') throw new InputError(name, n, `"${key}": expected a string, got ${JSON.stringify(o[key])}`);
      }
      let text;
      if (typeof o.prompt === 'string') text = extractRouteText({ prompt: o.prompt }, dialect);
      else if (Array.isArray(o.messages)) text = extractRouteText({ messages: o.messages, system: o.system }, dialect);
      else throw new InputError(name, n, 'expected "prompt" (a string) or "messages" (an array)');
      let model = o.model as string | undefined;
      if (model === undefined) {
        model = fallback.get(dialect) ?? topModel(router, dialect);
        fallback.set(dialect, model);
      }
      const d = router.decide({ dialect, model, ...text, agent: o.agent as string | undefined, feature: o.feature as string | undefined });
      ctx.io.stdout.write(`${JSON.stringify({ score: d.score, tier: d.tier, model: d.model })}\n`);
    }
  } finally {
    lines.close();
  }
}
