// `pricing show` on a model whose price changes later: gemini-3.6-flash's rates double on
// 2027-01-01 (input $0.75 → $1.50, output $3.75 → $7.50, cache read $0.075 → $0.15 per 1M).
// Each period says whether it has ended, is the one priced today, or is scheduled, as
// `forecast` names the change ("price change from 2027-01-01"); the JSON says it per period.
import { describe, expect, it } from 'vitest';
import { textAndJsonOn } from '../../helpers/text-and-json-on.js';
import { runCli } from '../../helpers/cli.js';

interface Period {
  from: string | null;
  to: string | null;
  status: string;
  rates: Record<string, string>;
}
interface Shown {
  selected_offering: string;
  model: { offerings: Array<{ scope: string; periods: Period[] }> };
}

const show = (today: string) => textAndJsonOn<Shown>(today, ['pricing', 'show', 'gemini-3.6-flash']);

describe('pricing show: a model\'s price periods before and after a scheduled change', () => {
  it('labels the period in effect today current and the one starting later scheduled, not "→ now"', async () => {
    const { text, json } = await show('2026-12-04T10:00:00Z');
    // Before: "2027-01-01 → now", as if the new price applied today.
    expect(text).not.toContain('→ now');
    expect(text).toContain('    start → 2027-01-01 (current)   USD/1M: input 0.75 · output 3.75 · cache_read 0.075\n');
    expect(text).toContain('    from 2027-01-01 (scheduled)   USD/1M: input 1.5 · output 7.5 · cache_read 0.15\n');
    const [offering] = json.model.offerings;
    expect(offering!.periods.map((p) => [p.from, p.to, p.status, p.rates.input])).toEqual([
      [null, '2027-01-01', 'current', '0.75'],
      ['2027-01-01', null, 'scheduled', '1.5'],
    ]);
  });

  it('labels the earlier period ended once the change has come, and the new one current', async () => {
    // The first instant of the new period: [from, to) as prices are found.
    const { text, json } = await show('2027-01-01T00:00:00Z');
    expect(text).toContain('    start → 2027-01-01 (ended)   USD/1M: input 0.75 · output 3.75 · cache_read 0.075\n');
    // An open end is no end "now": the period runs on from its day.
    expect(text).not.toContain('→ now');
    expect(text).toContain('    from 2027-01-01 (current)   USD/1M: input 1.5 · output 7.5 · cache_read 0.15\n');
    expect(json.model.offerings[0]!.periods.map((p) => p.status)).toEqual(['ended', 'current']);
  });
});

describe('pricing show --help', () => {
  it('says what the period marks mean', async () => {
    const r = await runCli(['pricing', 'show', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('Each price period is marked ended, current (the one prices are found in today) or scheduled (it starts later: `forecast` counts a price change from its day).');
  });
});
