/** What `check` and `baseline save` share: where the baseline lives and which run is meant. */
import { dirname, resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';

/** --baseline/--out (relative to the working directory) > check.baseline (relative to llmfin.yaml). */
export async function baselinePath(ctx: CliContext, flag: string | undefined): Promise<string> {
  if (flag !== undefined) return resolve(ctx.io.cwd, flag);
  const { config, path } = await ctx.config();
  return resolve(path ? dirname(path) : ctx.io.cwd, config.check.baseline);
}

/** --run > $LLMFIN_RUN_ID (what `llmfin proxy --run-id` also reads); empty means none. */
export function runIdOf(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  const id = flag ?? env.LLMFIN_RUN_ID;
  return id === undefined || id === '' ? undefined : id;
}
