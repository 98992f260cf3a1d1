// History is re-priced at today's prices row by row; rows alike in provider, model, day,
// input and output but not in their cache reads have different ratios when the cache rate
// changed by another factor than the input rate (deepseek-chat on 2025-09-29: input
// $0.56 → $0.28 per 1M, ×0.5; cache reads $0.07 → $0.028, ×0.4).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('forecast re-pricing rows that differ only in cache reads', () => {
  const dir = tempDir();
  const db = join(dir, 'ledger.db');
  beforeAll(async () => {
    // 2025-09-26 to 09-28: feature a 1M uncached input tokens a day ($0.56); feature b 1M
    // input tokens a day, every one a cache read ($0.07).
    const lines: string[] = [];
    for (const day of ['26', '27', '28']) {
      const ts = `2025-09-${day}T00:00:00.000Z`;
      const base = { ts, granularity: 'day', provenance: 'metered', provider: 'deepseek', model: 'deepseek-chat', requests: 10, input_tokens: 1_000_000, output_tokens: 0 };
      lines.push(JSON.stringify({ ...base, id: `a-${day}`, feature: 'a' }));
      lines.push(JSON.stringify({ ...base, id: `b-${day}`, feature: 'b', cache_read_tokens: 1_000_000 }));
    }
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('gives each its own ratio: a at $0.28 a day, b at $0.028', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'feature', '--since', '2025-09-01', '--horizon', '30d', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: Array<{ feature: string; method: string; p50_cost_usd: number }>; total: { history: number[] } };
    // Three days: the run rate at today's prices, × 30 days. Sharing a's ratio, b read $0.035 a day ($1.05).
    expect(j.rows.map((x) => [x.feature, x.method, x.p50_cost_usd])).toEqual([
      ['a', 'run-rate', 8.4],
      ['b', 'run-rate', 0.84],
    ]);
    // $0.28 + $0.028 a day.
    expect(j.total.history).toEqual([0.308, 0.308, 0.308]);
  });
});
