// A budget whose current period runs past a price change the catalogue has scheduled
// (gemini-3.6-flash's rates double on 2027-01-01: input $0.75 → $1.50, output $3.75 → $7.50
// per 1M) projects the days from the change at the new rates, by forecast's rule
// (scheduled-prices.ts): the scope's last week's mix priced then against today, billed money
// with no tokens kept at its level. Before, the whole period was at today's prices.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  name: string;
  spent_usd: number;
  projected_usd: number;
  breach_at: string | null;
  projected_p50_usd: number;
  projected_p90_usd: number;
  breach_probability: number | null;
  breach_date_p50: string | null;
  price_changes: Array<{ from: string; cost_factor: number; models: Array<{ provider: string; model: string }> }>;
}

const FLASH_STEP = [{ from: '2027-01-01', cost_factor: 2, models: [{ provider: 'google', model: 'gemini-3.6-flash', rates_before: { input: 0.75, output: 3.75, cache_read: 0.075 }, rates_after: { input: 1.5, output: 7.5, cache_read: 0.15 }, discount_percent_before: 0, discount_percent_after: 0 }] }];

/**
 * 2026-11-01 to 2026-12-29, every day at 12:00 UTC: chat 1,000 requests of 1M input and 100k
 * output tokens on gemini-3.6-flash ($0.75 + $0.375 = $1.125; $2.25 from 2027-01-01); search
 * the same on gpt-4.1-mini ($0.40 + $0.16 = $0.56, no change); translate $10.00 billed on
 * Vertex's gemini-3.6-flash with no tokens.
 */
function rows(): string {
  const out: string[] = [];
  for (let t = Date.parse('2026-11-01T00:00:00Z'); t <= Date.parse('2026-12-29T00:00:00Z'); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const tokens = { provenance: 'metered', requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000 };
    out.push(JSON.stringify({ id: `chat-${day}`, ts: `${day}T12:00:00Z`, provider: 'google', model: 'gemini-3.6-flash', feature: 'chat', ...tokens }));
    out.push(JSON.stringify({ id: `search-${day}`, ts: `${day}T12:00:00Z`, provider: 'openai', model: 'gpt-4.1-mini', feature: 'search', ...tokens }));
    out.push(JSON.stringify({ id: `tr-${day}`, ts: `${day}T12:00:00Z`, provider: 'vertex', model: 'gemini-3.6-flash', provenance: 'billed', feature: 'translate', cost_usd: '10.00', requests: 0 }));
  }
  return out.join('\n') + '\n';
}

