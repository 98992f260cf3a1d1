// One project's (or workspace's) usage export beside another's is different usage: each
// row names the group its usage belongs to, and the two files share none. The overlap
// guard (ledger/queries/overlapping-batches.ts) must not warn about them, while an
// export that names no group (ungrouped) beside a grouped one still may be the same usage.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

// OpenAI Usage API, completions, 2026-10-01 (UTC), one project each; gpt-4o at $2.50 / $10 per 1M.
const openai = (project: string | null, input: number, output: number) =>
  `{"object":"page","data":[{"object":"bucket","start_time":1790812800,"end_time":1790899200,"results":[{"object":"organization.usage.completions.result","input_cached_tokens":0,"num_model_requests":10,"model":"gpt-4o","project_id":${JSON.stringify(project)},"input_tokens":${input},"output_tokens":${output}}]}],"has_more":false,"next_page":null}\n`;

// Anthropic usage report, 2026-10-01, one workspace each; claude-sonnet-4-5 at $3 / $15 per 1M.
const anthropic = (workspace: string, input: number, output: number) =>
  `{"data":[{"starting_at":"2026-10-01T00:00:00Z","ending_at":"2026-10-02T00:00:00Z","results":[{"uncached_input_tokens":${input},"output_tokens":${output},"workspace_id":"${workspace}","cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"server_tool_use":null,"model":"claude-sonnet-4-5-20250929","service_tier":"standard","context_window":"0-200k"}]}],"has_more":false,"next_page":null}\n`;

async function importAll(cwd: string, files: Record<string, string>): Promise<string[]> {
  const stderr: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(cwd, name), text);
    const r = await runCli(['import', name, '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    stderr.push(r.stderr);
  }
  return stderr;
}

const total = async (cwd: string) => (await runJson<{ total: { cost_usd: number } }>(['report', '--db', 'l.db'], { cwd })).total.cost_usd;

describe('llmfin import: exports of different projects or workspaces', () => {
  it('imports one OpenAI project after another without a warning: $0.40 + $0.40', async () => {
    const cwd = tempDir();
    // proj_a: 120,000 × $2.50/M + 10,000 × $10/M = $0.40; proj_b: 80,000 × $2.50/M + 20,000 × $10/M = $0.40.
    const stderr = await importAll(cwd, { 'proj-a.json': openai('proj_a', 120_000, 10_000), 'proj-b.json': openai('proj_b', 80_000, 20_000) });
    expect(stderr).toEqual(['', '']);
    expect(await total(cwd)).toBe(0.8);
  });

  it('imports one Anthropic workspace after another without a warning: $0.255 + $0.345', async () => {
    const cwd = tempDir();
    // wrkspc_a: 60,000 × $3/M + 5,000 × $15/M = $0.255; wrkspc_b: 40,000 × $3/M + 15,000 × $15/M = $0.345.
    const stderr = await importAll(cwd, { 'ws-a.json': anthropic('wrkspc_a', 60_000, 5_000), 'ws-b.json': anthropic('wrkspc_b', 40_000, 15_000) });
    expect(stderr).toEqual(['', '']);
    expect(await total(cwd)).toBe(0.6);
  });

  it('still warns about a project export beside an export that names no project, which may hold it', async () => {
    const cwd = tempDir();
    const stderr = await importAll(cwd, { 'all.json': openai(null, 200_000, 30_000), 'proj-a.json': openai('proj_a', 120_000, 10_000) });
    expect(stderr[1]).toContain('warning: proj-a.json (openai-usage) covers 2026-10-01, where batch 1 (all.json) holds openai-usage rows it did not replace');
    // $0.80 + $0.40, both imported as the warning says.
    expect(await total(cwd)).toBe(1.2);
  });
});
