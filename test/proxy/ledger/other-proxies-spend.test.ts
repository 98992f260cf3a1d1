// Another proxy's row counts in a proxy's budgets as its own request would: a row of
// `gpt-4o-2024-08-06` priced as gpt-4o (`matched_model`) counts in a budget on `gpt-4o` and
// in one on the dated id, as a restarted proxy seeded from the ledger counts it.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../../src/config/config-schema.js';
import { openLedger, type LedgerStore } from '../../../src/ledger/index.js';
import { OtherProxiesSpend } from '../../../src/proxy/ledger/other-proxies-spend.js';
import { tempDir } from '../../helpers/cli.js';
import { insertRows } from '../../tui/helpers/insert-rows.js';

let ledger: LedgerStore | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

describe('other proxies\' spend', () => {
  it('counts a dated snapshot\'s row in the budgets of its model and of its id', async () => {
    const at = new Date('2026-10-20T12:00:00.000Z');
    const { budgets } = ConfigSchema.parse({
      budgets: [
        { name: 'on-4o', scope: { model: 'gpt-4o' }, limit_usd: 100 },
        { name: 'on-snapshot', scope: { model: 'gpt-4o-2024-08-06' }, limit_usd: 100 },
        { name: 'on-mini', scope: { model: 'gpt-4o-mini' }, limit_usd: 100 },
      ],
    });
    const path = join(tempDir(), 'l.db');
    ledger = await openLedger(path);
    const guard = new BudgetGuard(budgets, { now: () => at });
    const others = new OtherProxiesSpend(ledger, guard, 'mine-', 0, (error) => {
      throw error;
    });
    // The other proxy's request: $0.00252 (25,200,000 ticks); one of this proxy's own is skipped.
    insertRows(path, [
      { ts: '2026-10-20T11:00:00.000Z', provider: 'openai', model: 'gpt-4o-2024-08-06', matchedModel: 'gpt-4o', requestId: 'theirs-1', costTicks: 25_200_000n },
      { ts: '2026-10-20T11:00:01.000Z', provider: 'openai', model: 'gpt-4o-2024-08-06', matchedModel: 'gpt-4o', requestId: 'mine-1', costTicks: 25_200_000n },
    ]);
    expect(await others.poll()).toBe(1);
    expect(guard.snapshot().map((s) => [s.name, s.spentTicks])).toEqual([
      ['on-4o', 25_200_000n],
      ['on-snapshot', 25_200_000n],
      ['on-mini', 0n],
    ]);
  });
});
