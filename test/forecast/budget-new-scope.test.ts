// A budget whose scope began spending inside its period (a feature launched on the 3rd):
// its run rate counts the time since that day, not the days before the feature existed,
// which read its $2.40 a day as $1.03 and left a month heading past its limit green.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const HOUR_MS = 3_600_000;
const cwd = tempDir();
const db = join(cwd, 'ledger.db');

beforeAll(async () => {
  // gpt-4.1 at $2 per 1M input: 50,000 tokens an hour is $0.10 an hour, $2.40 a day.
  // Feature old every hour from Oct 1; feature new every hour from Dec 3; both to Dec 4 12:00.
  const lines: string[] = [];
  const row = (id: string, t: number, feature: string) =>
    JSON.stringify({ id, ts: new Date(t).toISOString(), provider: 'openai', model: 'gpt-4.1', input_tokens: 50_000, output_tokens: 0, feature });
  for (let t = Date.parse('2026-10-01T00:00:00Z'), i = 0; t < Date.parse('2026-12-04T12:00:00Z'); t += HOUR_MS, i++) {
    lines.push(row(`o${i}`, t, 'old'));
    if (t >= Date.parse('2026-12-03T00:00:00Z')) lines.push(row(`n${i}`, t, 'new'));
  }
  writeFileSync(join(cwd, 'rows.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(cwd, 'llmfin.yaml'),
    ['budgets:', ...['new', 'old'].flatMap((f) => [`  - name: ${f}-monthly`, `    scope: { feature: ${f} }`, '    period: monthly', '    limit_usd: 60'])].join('\n') + '\n',
  );
  expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd })).code).toBe(0);
});

describe('budget status of a scope that began inside its period', () => {
  it('projects from the day it began: $3.60 in 1.5 days, then $2.40 a day for 27.5 days = $69.60, past $60 on Dec 28', async () => {
    const r = await runCli(['budget', 'status', '--db', db, '--at', '2026-12-04T12:00:00Z', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Array<Record<string, unknown>>;
    const fresh = rows.find((b) => b.name === 'new-monthly')!;
    expect(fresh).toMatchObject({ spent_usd: 3.6, projection_method: 'run-rate', projected_p50_usd: 69.6 });
    // $56.40 left at $2.40 a day: 23.5 days after Dec 4 12:00 is Dec 28 00:00.
    expect(fresh.breach_at).toBe('2026-12-28T00:00:00.000Z');
    // A scope spending since before the period keeps the period's start: $8.40 over 3.5 days, 27.5 days more = $74.40.
    expect(rows.find((b) => b.name === 'old-monthly')).toMatchObject({ spent_usd: 8.4, projected_p50_usd: 74.4 });
  });
});
