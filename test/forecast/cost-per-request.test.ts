// The forecast's cost and tokens per request count only the rows that count their
// requests, as reports do (report-metrics.ts): a day's aggregate of another provider that
// counts none (an Anthropic usage export) must not be divided by the proxy's requests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('forecast: cost per request', () => {
  it('divides the cost of the rows that count requests by those requests', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    const lines: string[] = [];
    for (let d = 1; d <= 28; d++) {
      const day = `2026-10-${String(d).padStart(2, '0')}`;
      // Proxy rows: 10 requests of 1,000 in / 100 out on gpt-4o = 10 × 0.0035 = $0.035 a day.
      lines.push(JSON.stringify({ id: `p${d}`, ts: `${day}T12:00:00Z`, provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 10_000, output_tokens: 1_000, team: 'x' }));
      // A day's aggregate that counts no requests: 1M input on claude-haiku-4-5 = $1.00 a day.
      lines.push(JSON.stringify({ id: `a${d}`, ts: `${day}T00:00:00Z`, granularity: 'day', provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 1_000_000, output_tokens: 0, team: 'x' }));
    }
    writeFileSync(join(dir, 'rows.jsonl'), `${lines.join('\n')}\n`);
    expect((await runCli(['import', '--db', db, join(dir, 'rows.jsonl')])).code).toBe(0);
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-29', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows as Array<Record<string, unknown>>;
    // 28 days × $1.035 = $28.98 spent; per request only the proxy's $0.035 over its 10 (not $1.035 / 10),
    // and its 1,100 tokens a request (not 101,100).
    expect(row).toMatchObject({ team: 'x', last_28d_cost_usd: 28.98, requests_per_day: 10, cost_per_request_usd: 0.0035, tokens_per_request: 1100 });
  });
});
