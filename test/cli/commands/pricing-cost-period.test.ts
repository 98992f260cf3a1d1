// `pricing cost` names the price period it used as `pricing show` does: ended, current
// (the one prices are found in today) or scheduled, with an open end read "from …", never
// "→ now". gemini-3.6-flash doubles on 2027-01-01 (input $0.75 → $1.50, output $3.75 →
// $7.50 per 1M); gpt-4o has one period with no dates at all.
import { describe, expect, it } from 'vitest';
import { textAndJsonOn } from '../../helpers/text-and-json-on.js';
import { runCli } from '../../helpers/cli.js';

interface Cost {
  cost_usd_exact: string;
  price_period: { from: string | null; to: string | null; status: string };
}

const cost = (today: string, args: string[]) => textAndJsonOn<Cost>(today, ['pricing', 'cost', ...args]);

describe('pricing cost: the price period it used', () => {
  it('a period with no dates, in effect today, is "from start (current)" (was "start → now")', async () => {
    const { text, json } = await cost('2026-12-04T10:00:00Z', ['--model', 'gpt-4o', '--input', '1000', '--output', '100']);
    expect(text).not.toContain('→ now');
    expect(text).toContain('  price period from start (current) · at 2026-12-04T10:00:00.000Z · ');
    // 1,000 × $2.50/1M + 100 × $10/1M = $0.0025 + $0.001
    expect(json.cost_usd_exact).toBe('0.0035');
    expect(json.price_period).toMatchObject({ from: null, to: null, status: 'current' });
  });

  it('a later price asked for with --at is the scheduled period, not "2027-01-01 → now"', async () => {
    const { text, json } = await cost('2026-12-04T10:00:00Z', ['--model', 'gemini-3.6-flash', '--input', '1000', '--output', '100', '--at', '2027-02-01']);
    expect(text).toContain('  price period from 2027-01-01 (scheduled) · at 2027-02-01T00:00:00.000Z · ');
    // 1,000 × $1.50/1M + 100 × $7.50/1M = $0.0015 + $0.00075
    expect(json.cost_usd_exact).toBe('0.00225');
    expect(json.price_period).toMatchObject({ from: '2027-01-01', to: null, status: 'scheduled' });
  });

  it('today\'s price before the change is current, and ended once the change has come', async () => {
    const before = await cost('2026-12-04T10:00:00Z', ['--model', 'gemini-3.6-flash', '--input', '1000', '--output', '100']);
    expect(before.text).toContain('  price period start → 2027-01-01 (current) · at 2026-12-04T10:00:00.000Z · ');
    expect(before.json.price_period).toMatchObject({ from: null, to: '2027-01-01', status: 'current' });
    // 1,000 × $0.75/1M + 100 × $3.75/1M = $0.00075 + $0.000375
    expect(before.json.cost_usd_exact).toBe('0.001125');

    const after = await cost('2027-01-01T00:00:00Z', ['--model', 'gemini-3.6-flash', '--input', '1000', '--output', '100', '--at', '2026-12-31T23:59:59Z']);
    expect(after.text).toContain('  price period start → 2027-01-01 (ended) · at 2026-12-31T23:59:59.000Z · ');
    expect(after.json.price_period.status).toBe('ended');
  });
});

describe('pricing cost --help', () => {
  it('says what the period marks mean', async () => {
    const r = await runCli(['pricing', 'cost', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('The price period used is marked as `pricing show` marks it: ended, current (the one prices are found in today) or scheduled (it starts later).');
  });
});
