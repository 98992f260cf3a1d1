// Per-series method selection (select-method.ts): the combination unless Theta or the damped
// trend beat it by 15% (seasonal naive by 50%) over at least four of the last eight weekly
// origins, scored only on days before the forecast origin; the bands are then the chosen
// method's own.
import { describe, expect, it } from 'vitest';
import { backtestSeries, cachedForecastFrom, summariseBacktest } from '../../src/forecast/backtest.js';
import { bandsFromErrors, relativeErrors, type ForecastFrom } from '../../src/forecast/forecast-intervals.js';
import { defaultForecastFrom, forecastSeries } from '../../src/forecast/forecast-series.js';
import { chooseMethod, methodForecastFrom, selectMethod } from '../../src/forecast/select-method.js';

/** $100 a weekday and half that at weekends, growing $2 a day: the median of four weekdays lags two weeks behind. */
const WEEK = [1, 1, 1, 1, 1, 0.5, 0.5];
const growing = (n: number) => Array.from({ length: n }, (_, i) => (100 + 2 * i) * WEEK[i % 7]!);

/** A flat weekly series with ±30% noise (seeded LCG): no trend for Theta to carry. */
function noisy(n: number): number[] {
  let x = 12345;
  const r = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, (_, i) => 100 * WEEK[i % 7]! * (0.7 + 0.6 * r()));
}

describe('selectMethod', () => {
  it('chooses Theta on a steadily growing series, where the combination lags', () => {
    const v = growing(70);
    const s = selectMethod(v, defaultForecastFrom(v));
    // Origins 63, 56, 49, 42, 35, 28: six weeks scored.
    expect(s.origins).toBe(6);
    expect(s.method).toBe('theta');
    expect(s.mase.theta).toBeLessThan(0.85 * s.mase.combination);
  });

  it('chooses seasonal naive when the weekly shape changed: $100 weekdays and $10 weekends, then $10 Mondays and Tuesdays', () => {
    // Weeks 1–7 (days 0–48) peak Monday to Friday; from day 49 the two quiet days are the first two of each week.
    const before = [100, 100, 100, 100, 100, 10, 10];
    const after = [10, 10, 100, 100, 100, 100, 100];
    const v = Array.from({ length: 84 }, (_, i) => (i < 49 ? before : after)[i % 7]!);
    const s = selectMethod(v, defaultForecastFrom(v));
    // Origins 77, 70, 63, 56 are scored; 49 and before repeat exactly week on week (no MASE scale).
    expect(s.origins).toBe(4);
    expect(s.mase['seasonal-naive']).toBe(0);
    expect(s.method).toBe('seasonal-naive');
    // The next week is the last one again: $10 + $10 + 5 × $100 = $520.
    const f = forecastSeries(v, 7);
    expect(f.method).toBe('seasonal-naive');
    expect([...f.p50]).toEqual([10, 10, 100, 100, 100, 100, 100]);
    expect(f.p50.reduce((a, b) => a + b, 0)).toBe(520);
  });

  it('keeps the combination on a flat noisy series, where it does best', () => {
    const v = noisy(70);
    const s = selectMethod(v, defaultForecastFrom(v));
    expect(s.origins).toBe(6);
    expect(s.method).toBe('combination');
    expect(s.mase.combination).toBeLessThan(s.mase.theta);
  });

  it('keeps the combination with fewer than four origins, however far ahead another method is', () => {
    // 55 days: origins 48, 41, 34 only (27 is before day 28).
    const v = growing(55);
    const s = selectMethod(v, defaultForecastFrom(v));
    expect(s.origins).toBe(3);
    expect(s.mase.theta).toBeLessThan(0.5 * s.mase.combination);
    expect(s.method).toBe('combination');
  });

  it('keeps the combination on a tie: a candidate must be 15% better to be chosen', () => {
    const v = growing(70);
    // A "combination" that forecasts exactly what Theta does: equal errors, no switch.
    const s = selectMethod(v, methodForecastFrom(v, 'theta'));
    expect(s.mase.combination).toBe(s.mase.theta);
    expect(s.method).toBe('combination');
  });

  it('never reads a day at or after its origin: every past forecast it asks for ends before it', () => {
    const v = growing(70);
    const asked: Array<[number, number]> = [];
    const inner = defaultForecastFrom(v);
    const spy: ForecastFrom = (t, steps) => {
      asked.push([t, steps]);
      return inner(t, steps);
    };
    selectMethod(v, spy);
    expect(asked.length).toBe(6);
    for (const [t, steps] of asked) expect(t + steps).toBeLessThanOrEqual(70);
    // The days after the origin change nothing: the first 70 days of a longer series select the same.
    const longer = [...v, 5000, 0, 5000, 0, 5000, 0, 5000];
    expect(selectMethod(longer.slice(0, 70), defaultForecastFrom(longer))).toEqual(selectMethod(v, defaultForecastFrom(v)));
  });
});

