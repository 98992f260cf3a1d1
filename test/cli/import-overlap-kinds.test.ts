// The OpenAI Usage API has one endpoint per kind of usage (completions, embeddings,
// images, web search calls, code interpreter sessions…), so a month's usage is several
// files over the same days. Those are different usage, never the same usage grouped
// otherwise: the overlap guard (ledger/queries/overlapping-batches.ts) must neither refuse
// nor warn about them, even where two kinds without a model both total $0 unpriced.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

// 2025-10-01 00:00 UTC to 2025-10-02 00:00 UTC.
const BUCKET = '"start_time":1759276800,"end_time":1759363200';
const page = (result: string) => `{"object":"page","data":[{"object":"bucket",${BUCKET},"results":[${result}]}],"has_more":false,"next_page":null}\n`;

const FILES: Record<string, string> = {
  'completions.json': page('{"object":"organization.usage.completions.result","input_tokens":1000,"output_tokens":500,"input_cached_tokens":0,"num_model_requests":5,"project_id":null,"user_id":null,"api_key_id":null,"model":"gpt-4o-2024-08-06","batch":false}'),
  'embeddings.json': page('{"object":"organization.usage.embeddings.result","input_tokens":20000,"num_model_requests":10,"project_id":null,"user_id":null,"api_key_id":null,"model":"text-embedding-3-small"}'),
  'images.json': page('{"object":"organization.usage.images.result","images":2,"num_model_requests":2,"size":"1024x1024","source":"image.generation","project_id":null,"user_id":null,"api_key_id":null,"model":"dall-e-3"}'),
  'web-search.json': page('{"object":"organization.usage.web_search_calls.result","num_model_requests":3,"project_id":null,"user_id":null,"api_key_id":null,"model":null}'),
  'code-interpreter.json': page('{"object":"organization.usage.code_interpreter_sessions.result","num_sessions":3,"project_id":null}'),
};

function folder(): string {
  const cwd = tempDir();
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(cwd, name), text);
  return cwd;
}

async function importEach(cwd: string, extra: string[] = []): Promise<string> {
  let stderr = '';
  for (const name of Object.keys(FILES)) {
    const r = await runCli(['import', name, ...extra, '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    stderr += r.stderr;
  }
  return stderr;
}

describe('llmfin import: one day of each Usage API endpoint', () => {
  it('imports every kind, one file at a time, with no overlap warning: five batches, $0.0079', async () => {
    const cwd = folder();
    expect(await importEach(cwd)).toBe('');
    const list = await runJson<{ rows: unknown[] }>(['import', '--list', '--db', 'l.db'], { cwd });
    expect(list.rows).toHaveLength(5);
    // gpt-4o-2024-08-06: 1,000 × $2.50/M + 500 × $10/M = $0.0075; text-embedding-3-small:
    // 20,000 × $0.02/M = $0.0004; images, web search and sessions are priced in the costs export.
    const report = await runJson<{ total: { cost_usd: number; requests: number } }>(['report', '--db', 'l.db'], { cwd });
    expect(report.total.cost_usd).toBe(0.0079);
  });

  it('imports two endpoints without a model whose unpriced rows both total $0 (they were refused as the same usage)', async () => {
    const cwd = folder();
    const first = await runCli(['import', 'web-search.json', '--db', 'l.db'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['import', 'code-interpreter.json', '--db', 'l.db'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    const list = await runJson<{ rows: Array<{ rows_imported: number }> }>(['import', '--list', '--db', 'l.db'], { cwd });
    expect(list.rows.map((r) => r.rows_imported)).toEqual([1, 1]);
  });

  it('keeps the kinds apart under --account too', async () => {
    const cwd = folder();
    expect(await importEach(cwd, ['--account', 'acme-eu'])).toBe('');
    const report = await runJson<{ total: { cost_usd: number } }>(['report', '--db', 'l.db'], { cwd });
    expect(report.total.cost_usd).toBe(0.0079);
  });

  it('still refuses the same endpoint downloaded again under another grouping', async () => {
    const cwd = folder();
    await importEach(cwd);
    writeFileSync(join(cwd, 'completions-by-project.json'), page('{"object":"organization.usage.completions.result","input_tokens":600,"output_tokens":300,"input_cached_tokens":0,"num_model_requests":3,"project_id":"proj_a","user_id":null,"api_key_id":null,"model":"gpt-4o-2024-08-06","batch":false},{"object":"organization.usage.completions.result","input_tokens":400,"output_tokens":200,"input_cached_tokens":0,"num_model_requests":2,"project_id":"proj_b","user_id":null,"api_key_id":null,"model":"gpt-4o-2024-08-06","batch":false}'));
    const r = await runCli(['import', 'completions-by-project.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('batch 1 (completions.json) holds the same usage grouped otherwise on 2025-10-01');
    const report = await runJson<{ total: { cost_usd: number } }>(['report', '--db', 'l.db'], { cwd });
    expect(report.total.cost_usd).toBe(0.0079);
  });
});
