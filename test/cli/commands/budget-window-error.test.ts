// `budget status` has no window: each budget's period is its own day, week or month, judged
// at --at. A window option is refused with the --at the user meant, never judged at now.
import { describe, expect, it } from 'vitest';
import { budgetWindowError } from '../../../src/cli/commands/budget-window-error.js';
import { UsageError } from '../../../src/shared/errors.js';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('budgetWindowError', () => {
  it('turns --until (exclusive) into the last second before it', () => {
    const e = budgetWindowError({ until: '2026-11-01' });
    expect(e).toBeInstanceOf(UsageError);
    expect(e!.message).toBe("--until: budget status judges each budget's own period (its day, week or month) at one moment, not a window: use --at");
    expect(e!.hint).toBe('--at 2026-10-31T23:59:59Z judges the budgets at the last second before --until 2026-11-01');
    expect(budgetWindowError({ until: '2026-10-20T18:00:00.500Z' })!.hint).toBe('--at 2026-10-20T18:00:00Z judges the budgets at the last second before --until 2026-10-20T18:00:00.500Z');
  });

  it('turns --month into the last second of that month, and refuses --since', () => {
    expect(budgetWindowError({ month: '2026-12' })!.hint).toBe('--at 2026-12-31T23:59:59Z judges the budgets at the end of 2026-12 (UTC)');
    expect(budgetWindowError({ month: 'october' })!.hint).toBeUndefined();
    expect(budgetWindowError({ since: '2026-10-01' })!.message).toMatch(/^--since: budget status judges/);
    expect(budgetWindowError({})).toBeUndefined();
  });

  it('refuses a --until that does not parse the same way, without a moment to suggest', () => {
    const e = budgetWindowError({ until: 'yesterday' });
    expect(e!.message).toBe("--until: budget status judges each budget's own period (its day, week or month) at one moment, not a window: use --at");
    expect(e!.hint).toBeUndefined();
    // Days before today, as other commands read --until: a UTC midnight, so the second before it ends a day.
    expect(budgetWindowError({ until: '7d' })!.hint).toMatch(/^--at \d{4}-\d{2}-\d{2}T23:59:59Z judges the budgets at the last second before --until 7d$/);
  });
});

describe('llmfin budget status --until', () => {
  it('exits 2 naming --at before reading any config or ledger', async () => {
    const r = await runCli(['budget', 'status', '--until', '2026-11-01', '--db', '/nonexistent/l.db'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('hint: --at 2026-10-31T23:59:59Z judges the budgets at the last second before --until 2026-11-01');
  });
});
