// An estimate made only of rows without a price (a Usage API export without group_by=model,
// a model the catalogue lacks) is not $0: reconcile says how many rows it could not price.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

// 2025-10-01 and 2025-10-02 (UTC), one bucket each.
const bucket = (start: number, results: string) => `{"object":"bucket","start_time":${start},"end_time":${start + 86_400},"results":[${results}]}`;
const noModel = '{"object":"organization.usage.completions.result","input_tokens":1000,"output_tokens":500,"input_cached_tokens":0,"num_model_requests":5,"model":null}';
const known = '{"object":"organization.usage.completions.result","input_tokens":1000,"output_tokens":500,"input_cached_tokens":0,"num_model_requests":5,"model":"gpt-4o-2024-08-06"}';
const PAGE = `{"object":"page","data":[${bucket(1759276800, noModel)},${bucket(1759363200, `${noModel},${known}`)}],"has_more":false,"next_page":null}\n`;

interface Row { month: string; estimate_usd: number | null; estimate_unpriced_rows: number }

describe('llmfin reconcile: rows without a price in the estimate', () => {
  it('counts them beside the estimate, in JSON and in the text, instead of a bare $0', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'usage.json'), PAGE);
    const imported = await runCli(['import', 'usage.json', '--db', 'l.db'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    const json = await runJson<{ rows: Row[] }>(['reconcile', '--db', 'l.db'], { cwd });
    // gpt-4o-2024-08-06: 1,000 × $2.50/M + 500 × $10/M = $0.0075; the two rows without a model are not priced.
    expect(json.rows).toEqual([expect.objectContaining({ month: '2025-10', estimate_usd: 0.0075, estimate_unpriced_rows: 2 })]);
    const text = await runCli(['reconcile', '--db', 'l.db'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('llmfin estimate (provider_usage)  $0.0075 + 2 rows without a price (cost unknown, not $0)');
  });

  it('says nothing more when every row is priced', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'usage.json'), `{"object":"page","data":[${bucket(1759276800, known)}],"has_more":false,"next_page":null}\n`);
    expect((await runCli(['import', 'usage.json', '--db', 'l.db'], { cwd })).code).toBe(0);
    const json = await runJson<{ rows: Row[] }>(['reconcile', '--db', 'l.db'], { cwd });
    expect(json.rows).toEqual([expect.objectContaining({ estimate_usd: 0.0075, estimate_unpriced_rows: 0 })]);
    const text = await runCli(['reconcile', '--db', 'l.db'], { cwd });
    expect(text.stdout).toContain('llmfin estimate (provider_usage)  $0.0075\n');
  });
});
