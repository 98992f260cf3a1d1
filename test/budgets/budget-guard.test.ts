import { describe, expect, it } from 'vitest';
import { BudgetGuard, type BudgetAlert } from '../../src/budgets/budget-guard.js';
import { periodWindow } from '../../src/budgets/budget-period.js';
import { budgetStatus } from '../../src/budgets/budget-status.js';
import { ConfigSchema } from '../../src/config/config-schema.js';

const USD = 10_000_000_000n;
const budgets = (b: unknown[]) => ConfigSchema.parse({ budgets: b }).budgets;

describe('periodWindow', () => {
  it('gives calendar day, Monday week and month in UTC', () => {
    const now = new Date('2026-11-26T15:00:00Z'); // a Thursday
    expect(periodWindow('daily', now)).toEqual({ start: new Date('2026-11-26T00:00:00Z'), end: new Date('2026-11-27T00:00:00Z') });
    expect(periodWindow('weekly', now)).toEqual({ start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') });
    expect(periodWindow('monthly', now)).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
    expect(periodWindow('monthly', new Date('2026-12-31T23:59:59Z')).end).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('puts boundaries at local midnight in the budget time zone', () => {
    // 23:30 UTC on Nov 30 is already Dec 1 in Paris (UTC+1): December's budget.
    expect(periodWindow('monthly', new Date('2026-11-30T23:30:00Z'), 'Europe/Paris')).toEqual({
      start: new Date('2026-11-30T23:00:00Z'),
      end: new Date('2026-12-31T23:00:00Z'),
    });
    // New York is UTC-5 in November.
    expect(periodWindow('daily', new Date('2026-11-26T03:00:00Z'), 'America/New_York').start).toEqual(new Date('2026-11-25T05:00:00Z'));
  });

  it('across a DST change week and a half-hour zone', () => {
    // Los Angeles leaves DST on Sunday 1 November 2026: the week from Monday 26 October
    // starts at 00:00 PDT (07:00 UTC) and ends at 00:00 PST on 2 November (08:00 UTC), 169 hours.
    expect(periodWindow('weekly', new Date('2026-11-01T12:00:00Z'), 'America/Los_Angeles')).toEqual({ start: new Date('2026-10-26T07:00:00Z'), end: new Date('2026-11-02T08:00:00Z') });
    // 23:30 PST on 30 November is still November there.
    expect(periodWindow('monthly', new Date('2026-12-01T07:30:00Z'), 'America/Los_Angeles')).toEqual({ start: new Date('2026-11-01T07:00:00Z'), end: new Date('2026-12-01T08:00:00Z') });
    // Kolkata is UTC+5:30: its December starts at 18:30 UTC on 30 November.
    expect(periodWindow('monthly', new Date('2026-11-30T18:29:59Z'), 'Asia/Kolkata').end).toEqual(new Date('2026-11-30T18:30:00Z'));
    expect(periodWindow('daily', new Date('2026-11-30T18:30:00Z'), 'Asia/Kolkata')).toEqual({ start: new Date('2026-11-30T18:30:00Z'), end: new Date('2026-12-01T18:30:00Z') });
  });

  it('starts a day whose midnight a DST change skips when its clocks jump past it', () => {
    // Santiago moves from UTC-4 to UTC-3 at midnight on 6 September 2026: 24:00 on the 5th
    // is 01:00 on the 6th, at 04:00 UTC. 23:30 on the 5th (03:30 UTC) is still the 5th.
    expect(periodWindow('daily', new Date('2026-09-06T03:30:00Z'), 'America/Santiago')).toEqual({ start: new Date('2026-09-05T04:00:00Z'), end: new Date('2026-09-06T04:00:00Z') });
    expect(periodWindow('daily', new Date('2026-09-06T04:00:00Z'), 'America/Santiago')).toEqual({ start: new Date('2026-09-06T04:00:00Z'), end: new Date('2026-09-07T03:00:00Z') });
    // Havana goes back from 01:00 to 00:00 on 1 November 2026: the day starts at the first midnight.
    expect(periodWindow('daily', new Date('2026-11-01T04:30:00Z'), 'America/Havana')).toEqual({ start: new Date('2026-11-01T04:00:00Z'), end: new Date('2026-11-02T05:00:00Z') });
    expect(periodWindow('daily', new Date('2026-10-31T12:00:00Z'), 'America/Havana').end).toEqual(new Date('2026-11-01T04:00:00Z'));
    // A budget judged in that last hour of the 5th keeps its spend rather than restarting from zero at every request.
    const guard = new BudgetGuard(budgets([{ name: 'cl', period: 'daily', timezone: 'America/Santiago', limit_usd: 1, action: 'block' }]), {
      now: () => new Date('2026-09-06T03:30:00Z'),
      spent: new Map([['cl', 2n * USD]]),
    });
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n })).toMatchObject({ kind: 'reject', budget: 'cl', retryAfterSeconds: 1800 });
    expect(guard.snapshot()[0]!.spentTicks).toBe(2n * USD);
  });
});

describe('BudgetGuard', () => {
  const now = () => new Date('2026-11-26T12:00:00Z');

  it('corrects counted spend only in the budgets whose period holds the request, never below zero and without an admission', () => {
    // A monthly budget (Nov) and a daily one (Nov 26) for team search; a throttle at 1 request a minute.
    const guard = new BudgetGuard(
      budgets([
        { name: 'month', scope: { team: 'search' }, limit_usd: 100, action: 'block' },
        { name: 'day', scope: { team: 'search' }, period: 'daily', limit_usd: 10, action: 'throttle', throttle_rpm: 1 },
        { name: 'other', scope: { team: 'ads' }, limit_usd: 100, action: 'block' },
      ]),
      { now, spent: new Map([['month', 12n * USD], ['day', 3n * USD], ['other', 5n * USD]]) },
    );
    const spent = () => Object.fromEntries(guard.snapshot().map((b) => [b.name, b.spentTicks]));
    // Made yesterday: in November's budget, not in today's.
    guard.correct({ team: 'search' }, new Date('2026-11-25T09:00:00Z'), -2n * USD);
    expect(spent()).toEqual({ month: 10n * USD, day: 3n * USD, other: 5n * USD });
    // Made today: both move; a correction larger than the spend stops at zero.
    guard.correct({ team: 'search' }, new Date('2026-11-26T08:00:00Z'), -4n * USD);
    expect(spent()).toEqual({ month: 6n * USD, day: 0n, other: 5n * USD });
  });

  it('does not count a correction against a throttle, and alerts when it raises the spend past a limit', () => {
    const alerts: BudgetAlert[] = [];
    const guard = new BudgetGuard(budgets([{ name: 'day', scope: { team: 'search' }, period: 'daily', limit_usd: 1, action: 'throttle', throttle_rpm: 1 }]), {
      now,
      spent: new Map([['day', USD / 2n]]),
      onAlert: (a) => alerts.push(a),
    });
    guard.correct({ team: 'search' }, new Date('2026-11-26T08:00:00Z'), USD);
    expect(guard.snapshot()[0]!.spentTicks).toBe((3n * USD) / 2n);
    expect(alerts.map((a) => a.level)).toEqual(['soft', 'hard']);
    // Over the limit, one request a minute: the first still goes, as no admission was counted.
    const dims = { team: 'search' };
    expect(guard.admit({ model: 'gpt-4o', dims, maxCostTicks: USD }).kind).toBe('allow');
    expect(guard.admit({ model: 'gpt-4o', dims, maxCostTicks: USD }).kind).toBe('reject');
  });

  it('blocks a request whose maximum cost would cross a hard limit, counting reservations in flight', () => {
    const guard = new BudgetGuard(budgets([{ name: 'search', scope: { team: 'search' }, limit_usd: 10, action: 'block' }]), { now, spent: new Map([['search', 7n * USD]]) });
    const a = guard.admit({ model: 'gpt-4o', dims: { team: 'search' }, maxCostTicks: 2n * USD });
    expect(a.kind).toBe('allow');
    // 7 spent + 2 reserved + 2 = 11 > 10.
    const b = guard.admit({ model: 'gpt-4o', dims: { team: 'search' }, maxCostTicks: 2n * USD });
    expect(b).toMatchObject({ kind: 'reject', status: 429, budget: 'search' });
    // Not reached: what is left is less than the request may cost, with part of it held by the one in flight.
    expect(b.kind === 'reject' && b.message).toBe(
      'budget "search" has $1.00 left of $10.00 (monthly, team=search), less than this request\'s maximum cost of $2.00 (its prompt and max_tokens, priced); $7.00 spent, $2.00 held by requests in flight',
    );
    // Another team is not in scope.
    expect(guard.admit({ model: 'gpt-4o', dims: { team: 'ads' }, maxCostTicks: 100n * USD }).kind).toBe('allow');
    // Settling at the real cost (0.50) frees the rest of the reservation: 7.5 + 2 <= 10.
    if (a.kind === 'allow') a.ticket.settle(USD / 2n);
    expect(guard.admit({ model: 'gpt-4o', dims: { team: 'search' }, maxCostTicks: 2n * USD }).kind).toBe('allow');
    expect(guard.snapshot()[0]).toMatchObject({ spentTicks: 75n * USD / 10n, reservedTicks: 2n * USD });
  });

  it("says a request is refused for its own maximum cost, not that a budget 10% spent is reached", () => {
    const guard = new BudgetGuard(budgets([{ name: 'org', limit_usd: 1, action: 'block' }]), { now, spent: new Map([['org', USD / 10n]]) });
    // max_tokens 32,000 on a $75/M output model: up to $2.40.
    const refused = guard.admit({ model: 'claude-opus-4-1', dims: {}, maxCostTicks: (24n * USD) / 10n });
    expect(refused).toMatchObject({
      kind: 'reject',
      budget: 'org',
      message: 'budget "org" has $0.90 left of $1.00 (monthly, organisation), less than this request\'s maximum cost of $2.40 (its prompt and max_tokens, priced); $0.10 spent',
    });
    // At the limit, it is reached.
    const full = new BudgetGuard(budgets([{ name: 'org', limit_usd: 1, action: 'block' }]), { now, spent: new Map([['org', USD]]) });
    expect(full.admit({ model: 'm', dims: {}, maxCostTicks: 1n })).toMatchObject({ kind: 'reject', message: 'budget "org" reached: $1.00 of $1.00 spent (monthly, organisation)' });
  });

  it('names amounts under a dollar to three significant digits, so that a small budget\'s spent and limit differ', () => {
    // $0.0123 spent of $0.015 reads "$0.01 of $0.02" in cents; $0.0152 of $0.015, "$0.02 of $0.02".
    const reached = new BudgetGuard(budgets([{ name: 'tiny', limit_usd: 0.015, action: 'block' }]), { now, spent: new Map([['tiny', 152_000_000n]]) });
    expect(reached.admit({ model: 'm', dims: {}, maxCostTicks: 1n })).toMatchObject({ kind: 'reject', message: 'budget "tiny" reached: $0.0152 of $0.015 spent (monthly, organisation)' });
    // $0.0123 spent of $0.02: $0.0077 left, less than a maximum cost of $0.0091.
    const short = new BudgetGuard(budgets([{ name: 'tiny', limit_usd: 0.02, action: 'block' }]), { now, spent: new Map([['tiny', 123_000_000n]]) });
    expect(short.admit({ model: 'm', dims: {}, maxCostTicks: 91_000_000n })).toMatchObject({
      kind: 'reject',
      message: 'budget "tiny" has $0.0077 left of $0.02 (monthly, organisation), less than this request\'s maximum cost of $0.0091 (its prompt and max_tokens, priced); $0.0123 spent',
    });
  });

  it('releases a reservation on error without counting spend, and settles only once', () => {
    const guard = new BudgetGuard(budgets([{ name: 'org', limit_usd: 1, action: 'block' }]), { now });
    const a = guard.admit({ model: 'm', dims: {}, maxCostTicks: USD });
    if (a.kind !== 'allow') throw new Error('expected allow');
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('reject');
    a.ticket.release();
    a.ticket.settle(USD);
    expect(guard.snapshot()[0]).toMatchObject({ spentTicks: 0n, reservedTicks: 0n });
  });

  it('throttles past the limit to N requests a minute, with Retry-After', () => {
    let t = new Date('2026-11-26T12:00:00Z').getTime();
    const guard = new BudgetGuard(budgets([{ name: 'slow', limit_usd: 1, action: 'throttle', throttle_rpm: 2 }]), { now: () => new Date(t), spent: new Map([['slow', USD]]) });
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('allow');
    t += 10_000;
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('allow');
    t += 10_000;
    const third = guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n });
    // The first admission was 20 s ago: 40 s until the window frees a slot.
    expect(third).toMatchObject({ kind: 'reject', retryAfterSeconds: 40 });
    t += 41_000;
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('allow');
  });

  it('a throttle at 1 request a minute says "1 request/minute", at 2 "2 requests/minute"', () => {
    for (const [rpm, words] of [[1, '1 request/minute'], [2, '2 requests/minute']] as const) {
      const guard = new BudgetGuard(budgets([{ name: 'slow', limit_usd: 1, action: 'throttle', throttle_rpm: rpm }]), { now: () => new Date('2026-11-26T12:00:00Z'), spent: new Map([['slow', USD]]) });
      for (let i = 0; i < rpm; i++) expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('allow');
      const refused = guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n });
      expect(refused.kind === 'reject' ? refused.message : '').toContain(`budget "slow" reached, throttled to ${words}: `);
    }
  });

  it("a throttle's Retry-After counts the requests let through before the limit was crossed, so the retry is let in", () => {
    let t = new Date('2026-11-26T12:00:00Z').getTime();
    const start = t;
    const guard = new BudgetGuard(budgets([{ name: 'slow', limit_usd: 1, action: 'throttle', throttle_rpm: 2 }]), { now: () => new Date(t) });
    const admit = () => guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n });
    // Four requests a second apart under the limit, $0.25 each: $1.00 spent, the limit reached.
    for (let i = 0; i < 4; i++) {
      const a = admit();
      expect(a.kind).toBe('allow');
      if (a.kind === 'allow') a.ticket.settle(USD / 4n);
      t += 1000;
    }
    expect(guard.snapshot()[0]!.spentTicks).toBe(USD);
    // At 4 s, four admissions in the last minute (0 s to 3 s), two allowed: a slot frees when
    // only one is left in the minute, as the one at 2 s leaves it at 62 s: 58 s from now.
    expect(admit()).toMatchObject({ kind: 'reject', budget: 'slow', retryAfterSeconds: 58 });
    t = start + 61_000;
    expect(admit()).toMatchObject({ kind: 'reject', retryAfterSeconds: 1 });
    t = start + 62_000;
    expect(admit().kind).toBe('allow');
  });

  it('downgrades the model past the limit and alerts once at the soft and hard limits', () => {
    const alerts: BudgetAlert[] = [];
    const guard = new BudgetGuard(budgets([{ name: 'chat', scope: { feature: 'chat' }, limit_usd: 10, soft_limit_percent: 50, action: 'downgrade', downgrade_to: 'gpt-4o-mini' }]), { now, onAlert: (a) => alerts.push(a) });
    const first = guard.admit({ model: 'gpt-4o', dims: { feature: 'chat' }, maxCostTicks: 6n * USD });
    expect(first).toMatchObject({ kind: 'allow' });
    expect(first.kind === 'allow' && first.model).toBeUndefined();
    if (first.kind === 'allow') first.ticket.settle(6n * USD);
    expect(alerts.map((a) => [a.level, a.spent_usd])).toEqual([['soft', 6]]);
    const second = guard.admit({ model: 'gpt-4o', dims: { feature: 'chat' }, maxCostTicks: 6n * USD });
    expect(second).toMatchObject({ kind: 'allow', model: 'gpt-4o-mini', notice: 'budget "chat" reached: gpt-4o downgraded to gpt-4o-mini' });
    if (second.kind === 'allow') second.ticket.settle(5n * USD);
    expect(alerts.map((a) => [a.level, a.spent_usd])).toEqual([
      ['soft', 6],
      ['hard', 11],
    ]);
  });

  it('starts a new period from zero', () => {
    let t = new Date('2026-11-30T23:59:00Z').getTime();
    const guard = new BudgetGuard(budgets([{ name: 'day', period: 'daily', limit_usd: 1, action: 'block' }]), { now: () => new Date(t), spent: new Map([['day', USD]]) });
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('reject');
    t += 120_000;
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n }).kind).toBe('allow');
  });

  it("a request admitted before midnight and settled after the next period began counts in its own day, as its ledger row does", () => {
    let t = new Date('2026-11-30T23:59:30Z').getTime();
    const guard = new BudgetGuard(
      budgets([
        { name: 'day', period: 'daily', limit_usd: 10, action: 'block' },
        { name: 'week', period: 'weekly', limit_usd: 100, action: 'block' },
      ]),
      { now: () => new Date(t), spent: new Map([['day', 4n * USD], ['week', 4n * USD]]) },
    );
    const spent = () => Object.fromEntries(guard.snapshot().map((b) => [b.name, b.spentTicks]));
    const late = guard.admit({ model: 'm', dims: {}, maxCostTicks: 3n * USD });
    // 1 December begins while it runs; a request then starts the new day (and, on Tuesday, the same week).
    t = new Date('2026-12-01T00:00:10Z').getTime();
    const early = guard.admit({ model: 'm', dims: {}, maxCostTicks: USD });
    expect(spent()).toEqual({ day: 0n, week: 4n * USD });
    if (late.kind === 'allow') late.ticket.settle(3n * USD);
    if (early.kind === 'allow') early.ticket.settle(USD / 2n);
    // The late one's $3 is 30 November's (its row is stamped when it started): not in 1 December's spend.
    expect(spent()).toEqual({ day: USD / 2n, week: 4n * USD + 3n * USD + USD / 2n });
  });

  it('rejects budget configs that cannot work', () => {
    expect(() => budgets([{ name: 'x', limit_usd: 1, action: 'throttle' }])).toThrow(/expected throttle_rpm with action: throttle/);
    expect(() => budgets([{ name: 'x', limit_usd: 1, scope: { colour: 'red' } }])).toThrow(/expected one of team, feature/);
    expect(() => budgets([{ name: 'x', limit_usd: 1, timezone: 'Mars/Olympus' }])).toThrow(/expected an IANA time zone/);
  });
});

