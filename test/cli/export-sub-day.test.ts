/**
 * A FOCUS export decides each provider-month's layer over the whole month, also for a
 * window that starts or ends within a day: exports that split a billed month write its
 * spend once, from the bill, never the bill in one file and the proxy's rows in the next.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

// The proxy's request at 09:00 on Oct 1: gpt-4o, 1M in / 100K out = $2.50 + $1.00 = $3.50.
const METERED = '{"id":"m1","ts":"2026-10-01T09:00:00Z","provider":"openai","model":"gpt-4o","requests":100,"input_tokens":1000000,"output_tokens":100000,"team":"search"}\n';
// The Costs API's bill for Oct 1 (a day bucket from 00:00): $2.50 + $1.00.
const COSTS = JSON.stringify({
  object: 'page',
  data: [
    {
      object: 'bucket',
      start_time: 1790812800,
      end_time: 1790899200,
      results: [
        { object: 'organization.costs.result', amount: { value: 2.5, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'proj_a', api_key_id: null },
        { object: 'organization.costs.result', amount: { value: 1.0, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, output', project_id: 'proj_a', api_key_id: null },
      ],
    },
  ],
  has_more: false,
  next_page: null,
});

describe('llmfin export --format focus over windows within a day', () => {
  const cwd = tempDir();
  const db = join(cwd, 'ledger.db');
  beforeAll(async () => {
    writeFileSync(join(cwd, 'proxy.jsonl'), METERED);
    writeFileSync(join(cwd, 'costs.json'), COSTS);
    const r = await runCli(['import', 'proxy.jsonl', 'costs.json', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
  });

  const focus = async (since: string, until: string) => {
    const r = await runCli(['export', '--format', 'focus', '--since', since, '--until', until, '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
    return { rows: rows.map((x) => [x.x_llmfin_provenance, x.BilledCost]), stderr: r.stderr };
  };

  it('writes the bill in the part that holds its day and leaves the proxy row out of the other, so the parts add up to $3.50', async () => {
    const morning = await focus('2026-10-01T00:00:00Z', '2026-10-01T08:00:00Z');
    expect(morning.rows).toEqual([
      ['billed', '2.5'],
      ['billed', '1'],
    ]);
    // 08:00 to midnight holds only the proxy's row of a month whose money is the bill.
    const rest = await focus('2026-10-01T08:00:00Z', '2026-10-02T00:00:00Z');
    expect(rest.rows).toEqual([]);
    expect(rest.stderr).toContain('left out the usage rows of a less authoritative layer in openai 2026-10 (1 metered row)');
    // The whole day, for comparison: the same bill, once.
    expect((await focus('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z')).rows).toEqual(morning.rows);
  });
});