describe('chooseMethod, the rule', () => {
  const scores = (o: Partial<Record<'theta' | 'damped-trend' | 'seasonal-naive', number>>) => ({ combination: 1, theta: 0.9, 'damped-trend': 0.95, 'seasonal-naive': 0.6, ...o });
  it('keeps the combination when no candidate leads it by its margin: Theta 10% < 15%, seasonal naive 40% < 50%', () => {
    expect(chooseMethod(scores({}), 8)).toBe('combination');
  });
  it('takes Theta or the damped trend at a 15% lead, seasonal naive only at 50%', () => {
    expect(chooseMethod(scores({ theta: 0.85 }), 8)).toBe('theta');
    expect(chooseMethod(scores({ 'damped-trend': 0.8 }), 8)).toBe('damped-trend');
    expect(chooseMethod(scores({ 'seasonal-naive': 0.5 }), 8)).toBe('seasonal-naive');
  });
  it('takes the lowest of the candidates that qualify', () => {
    expect(chooseMethod(scores({ theta: 0.7, 'damped-trend': 0.8, 'seasonal-naive': 0.4 }), 8)).toBe('seasonal-naive');
    expect(chooseMethod(scores({ theta: 0.45, 'seasonal-naive': 0.5 }), 8)).toBe('theta');
  });
  it('keeps the combination below four origins, however far ahead a candidate is', () => {
    expect(chooseMethod(scores({ theta: 0.1 }), 3)).toBe('combination');
    expect(chooseMethod(scores({ theta: 0.1 }), 4)).toBe('theta');
  });
  it('keeps the combination with no scores at all (NaN)', () => {
    expect(chooseMethod({ combination: NaN, theta: NaN, 'damped-trend': NaN, 'seasonal-naive': NaN }, 0)).toBe('combination');
  });
});

describe('forecastSeries with a selected method', () => {
  it("gives the chosen method's P50 and bands calibrated on that method's errors", () => {
    const v = growing(70);
    const f = forecastSeries(v, 14);
    expect(f.method).toBe('theta');
    expect(f.basis).toBe('combination');
    const theta = methodForecastFrom(v, 'theta');
    expect([...f.p50]).toEqual([...theta(70, 14)]);
    const bands = bandsFromErrors(theta(70, 14), relativeErrors(v, 14, theta), 70);
    expect([...f.p10]).toEqual([...bands.p10]);
    expect([...f.p90]).toEqual([...bands.p90]);
  });

  it('keeps the combination and its bands when nothing beat it', () => {
    const v = noisy(70);
    const f = forecastSeries(v, 14);
    expect(f.method).toBe('combination');
    const comb = defaultForecastFrom(v);
    expect([...f.p50]).toEqual([...comb(70, 14)]);
    expect([...f.p10]).toEqual([...bandsFromErrors(comb(70, 14), relativeErrors(v, 14, comb), 70).p10]);
  });
});

describe('the backtest of a selecting forecaster', () => {
  it('scores what was shown at each origin, and the combination alone beside it', () => {
    const v = growing(98);
    const sums = backtestSeries(v, 7, { forecastFrom: cachedForecastFrom(v, 7) });
    const s = summariseBacktest(sums, 7);
    // Origins 28..91: from 56 on, four weeks back are scored and Theta is chosen.
    expect(s.origins).toBe(10);
    expect(s.mase.forecast).toBeLessThan(s.mase.combination);
    expect(s.relative_mase).toBe(s.mase.forecast / s.mase['seasonal-naive']);
  });
});