describe('budget trajectories across a scheduled price change', () => {
  const dir = tempDir();
  beforeAll(async () => {
    writeFileSync(join(dir, 'rows.jsonl'), rows());
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      `ledger: { path: l.db }
budgets:
  - { name: chat-week, period: weekly, limit_usd: 8, scope: { feature: chat } }
  - { name: search-week, period: weekly, limit_usd: 8, scope: { feature: search } }
  - { name: translate-week, period: weekly, limit_usd: 100, scope: { feature: translate } }
  - { name: org-week, period: weekly, limit_usd: 100 }
  - { name: chat-ny, limit_usd: 100, timezone: America/New_York, scope: { feature: chat } }
`,
    );
    expect((await runCli(['import', 'rows.jsonl'], { cwd: dir })).code).toBe(0);
  });

  // 00:00 UTC on Wednesday 2026-12-30: the week 2026-12-28..2027-01-03 has two days spent
  // (the 28th and 29th) and five to come, 30 and 31 December at today's prices and 1–3
  // January at the new ones. Each history is constant, so each forecast is its day's spend
  // and the band is the point (P90 = P50).
  const status = async (): Promise<Record<string, Row>> => {
    const r = await runCli(['budget', 'status', '--at', '2026-12-30T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries((JSON.parse(r.stdout) as { rows: Row[] }).rows.map((row) => [row.name, row]));
  };

  it('projects the days from the change at the new rates: run rate, P50, P90, breach', async () => {
    const chat = (await status())['chat-week']!;
    // Spent $2.25; 2 × $1.125 + 3 × $2.25 = $2.25 + $6.75 = $9.00 to come: $11.25. The run rate
    // ($2.25 over 2 days, $1.125 a day, × 2 from 1 January) says the same. Before: 2.25 + 5 ×
    // 1.125 = $7.875, under the $8.00 limit, no breach, probability 0.
    expect([chat.spent_usd, chat.projected_usd, chat.projected_p50_usd, chat.projected_p90_usd]).toEqual([2.25, 11.25, 11.25, 11.25]);
    // P50 path: $3.375, $4.50 (31 Dec), $6.75 (1 Jan), $9.00 (2 Jan) > $8.00.
    expect(chat.breach_date_p50).toBe('2027-01-02');
    expect(chat.breach_probability).toBe(1);
    // Run rate: $4.50 at 00:00 on 1 January, then $2.25 a day: the $3.50 left takes 1 5/9 days, 37 h 20 min.
    expect(chat.breach_at).toBe('2027-01-02T13:20:00.000Z');
    expect(chat.price_changes).toEqual(FLASH_STEP);
  });

  it('leaves a budget whose scope has no change as it was', async () => {
    const search = (await status())['search-week']!;
    // $1.12 spent + 5 × $0.56 = $3.92, every day at today's prices.
    expect([search.spent_usd, search.projected_usd, search.projected_p50_usd, search.projected_p90_usd, search.breach_probability]).toEqual([1.12, 3.92, 3.92, 3.92, 0]);
    expect(search.price_changes).toEqual([]);
  });

  it('keeps billed money with no tokens at its level, and weighs it in a mixed scope', async () => {
    const rows = await status();
    // translate: $20 + 5 × $10 = $70.00, the change cannot re-price billed money.
    expect([rows['translate-week']!.projected_usd, rows['translate-week']!.projected_p50_usd]).toEqual([70, 70]);
    expect(rows['translate-week']!.price_changes).toEqual([]);
    // org: $11.685 a day ($1.125 + $0.56 + $10), $12.81 from 1 January (chat's $2.25): × 12.81 /
    // 11.685 = × 1.096277. $23.37 spent + 2 × $11.685 + 3 × $12.81 = $23.37 + $23.37 + $38.43 = $85.17.
    const org = rows['org-week']!;
    expect([org.spent_usd, org.projected_p50_usd, org.projected_p90_usd]).toEqual([23.37, 85.17, 85.17]);
    // The run rate: $23.37 over 2 days, × 1.096277… from 1 January: $23.37 + $23.37 + 3 × $12.81 = $85.17 too.
    expect(org.projected_usd).toBe(85.17);
    expect(org.price_changes.map((p) => [p.from, p.cost_factor])).toEqual([['2027-01-01', 1.096277]]);
  });

  it('a New York December takes the five hours of 1 January UTC it holds at the new rates', async () => {
    const ny = (await status())['chat-ny']!;
    // December in New York: 05:00 UTC on the 1st to 05:00 UTC on 1 January. Spent: 1–29
    // December, 29 × $1.125 = $32.625. To come: 30 and 31 December ($2.25) and 5/24 of 1
    // January at $2.25 ($0.46875): $35.34375 (before, at $1.125: $35.109375).
    expect([ny.spent_usd, ny.projected_p50_usd, ny.projected_p90_usd]).toEqual([32.625, 35.34375, 35.34375]);
    // The run rate: $32.625 over the 691 hours from 05:00 UTC on the 1st to 00:00 on the
    // 30th, for 48 hours at × 1 and 5 at × 2, 58 hour-equivalents: $32.625 × 749 / 691
    // = $35.363422576 (to the tick; before, × 744 / 691: $35.127351664).
    expect(ny.projected_usd).toBe(35.363422576);
    expect(ny.price_changes).toEqual(FLASH_STEP);
  });

  it('says it under the table, and in forecast’s budget trajectories', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-12-30T00:00:00Z'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "price change from 2027-01-01: gemini-3.6-flash (google) input $0.75 → $1.5 · output $3.75 → $7.5 · cache_read $0.075 → $0.15 per 1M tokens; spend per day against today's prices: chat-week +100.0%, org-week +9.6%, chat-ny +100.0%",
    );
    expect(r.stderr).toContain(
      "scheduled prices: budget translate-week's spend on gemini-3.6-flash (vertex), all of its last 7 days, is billed money with no token counts, which the model's price change on 2027-01-01 cannot re-price: it stays at today's level",
    );
    // forecast judges its budgets now: the clock set to the same moment.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-30T00:00:00Z'));
    const f = await runCli(['forecast', '--format', 'json'], { cwd: dir }).finally(() => vi.useRealTimers());
    expect(f.code, f.stderr).toBe(0);
    const budgets = (JSON.parse(f.stdout) as { budgets: Row[] }).budgets;
    expect(budgets.find((b) => b.name === 'chat-week')!.projected_p50_usd).toBe(11.25);
    expect(budgets.find((b) => b.name === 'chat-week')!.price_changes).toEqual(FLASH_STEP);
  });
});
