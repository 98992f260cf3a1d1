// Price changes the catalogue has scheduled inside the horizon: gemini-3.6-flash's rates
// double on 2027-01-01 (google and vertex: input $0.75 → $1.50, output $3.75 → $7.50,
// cache read $0.075 → $0.15 per 1M). Today is 2026-12-04; a 60-day forecast runs from
// 2026-12-04 to 2027-02-01, its last 32 days at the new rates.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

interface Row {
  feature?: string;
  p50_cost_usd: number;
  p10_cost_usd: number;
  p90_cost_usd: number;
  what_if_factor: number;
  daily: { p10: number[]; p50: number[]; p90: number[] };
  price_changes: unknown[];
  backtest?: unknown;
  history?: number[];
}
interface Forecast {
  rows: Row[];
  total: Row;
  notes: string[];
}

const FIXTURE = fileURLToPath(new URL('../fixtures/forecast/scheduled-prices.jsonl', import.meta.url));
/** The forecast's days: 2026-12-04 to 2026-12-31 at today's prices (28), 2027-01-01 on at the new ones (32). */
const BEFORE = 28;
const AFTER = 32;
const FLASH = {
  provider: 'google',
  model: 'gemini-3.6-flash',
  rates_before: { input: 0.75, output: 3.75, cache_read: 0.075 },
  rates_after: { input: 1.5, output: 7.5, cache_read: 0.15 },
  discount_percent_before: 0,
  discount_percent_after: 0,
};

