// 200 requests at once through the proxy against a hard budget (issue 5): the budget
// engine reserves each request's maximum cost before forwarding, so concurrent requests
// see each other's reservations and the spend never passes the limit by more than the
// requests in flight could add; every answered request has exactly one ledger row.
//
// gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per 1M tokens. The prompt is
// 4,800 characters (1,200 tokens estimated) with max_tokens 80, so each reservation is
// 1200 x 0.15 + 80 x 0.60 = 228 USD per 1M = 2,280,000 ticks. The fake provider answers
// 1,200 input tokens of which 1,024 cached and 80 output: (176 x 0.15 + 1024 x 0.075 +
// 80 x 0.60) / 1M = 0.0001512 USD = 1,512,000 ticks, less than the reservation.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetGuard } from '../../src/budgets/budget-guard.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { startHarness, type Harness } from './proxy-harness.js';

const RESERVED = 2_280_000n;
const ACTUAL = 1_512_000n;
// $0.02: room for 8 reservations at once, and 13 settled requests.
const LIMIT_USD = 0.02;
const LIMIT = 200_000_000n;

let h: Harness;
let guard: BudgetGuard;
beforeAll(async () => {
  guard = new BudgetGuard(ConfigSchema.parse({ budgets: [{ name: 'load-test', scope: { team: 'load' }, limit_usd: LIMIT_USD, action: 'block' }] }).budgets);
  h = await startHarness({ gate: guard });
});
afterAll(() => h.close());

describe('budget under 200 concurrent requests', () => {
  it('never overshoots the limit, answers the rest with 429, and loses or duplicates no row', async () => {
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-x', maxRetries: 0 });
    const prompt = 'x'.repeat(4800);
    const send = () =>
      openai.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 80, messages: [{ role: 'user', content: prompt }] }, { headers: { 'x-llmfin-team': 'load' } })
        .then(() => 'ok' as const)
        .catch((error: unknown) => {
          if (error instanceof OpenAI.APIError && error.status === 429) {
            // Reached, or too little left for this request's maximum cost (requests in flight hold part of it).
            expect(error.message).toMatch(/budget "load-test" (reached|has \$[\d.]+ left of \$0\.02 \(monthly, team=load\), less than this request's maximum cost)/);
            return 'blocked' as const;
          }
          throw error;
        });
    // Two waves of 100 at once: the second starts while spend from the first is settling.
    const first = Promise.all(Array.from({ length: 100 }, send));
    await new Promise((r) => setTimeout(r, 5));
    const results = [...(await first), ...(await Promise.all(Array.from({ length: 100 }, send)))];
    const ok = results.filter((r) => r === 'ok').length;
    const blocked = results.filter((r) => r === 'blocked').length;
    expect(ok + blocked).toBe(200);
    expect(ok).toBeGreaterThan(0);
    expect(blocked).toBeGreaterThan(0);

    const [state] = guard.snapshot();
    expect(state!.reservedTicks).toBe(0n);
    // Every admitted request settled at its real cost; reservations kept the total within the limit.
    expect(state!.spentTicks).toBe(BigInt(ok) * ACTUAL);
    expect(state!.spentTicks).toBeLessThanOrEqual(LIMIT);
    // At most floor(limit / reservation) requests can be admitted while none has settled,
    // and never more than the limit allows once they have.
    expect(ok).toBeGreaterThanOrEqual(Number(LIMIT / RESERVED));
    expect(ok).toBeLessThanOrEqual(Number(LIMIT / ACTUAL));

    const rows = (await h.rows()).filter((r) => r.team === 'load' && r.status_code === 200);
    expect(rows).toHaveLength(ok);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(ok);
    expect(rows.reduce((a, r) => a + (r.cost_ticks ?? 0n), 0n)).toBe(BigInt(ok) * ACTUAL);
  });
});