describe('budgetStatus', () => {
  const [budget] = budgets([{ name: 'support', scope: { team: 'support' }, limit_usd: 3000, period: 'monthly' }]);
  const window = periodWindow('monthly', new Date('2026-11-11T00:00:00Z'));

  it('projects the period end at the run rate and dates the breach', () => {
    // 10 of 30 days elapsed, $1,200 spent: $3,600 projected; $3,000 reached after 25 days.
    const s = budgetStatus(budget!, window, 1200n * USD, new Date('2026-11-11T00:00:00Z'));
    expect(s).toMatchObject({ spent_usd: 1200, percent: 40, state: 'green', projected_usd: 3600, breach_at: '2026-11-26T00:00:00.000Z', breached: false });
  });

  it('runs the rate from where the ledger\'s record begins when that is inside the period, not from the period\'s start', () => {
    // The record begins on Nov 5: $1,200 over 6 days is $200 a day; 20 days left: 1,200 + 4,000 = $5,200,
    // and the other $1,800 to $3,000 takes 9 days from Nov 11. From Nov 1 it would read $3,600 and Nov 26.
    const s = budgetStatus(budget!, window, 1200n * USD, new Date('2026-11-11T00:00:00Z'), { recordedFrom: Date.parse('2026-11-05T00:00:00Z') });
    expect(s).toMatchObject({ projected_usd: 5200, breach_at: '2026-11-20T00:00:00.000Z', projected_p50_usd: 5200 });
    // A record begun before the period changes nothing.
    const older = budgetStatus(budget!, window, 1200n * USD, new Date('2026-11-11T00:00:00Z'), { recordedFrom: Date.parse('2026-10-20T00:00:00Z') });
    expect(older).toMatchObject({ projected_usd: 3600, breach_at: '2026-11-26T00:00:00.000Z' });
  });

  it("dates the breach in the budget's time zone", () => {
    const [nz, la] = budgets([
      { name: 'nz', limit_usd: 10, period: 'daily', timezone: 'Pacific/Auckland' },
      { name: 'la', limit_usd: 260, period: 'monthly', timezone: 'America/Los_Angeles' },
    ]);
    // 2 December in Auckland began at 11:00 UTC on 1 December: $6 in 6 hours, $1 an hour, $10 at 21:00 UTC (10:00 there).
    const nzNow = new Date('2026-12-01T17:00:00Z');
    expect(budgetStatus(nz!, periodWindow('daily', nzNow, 'Pacific/Auckland'), 6n * USD, nzNow)).toMatchObject({ projected_usd: 24, breach_at: '2026-12-01T21:00:00.000Z', breach_date_p50: '2026-12-02', breach_date_p90: '2026-12-02' });
    // December in Los Angeles began at 08:00 UTC on 1 December: $214 in 214 hours, $260 46 hours on, at 04:00 UTC on 12 December (20:00 on the 11th there).
    const laNow = new Date('2026-12-10T06:00:00Z');
    expect(budgetStatus(la!, periodWindow('monthly', laNow, 'America/Los_Angeles'), 214n * USD, laNow)).toMatchObject({ breach_at: '2026-12-12T04:00:00.000Z', breach_date_p50: '2026-12-11' });
  });

  it('is amber from the soft limit and red at the limit', () => {
    expect(budgetStatus(budget!, window, 2400n * USD, new Date('2026-11-21T00:00:00Z')).state).toBe('amber');
    expect(budgetStatus(budget!, window, 3000n * USD, new Date('2026-11-21T00:00:00Z'))).toMatchObject({ state: 'red', breached: true, breach_at: null, percent: 100 });
  });
});

