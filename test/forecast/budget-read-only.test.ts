// `top` opens the ledger read-only and reads budget status's trajectories inside a read
// transaction. Bringing the daily rollup up to date is a write (and a transaction of its own):
// the reports and the record of where each provider's usage stops read the rollup as a refresh
// would leave it — its days but those marked dirty, and the rows it has not taken in. The
// statuses are those a writable ledger gives, lagging provider and all.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { ledgerRecord } from '../../src/budgets/ledger-record.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { budgetStatuses } from '../../src/forecast/budget-trajectory.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { tempDir } from '../helpers/cli.js';
import { testPricer } from '../helpers/import.js';
import { insertRows, type RequestRowInput } from '../tui/helpers/insert-rows.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const USD = 10_000_000_000n;
const NOW = new Date('2026-12-11T12:00:00.000Z');

const budget = (name: string, scope: Record<string, string>, limit: number): BudgetConfig => ({ name, scope, period: 'monthly', limit_usd: limit, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' });
const BUDGETS = [budget('org', {}, 200), budget('support', { team: 'support' }, 60)];

/**
 * From 1 November: OpenAI's requests as the proxy records them, $0.25 an hour (team support
 * every other hour) up to 11:00 today; Bedrock's bill, $2.00 a day, three days behind.
 */
function rows(): RequestRowInput[] {
  const out: RequestRowInput[] = [];
  const from = Date.parse('2026-11-01T00:00:00.000Z');
  for (let t = from, i = 0; t < NOW.getTime(); t += HOUR, i++) out.push({ ts: new Date(t).toISOString(), provider: 'openai', model: 'gpt-4o', costTicks: USD / 4n, team: i % 2 ? 'support' : 'search' });
  for (let t = from; t <= Date.parse('2026-12-08T00:00:00.000Z'); t += DAY) out.push({ ts: new Date(t).toISOString(), provider: 'bedrock', model: 'claude-sonnet-4-5', provenance: 'billed', granularity: 'day', requests: 0, costTicks: 2n * USD });
  return out;
}

describe('budget statuses on a read-only ledger', () => {
  let path: string;
  const open: LedgerStore[] = [];
  beforeAll(async () => {
    path = join(tempDir(), 'l.db');
    await (await openLedger(path)).close();
    insertRows(path, rows());
  });
  afterAll(async () => {
    for (const l of open) await l.close();
  });

  /** What a read-only ledger reads (on the connection, and in a read transaction as top reads), then what a writable one reads after bringing the rollup up to date. */
  async function bothWays() {
    const pricer = await testPricer();
    const attributor = new Attributor([]);
    const readOnly = await openLedger(path, { readonly: true, create: false });
    open.push(readOnly);
    const read = { record: await ledgerRecord(readOnly), statuses: await budgetStatuses(readOnly, attributor, pricer, BUDGETS, NOW) };
    const inTransaction = await readOnly.db.transaction().execute((trx) => budgetStatuses({ path, db: trx, close: () => Promise.resolve(), readOnly: true }, attributor, pricer, BUDGETS, NOW));
    const writable = await openLedger(path);
    open.push(writable);
    const written = { record: await ledgerRecord(writable), statuses: await budgetStatuses(writable, attributor, pricer, BUDGETS, NOW) };
    return { read, inTransaction, written };
  }

  it('are those of a writable ledger, read without a write: from the rows, from the rollup and the rows it has not taken in, and around a day marked dirty', async () => {
    // The rollup never brought up to date: every row is one it has not taken in.
    const first = await bothWays();
    expect(first.read).toEqual(first.written);
    expect(first.inTransaction).toEqual(first.written.statuses);
    // Bedrock lags three days: where its record stops is read too.
    expect(first.read.record.byProvider.get('bedrock')).toBe('2026-12-08T00:00:00.000Z');
    expect(first.written.statuses.find((s) => s.name === 'org')!.projection_method).toBe('forecast');

    // Now the rollup is up to date (the writable read brought it there). Rows it has not taken
    // in: $5 more for support on 1 December. And Bedrock's bill of the 8th taken out, which
    // marks the day dirty: its record now stops on the 7th.
    insertRows(path, [{ ts: '2026-12-01T09:00:00.000Z', provider: 'openai', model: 'gpt-4o', costTicks: 5n * USD, team: 'support' }]);
    const db = new Database(path);
    db.prepare("delete from usage_entries where provider = 'bedrock' and ts = '2026-12-08T00:00:00.000Z'").run();
    db.close();
    const second = await bothWays();
    expect(second.read).toEqual(second.written);
    expect(second.inTransaction).toEqual(second.written.statuses);
    expect(second.read.record.byProvider.get('bedrock')).toBe('2026-12-07T00:00:00.000Z');
    const spent = (r: typeof first) => r.written.statuses.map((s) => [s.name, s.spent_usd]);
    // org: $0.25 an hour for 10 days and 12 hours of December, $63 of OpenAI; $2 × 8 days of Bedrock, then 7; then the $5.
    expect(spent(first)).toEqual(expect.arrayContaining([['org', 79]]));
    expect(spent(second)).toEqual(expect.arrayContaining([['org', 82]]));
  });
});
