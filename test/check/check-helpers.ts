// Builds ledgers for check tests: llmfin JSONL rows (what the proxy records) imported
// through the real CLI, so the rows are priced exactly as in production.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

export interface Req {
  /** Default openai. */
  provider?: string;
  feature?: string;
  model?: string;
  input: number;
  output: number;
  cacheRead?: number;
  runId?: string;
  scenario?: string;
  /** Repeat this request n times. */
  n?: number;
}

let seq = 0;

/** JSONL text for the requests, one row per request, all on 2026-10-01. */
export function jsonl(reqs: readonly Req[]): string {
  const lines: string[] = [];
  for (const r of reqs) {
    for (let i = 0; i < (r.n ?? 1); i++) {
      seq++;
      const tags: Record<string, string> = {};
      if (r.runId) tags.run_id = r.runId;
      if (r.scenario) tags.scenario = r.scenario;
      lines.push(
        JSON.stringify({
          id: `req-${seq}`,
          ts: new Date(Date.UTC(2026, 9, 1, 12, 0, seq % 60)).toISOString(),
          provider: r.provider ?? 'openai',
          model: r.model ?? 'gpt-4o',
          input_tokens: r.input,
          cache_read_tokens: r.cacheRead ?? 0,
          output_tokens: r.output,
          ...(r.feature ? { feature: r.feature } : {}),
          ...(Object.keys(tags).length ? { tags } : {}),
        }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface Workspace {
  dir: string;
  db: string;
  /** Imports the requests into the workspace ledger. */
  record(reqs: readonly Req[]): Promise<void>;
  cli(argv: string[], env?: Record<string, string | undefined>): ReturnType<typeof runCli>;
}

export function workspace(): Workspace {
  const dir = tempDir('llmfin-check-');
  const db = join(dir, 'ledger.db');
  let n = 0;
  const ws: Workspace = {
    dir,
    db,
    async record(reqs) {
      const file = join(dir, `run-${++n}.jsonl`);
      writeFileSync(file, jsonl(reqs));
      const r = await runCli(['import', file, '--db', db], { cwd: dir });
      if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
    },
    cli: (argv, env) => runCli([...argv, '--db', db], { cwd: dir, ...(env ? { env } : {}) }),
  };
  return ws;
}