describe('forecast: price changes the catalogue has scheduled', () => {
  const dir = tempDir();
  const db = join(dir, 'flash.db');
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:00Z'));
    // 2026-11-24 to 2026-12-03 (10 days: a run rate, the last 7 days' mean), every day:
    // chat: gemini-3.6-flash (google) and gpt-4.1-mini, each 1,000 requests of 1,000,000 input and 100,000 output tokens;
    // search: gpt-4.1-mini alike; assistant: gemini-3.6-flash alike, and $1.125 billed on claude-haiku-4-5 (no tokens);
    // translate: $10.00 billed on vertex gemini-3.6-flash (no tokens).
    const r = await runCli(['import', '--db', db, FIXTURE]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  const forecast = async (args: string[]) => {
    const r = await runCli(['forecast', '--db', db, '--by', 'feature', ...args, '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Forecast;
  };
  const row = (j: Forecast, feature: string) => j.rows.find((x) => x.feature === feature)!;

  it('prices the days from 2027-01-01 at the new rates, each group by its own mix', async () => {
    const j = await forecast(['--horizon', '60']);
    // chat a day: flash 1M × $0.75 + 100k × $3.75 = $1.125, mini 1M × $0.40 + 100k × $1.60 = $0.56:
    // $1.685; from 2027-01-01 flash is $2.25: $2.81 (×2.81 / 1.685 = ×1.667656).
    // 28 × $1.685 + 32 × $2.81 = $47.18 + $89.92 = $137.10.
    const chat = row(j, 'chat');
    expect(chat.daily.p50.slice(BEFORE - 1, BEFORE + 1)).toEqual([1.685, 2.81]);
    expect(chat.daily.p50).toEqual([...Array<number>(BEFORE).fill(1.685), ...Array<number>(AFTER).fill(2.81)]);
    expect([chat.p10_cost_usd, chat.p50_cost_usd, chat.p90_cost_usd]).toEqual([137.1, 137.1, 137.1]);
    expect(chat.what_if_factor).toBe(1);
    expect(chat.price_changes).toEqual([{ from: '2027-01-01', cost_factor: 1.667656, models: [FLASH] }]);
    // assistant a day: flash $1.125 and $1.125 billed on haiku, which has no tokens to re-price
    // and no change: $2.25, then $2.25 + $1.125 = $3.375 (×1.5). 28 × $2.25 + 32 × $3.375 = $63.00 + $108.00 = $171.00.
    const assistant = row(j, 'assistant');
    expect(assistant.daily.p50.slice(BEFORE - 1, BEFORE + 1)).toEqual([2.25, 3.375]);
    expect(assistant.p50_cost_usd).toBe(171);
    expect(assistant.price_changes).toEqual([{ from: '2027-01-01', cost_factor: 1.5, models: [FLASH] }]);
    // search (gpt-4.1-mini only) has no scheduled change: 60 × $0.56 = $33.60, every day alike.
    const search = row(j, 'search');
    expect(search.daily.p50).toEqual(Array<number>(60).fill(0.56));
    expect(search.p50_cost_usd).toBe(33.6);
    expect(search.price_changes).toEqual([]);
    // translate is billed money on vertex gemini-3.6-flash with no tokens: it cannot be
    // re-priced, stays at $10.00 a day (60 × $10.00 = $600.00), and a note says so.
    const translate = row(j, 'translate');
    expect(translate.daily.p50).toEqual(Array<number>(60).fill(10));
    expect(translate.p50_cost_usd).toBe(600);
    expect(translate.price_changes).toEqual([]);
    expect(j.notes).toContain(
      "scheduled prices: translate's spend on gemini-3.6-flash (vertex), all of its last 7 days, is billed money with no token counts, which the model's price change on 2027-01-01 cannot re-price: it stays at today's level",
    );
    // The total: $1.685 + $2.25 + $0.56 + $10.00 = $14.495 a day, then $2.81 + $3.375 + $0.56 + $10.00 = $16.745
    // (×1.155226): 28 × $14.495 + 32 × $16.745 = $405.86 + $535.84 = $941.70, the rows' sum.
    expect(j.total.daily.p50.slice(BEFORE - 1, BEFORE + 1)).toEqual([14.495, 16.745]);
    expect(j.total.p50_cost_usd).toBe(941.7);
    expect(j.total.price_changes).toEqual([{ from: '2027-01-01', cost_factor: 1.155226, models: [FLASH] }]);
  });

  it('a horizon that ends before the change is at today\'s prices throughout, with no changes listed', async () => {
    const j = await forecast(['--horizon', '28']);
    // 28 × $1.685 = $47.18; 28 × $14.495 = $405.86.
    expect(row(j, 'chat')).toMatchObject({ p50_cost_usd: 47.18, price_changes: [] });
    expect(j.total).toMatchObject({ p50_cost_usd: 405.86, price_changes: [] });
    expect(j.notes.some((n) => n.startsWith('scheduled prices'))).toBe(false);
  });

  it('prints a line naming the model, the day, its old → new rates and each group\'s change', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'feature', '--horizon', '60']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Forecast by feature · 2026-12-04 to 2027-02-01 (60 days) · at current prices and scheduled changes\n');
    // assistant +50.0% and chat +66.8% (×1.667656), largest P50 first.
    expect(r.stdout).toContain(
      "price change from 2027-01-01: gemini-3.6-flash (google) input $0.75 → $1.5 · output $3.75 → $7.5 · cache_read $0.075 → $0.15 per 1M tokens; spend per day against today's prices: assistant +50.0%, chat +66.8%\n",
    );
    expect(r.stderr).toContain("warning: scheduled prices: translate's spend on gemini-3.6-flash (vertex)");
  });

  it('the README shows what the example prints', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
    const command = '$ llmfin forecast --db flash.db --horizon 60d';
    const at = readme.indexOf(command);
    expect(at, 'the README shows the example').toBeGreaterThan(0);
    const shown: string[] = [];
    for (let i = at + 1; !readme[i]!.startsWith('```'); i++) shown.push(readme[i]!);
    const r = await runCli(command.slice(2).split(' ').slice(1), { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`.trimEnd().split('\n')).toEqual(shown);
  });

  it('a what-if switch to a model with a scheduled change takes the change too', async () => {
    const j = await forecast(['--horizon', '60', '--model', 'feature=search:gemini-3.6-flash']);
    // search's tokens on flash: $1.125 a day (×1.125 / 0.56 = ×2.0089 today, to 4 places), $2.25 from 2027-01-01:
    // 28 × $1.125 + 32 × $2.25 = $31.50 + $72.00 = $103.50.
    const search = row(j, 'search');
    expect(search.what_if_factor).toBe(2.0089);
    expect(search.daily.p50.slice(BEFORE - 1, BEFORE + 1)).toEqual([1.125, 2.25]);
    expect(search.p50_cost_usd).toBe(103.5);
    expect(search.price_changes).toEqual([{ from: '2027-01-01', cost_factor: 2, models: [FLASH] }]);
  });

  it('a discount in llmfin.yaml that ends inside the horizon is a change too', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  discounts:\n    - { provider: openai, percent: 10, to: 2026-12-20 }\n');
    // Imported with the discount, as it was then: search's gpt-4.1-mini is $0.56 less 10% = $0.504 a day.
    expect((await runCli(['import', '--db', 'discounted.db', FIXTURE], { cwd })).code).toBe(0);
    const r = await runCli(['forecast', '--db', 'discounted.db', '--by', 'feature', '--horizon', '28', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const search = row(JSON.parse(r.stdout) as Forecast, 'search');
    // $0.504 a day until 2026-12-19 (16 days), $0.56 from 2026-12-20 (12 days, ×1 / 0.9 = ×1.111111):
    // 16 × $0.504 + 12 × $0.56 = $8.064 + $6.72 = $14.784 → $14.78.
    expect(search.daily.p50.slice(15, 17)).toEqual([0.504, 0.56]);
    expect(search.p50_cost_usd).toBe(14.78);
    const rates = { input: 0.4, output: 1.6, cache_read: 0.1, web_search: 0.01 };
    expect(search.price_changes).toEqual([
      { from: '2026-12-20', cost_factor: 1.111111, models: [{ provider: 'openai', model: 'gpt-4.1-mini', rates_before: rates, rates_after: rates, discount_percent_before: 10, discount_percent_after: 0 }] },
    ]);
  });
});

describe('forecast --backtest with a scheduled price change in the horizon', () => {
  afterAll(() => {
    vi.useRealTimers();
  });

  it('replays the history at today\'s prices: the backtest is the same whether the horizon reaches the change or not', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:00Z'));
    // 2026-10-16 to 2026-12-03 (49 days) on gemini-3.6-flash, weekdays busier than weekends.
    const rows = Array.from({ length: 49 }, (_, i) => {
      const day = new Date(Date.parse('2026-10-16T12:00:00Z') + i * 86_400_000);
      const busy = day.getUTCDay() % 6 === 0 ? 1 : 3 + (i % 5);
      return { id: `bt-${i}`, source: 'proxy', ts: day.toISOString(), granularity: 'day', provenance: 'metered', provider: 'google', model: 'gemini-3.6-flash', requests: 100 * busy, input_tokens: 100_000 * busy, output_tokens: 10_000 * busy, feature: 'chat' };
    });
    const db = await ledgerOf(rows);
    const run = async (horizon: string) => {
      const r = await runCli(['forecast', '--db', db, '--horizon', horizon, '--backtest', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Forecast;
    };
    const reaches = await run('60');
    const short = await run('14');
    expect(reaches.rows[0]!.price_changes).toHaveLength(1);
    expect(short.rows[0]!.price_changes).toEqual([]);
    expect(reaches.rows[0]!.backtest).not.toBeNull();
    expect(reaches.rows[0]!.backtest).toEqual(short.rows[0]!.backtest);
    expect(reaches.total.backtest).toEqual(short.total.backtest);
    expect(reaches.total.history).toEqual(short.total.history);
    // The first 14 days, before the change, are the same forecast.
    expect(reaches.rows[0]!.daily.p50.slice(0, 14)).toEqual(short.rows[0]!.daily.p50);
  });
});
