// `llmfin budget status` at the edges of its states: green below the soft limit, amber from
// it, red at or past the limit. One billed day (2026-11-02) per team, each against $100.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { softLimitTicks } from '../../src/budgets/budget-status.js';
import { runCli, tempDir } from '../helpers/cli.js';

const SPENT: Record<string, number> = { t7999: 79.99, t79999: 79.999, t80: 80, t99999: 99.999, t100: 100 };

describe('llmfin budget status at the soft and hard limits', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const rows = Object.entries(SPENT).map(([team, cost]) =>
      JSON.stringify({ id: team, ts: '2026-11-02T10:00:00Z', provider: 'openai', model: 'gpt-4.1-mini', provenance: 'billed', cost_usd: cost, team, granularity: 'day' }),
    );
    writeFileSync(join(dir, 'bills.jsonl'), `${rows.join('\n')}\n`);
    const r = await runCli(['import', '--db', join(dir, 'l.db'), join(dir, 'bills.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      `ledger: { path: l.db }
budgets:
${Object.keys(SPENT)
  .map((team) => `  - { name: ${team}, scope: { team: ${team} }, limit_usd: 100 }`)
  .join('\n')}
  - { name: soft, scope: { team: t79999 }, limit_usd: 100, soft_limit_percent: 79.995 }
`,
    );
  });

  it('never shows a budget short of a limit as at it', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-11-03T00:00:00Z'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const used = Object.fromEntries(
      r.stdout
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((line) => {
          const cells = line.split(/\s+/);
          return [cells[0], cells.slice(6, 8).join(' ')];
        }),
    );
    // 79.99 and 79.999 of 100 are under 80%: green, and not "80.0%" beside it; 99.999 is
    // amber, and not "100.0%"; 80 and 100 exactly reach the soft limit and the limit.
    expect(used).toMatchObject({
      t7999: '79.9% green',
      t79999: '79.9% green',
      t80: '80.0% amber',
      t99999: '99.9% amber',
      t100: '100.0% red',
    });
  });

  it('judges the state on the exact spend, not on the percentage cut to two decimals', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-11-03T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Record<string, unknown>[];
    const of = (name: string) => rows.find((s) => s.name === name)!;
    // 79.999% is past a soft limit of 79.995% (the JSON's percent, 79.99, is cut to two decimals).
    expect([of('soft').percent, of('soft').state]).toEqual([79.99, 'amber']);
    expect([of('t79999').percent, of('t79999').state]).toEqual([79.99, 'green']);
    expect([of('t80').state, of('t99999').state, of('t100').state, of('t100').breached]).toEqual(['amber', 'amber', 'red', true]);
  });

  it('puts the soft limit the proxy alerts at on the same tick as the status', () => {
    // $100 = 1,000,000,000,000 ticks; 79.995% of it is 799,950,000,000 (hundredths of a
    // percent made it 80%); a third of a percent of $0.000001 (10,000 ticks) is 33.33 ticks: 34.
    expect(softLimitTicks(1_000_000_000_000n, 79.995)).toBe(799_950_000_000n);
    expect(softLimitTicks(1_000_000_000_000n, 80)).toBe(800_000_000_000n);
    expect(softLimitTicks(10_000n, 0.3333)).toBe(34n);
  });
});
