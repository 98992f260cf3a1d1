// A budget's scope in the proxy is the scope `llmfin budget status` reports: attribution
// rules that derive a team from an agent, a project or a tag decide the request's team
// before it is admitted, so a block budget on a rule-derived team refuses its traffic
// instead of letting it through while budget status shows it red.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { Attributor } from '../../src/attribution/attributor.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

const USD = 10_000_000_000n;
const RULES = [
  { name: 'support agents', match: { agent: 'support-*' }, set: { team: 'support' } },
  { name: 'legal workspace', match: { 'tags.cost_center': 'CC-9*' }, set: { team: 'legal' }, override: true },
];

describe('budget scopes in the proxy follow the attribution rules', () => {
  it('seeds the spend of a rule-derived team and refuses its requests past a block limit', async () => {
    const dir = tempDir();
    const now = new Date('2026-11-20T12:00:00Z');
    // $4.00 that day by support-bot (claude-haiku-4-5, 4M input tokens at $1/M): team support by the rule.
    writeFileSync(join(dir, 'rows.jsonl'), `${JSON.stringify({ id: 'a1', ts: '2026-11-20T09:00:00Z', provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 4_000_000, output_tokens: 0, agent: 'support-bot' })}\n`);
    const db = join(dir, 'l.db');
    expect((await runCli(['import', '--db', db, 'rows.jsonl'], { cwd: dir })).code).toBe(0);
    const config = ConfigSchema.parse({
      attribution: { rules: RULES },
      budgets: [{ name: 'support-day', scope: { team: 'support' }, period: 'daily', limit_usd: 1.5, action: 'block' }],
    });
    const ledger = await openLedger(db);
    try {
      const guard = await loadBudgetGuard(ledger, config, { now: () => now });
      expect(guard.snapshot()[0]!.spentTicks).toBe(4n * USD);
      const ask = (dims: Record<string, string>) => guard.admit({ model: 'claude-haiku-4-5', dims: { provider: 'anthropic', model: 'claude-haiku-4-5', upstream: 'anthropic', ...dims }, maxCostTicks: 1n });
      expect(ask({ agent: 'support-bot' })).toMatchObject({ kind: 'reject', budget: 'support-day', message: 'budget "support-day" reached: $4.00 of $1.50 spent (daily, team=support)' });
      // Another agent is not the support team; a header naming the team is, as on its row.
      expect(ask({ agent: 'sales-bot' }).kind).toBe('allow');
      expect(ask({ team: 'support' }).kind).toBe('reject');
    } finally {
      await ledger.close();
    }
  });

  it('a rule with override wins over the team a header names, as it does in reports', () => {
    const budgets = ConfigSchema.parse({
      budgets: [
        { name: 'legal', scope: { team: 'legal' }, limit_usd: 1, action: 'block' },
        { name: 'search', scope: { team: 'search' }, limit_usd: 1, action: 'block' },
      ],
    }).budgets;
    const guard = new BudgetGuard(budgets, { attributor: new Attributor(ConfigSchema.parse({ attribution: { rules: RULES } }).attribution.rules), spent: new Map([['legal', 2n * USD]]) });
    // Header team search, tag cost_center CC-90: legal's by the override rule, so legal's block applies and search's does not count it.
    const asked = guard.admit({ model: 'm', dims: { team: 'search', cost_center: 'CC-90' }, maxCostTicks: 1n });
    expect(asked).toMatchObject({ kind: 'reject', budget: 'legal' });
    const searchOnly = guard.admit({ model: 'm', dims: { team: 'search' }, maxCostTicks: USD / 2n });
    expect(searchOnly.kind).toBe('allow');
    expect(Object.fromEntries(guard.snapshot().map((b) => [b.name, b.reservedTicks]))).toEqual({ legal: 0n, search: USD / 2n });
  });
});
