// Budget alerts POSTed to a webhook on loopback: one JSON document per limit crossing;
// a dead webhook is reported, never thrown.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAlert } from '../../src/budgets/alert-webhook.js';
import { BudgetGuard, type BudgetAlert } from '../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';

const received: Array<Record<string, unknown>> = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push({ ...(JSON.parse(body) as Record<string, unknown>), method: req.method, contentType: req.headers['content-type'] });
    res.writeHead(req.url === '/broken' ? 500 : 204).end();
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('budget alert webhook', () => {
  it('posts each crossing of the soft and hard limit once', async () => {
    const [budget] = ConfigSchema.parse({ budgets: [{ name: 'support', scope: { team: 'support' }, limit_usd: 10, soft_limit_percent: 50, webhook: `${url}/hook` }] }).budgets;
    const sent: Promise<void>[] = [];
    const errors: string[] = [];
    const guard = new BudgetGuard([budget!], { now: () => new Date('2026-11-10T12:00:00Z'), onAlert: (a) => sent.push(postAlert(budget!.webhook!, a, (m) => errors.push(m))) });
    const USD = 10_000_000_000n;
    for (const cost of [4n, 2n, 5n]) {
      const d = guard.admit({ model: 'm', dims: { team: 'support' }, maxCostTicks: 0n });
      if (d.kind === 'allow') d.ticket.settle(cost * USD);
    }
    await Promise.all(sent);
    expect(errors).toEqual([]);
    // 4 -> 6 crosses the soft limit ($5), 6 -> 11 the hard one ($10).
    expect(received.map((r) => [r.method, r.contentType, r.level, r.spent_usd, r.budget])).toEqual([
      ['POST', 'application/json', 'soft', 6, 'support'],
      ['POST', 'application/json', 'hard', 11, 'support'],
    ]);
    expect(received[0]).toMatchObject({ source: 'llmfin', type: 'budget_alert', scope: 'team=support', limit_usd: 10, period_start: '2026-11-01T00:00:00.000Z', period_end: '2026-12-01T00:00:00.000Z' });
  });

  it('reports a webhook that fails or is down without throwing', async () => {
    const alert: BudgetAlert = { budget: 'b', level: 'soft', scope: 'organisation', spent_usd: 1, limit_usd: 2, period_start: 'x', period_end: 'y' };
    const errors: string[] = [];
    await postAlert(`${url}/broken`, alert, (m) => errors.push(m));
    await postAlert('http://127.0.0.1:1/none', alert, (m) => errors.push(m));
    expect(errors[0]).toBe('budget b: webhook answered HTTP 500');
    expect(errors[1]).toMatch(/^budget b: webhook failed \(/);
  });
});