describe('BudgetGuard#reseed', () => {
  const now = () => new Date('2026-11-26T12:00:00Z');
  const [org] = budgets([{ name: 'org', period: 'daily', limit_usd: 10, action: 'block' }]);

  it('takes the ledger read, plus what this process settled while its rows were being written', async () => {
    const reads: Array<ReadonlyMap<string, bigint>> = [new Map([['org', 11n * USD]])];
    const alerts: BudgetAlert[] = [];
    const guard = new BudgetGuard([org!], { now, spent: new Map([['org', 1n * USD]]), onAlert: (a) => alerts.push(a), readLedger: async () => ({ spent: reads.shift()!, afterId: 42 }) });
    const a = guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n * USD });
    if (a.kind !== 'allow') throw new Error('refused');
    a.ticket.settle(2n * USD);
    // The flush writes A's row; B settles while it does (its row is not in the read).
    const afterId = await guard.reseed(async () => {
      const b = guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n * USD });
      if (b.kind !== 'allow') throw new Error('refused');
      b.ticket.settle(3n * USD);
    });
    expect(afterId).toBe(42);
    // The read's $11 (seed $1, A's $2 and an imported $8), and B's $3 on top.
    expect(guard.snapshot()[0]!.spentTicks).toBe(14n * USD);
    expect(alerts.map((x) => [x.level, x.spent_usd])).toEqual([['soft', 14], ['hard', 14]]);
  });

  it('an undone import takes a budget back under its limits, and crossing them again alerts again', async () => {
    const reads = [new Map([['org', 12n * USD]]), new Map([['org', 1n * USD]]), new Map([['org', 12n * USD]])];
    const alerts: BudgetAlert[] = [];
    const guard = new BudgetGuard([org!], { now, onAlert: (a) => alerts.push(a), readLedger: async () => ({ spent: reads.shift()!, afterId: 0 }) });
    await guard.reseed(async () => undefined);
    await guard.reseed(async () => undefined);
    expect(guard.snapshot()[0]!.spentTicks).toBe(1n * USD);
    expect(guard.admit({ model: 'm', dims: {}, maxCostTicks: 1n * USD }).kind).toBe('allow');
    await guard.reseed(async () => undefined);
    expect(alerts.map((x) => x.level)).toEqual(['soft', 'hard', 'soft', 'hard']);
  });

  it('without a way to read the ledger, changes nothing', async () => {
    const guard = new BudgetGuard([org!], { now, spent: new Map([['org', 5n * USD]]) });
    expect(await guard.reseed(async () => undefined)).toBeUndefined();
    expect(guard.snapshot()[0]!.spentTicks).toBe(5n * USD);
  });
});
