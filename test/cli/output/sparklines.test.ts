// `report --chart`: each group's line ends with its total, which must read as the table's.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderSparklines } from '../../../src/cli/output/sparklines.js';

const chalk = new Chalk({ level: 0 });

describe('renderSparklines', () => {
  it('marks a group whose rows have no price as unpriced, not $0.00', () => {
    const rows = [
      { team: 'search', day: '2026-10-01', cost_usd: 2.5, cost_usd_exact: '2.5', unpriced_rows: 0 },
      { team: 'search', day: '2026-10-02', cost_usd: 1, cost_usd_exact: '1', unpriced_rows: 1 },
      { team: 'legal', day: '2026-10-02', cost_usd: 0, cost_usd_exact: '0', unpriced_rows: 1 },
    ];
    const out = renderSparklines(rows, ['team'], 'day', ['search', 'legal'], chalk);
    // search: $2.50 + $1.00 = $3.50 (its unpriced row leaves a priced total); legal: nothing priced.
    expect(out).toBe('\nSpend per day, 2026-10-01 to 2026-10-02\nsearch  █▄  $3.50 (peak $2.50)\nlegal       unpriced\n');
  });

  it('adds the exact amounts, so the total rounds as the table rounds it', () => {
    // $0.70 + $0.10 + $0.005 is exactly $0.805, which the table shows as $0.81 (half up);
    // added as floats it is 0.8049999999999999, which would show as $0.80.
    const rows = ['0.7', '0.1', '0.005'].map((c, i) => ({ team: 't', day: `2026-10-0${i + 1}`, cost_usd: Number(c), cost_usd_exact: c, unpriced_rows: 0 }));
    expect(renderSparklines(rows, ['team'], 'day', ['t'], chalk)).toBe('\nSpend per day, 2026-10-01 to 2026-10-03\nt      █▂▁  $0.81 (peak $0.70)\n');
  });

  it('draws a day with no spend as a blank bar where it fell, not left out of the time axis', () => {
    // $1.00 on Oct 1 and $2.00 on Oct 4: Oct 2 and 3 spent nothing.
    const rows = [
      { team: 't', day: '2026-10-01', cost_usd: 1, cost_usd_exact: '1', unpriced_rows: 0 },
      { team: 't', day: '2026-10-04', cost_usd: 2, cost_usd_exact: '2', unpriced_rows: 0 },
    ];
    expect(renderSparklines(rows, ['team'], 'day', ['t'], chalk)).toBe('\nSpend per day, 2026-10-01 to 2026-10-04\nt      ▅  █  $3.00 (peak $2.00)\n');
  });

  it('steps a weekly axis by weeks, each its Monday', () => {
    const rows = [
      { team: 't', week: '2026-09-28', cost_usd: 1, cost_usd_exact: '1', unpriced_rows: 0 },
      { team: 't', week: '2026-10-12', cost_usd: 1, cost_usd_exact: '1', unpriced_rows: 0 },
    ];
    // The week of 2026-10-05 spent nothing.
    expect(renderSparklines(rows, ['team'], 'week', ['t'], chalk)).toBe('\nSpend per week, 2026-09-28 to 2026-10-12\nt      █ █  $2.00 (peak $1.00)\n');
  });

  it('draws each group once when the report also groups by time, which lists a group once per day', () => {
    // `report --by day,team` has a row per day and team: search on Oct 1 and Oct 2, legal on Oct 2.
    const rows = [
      { team: 'search', day: '2026-10-01', cost_usd: 2, cost_usd_exact: '2', unpriced_rows: 0 },
      { team: 'search', day: '2026-10-02', cost_usd: 1.25, cost_usd_exact: '1.25', unpriced_rows: 0 },
      { team: 'legal', day: '2026-10-02', cost_usd: 0.5, cost_usd_exact: '0.5', unpriced_rows: 0 },
    ];
    const out = renderSparklines(rows, ['team'], 'day', ['search', 'search', 'legal'], chalk);
    // search: $2.00 + $1.25 = $3.25, peak $2.00; legal: $0.50.
    expect(out).toBe('\nSpend per day, 2026-10-01 to 2026-10-02\nsearch  █▅  $3.25 (peak $2.00)\nlegal    █  $0.50 (peak $0.50)\n');
  });
});
