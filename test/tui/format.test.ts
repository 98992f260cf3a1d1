// Cells of the dashboard: money, counts, rates, sparklines, bars, and the ring of minutes behind the sparklines.
import { describe, expect, it } from 'vitest';
import { barCells, stateLabel } from '../../src/tui/format/budget-bar.js';
import { padEnd, padStart, truncate } from '../../src/tui/format/fit.js';
import { formatCount, formatLatency, formatMoney, formatRate, formatUnitCost } from '../../src/tui/format/format-money.js';
import { ticksToUsd } from '../../src/shared/money.js';
import { foldSeries, sparkline } from '../../src/tui/format/sparkline.js';
import { MinuteSeries } from '../../src/tui/data/minute-series.js';
import { applyKey, initialUiState } from '../../src/tui/top-keys.js';

describe('format', () => {
  it('money', () => {
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(1234567.891)).toBe('$1,234,567.89');
    expect(formatMoney(0.00456)).toBe('$0.00456');
    expect(formatMoney(-12.5)).toBe('-$12.50');
    expect(formatUnitCost(0.0143)).toBe('$0.0143');
    expect(formatUnitCost(0.0000057)).toBe('<$0.0001');
    expect(formatUnitCost(2.5)).toBe('$2.50');
  });

  it('money rounds half up on the exact decimal, as formatUsd does, not on the float', () => {
    // Cents: 1.005 and 2.675 are ties in decimal; as floats they sit just below (toFixed gave $1.00, $2.67).
    expect(formatMoney(1.005)).toBe('$1.01');
    expect(formatMoney(2.675)).toBe('$2.68');
    expect(formatMoney(0.125)).toBe('$0.13');
    expect(formatMoney(-1.005)).toBe('-$1.01');
    // Under a cent, three significant digits: 0.001125 → 0.00113 (toPrecision gave 0.00112), 0.002675 → 0.00268.
    expect(formatMoney(0.001125)).toBe('$0.00113');
    expect(formatMoney(0.002675)).toBe('$0.00268');
    // Unit costs, three significant digits below $1: 0.01005 → 0.0101 (toPrecision gave 0.0100, shown $0.01).
    expect(formatUnitCost(0.01005)).toBe('$0.0101');
    expect(formatUnitCost(0.2675)).toBe('$0.268');
    expect(formatUnitCost(0.000125)).toBe('$0.000125');
    expect(formatUnitCost(1.005)).toBe('$1.01');
  });

  it('ticks are rounded from the ticks, not from a float', () => {
    // 10050000000 ticks = $1.005 exactly → $1.01 (as the float 1.005 it read $1.00).
    expect(formatMoney(ticksToUsd(10_050_000_000n))).toBe('$1.01');
    // 26750000000 ticks = $2.675 → $2.68; 100500000 ticks = $0.01005 a request → $0.0101.
    expect(formatMoney(ticksToUsd(26_750_000_000n))).toBe('$2.68');
    expect(formatUnitCost(ticksToUsd(100_500_000n))).toBe('$0.0101');
    // Past 2^53 ticks ($900,719.93) a float is no longer exact: 9007199254740993 ticks = $900,719.9254740993.
    expect(formatMoney(ticksToUsd(9_007_199_254_740_993n))).toBe('$900,719.93');
    // 12345678905050000000 ticks = $1,234,567,890.505 exactly: a tie at the cent, up (the float is ...890.5049…).
    expect(formatMoney(ticksToUsd(12_345_678_905_050_000_000n))).toBe('$1,234,567,890.51');
  });

  it('counts, rates and latency', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(4_560_000)).toBe('4.56M');
    expect(formatRate(12.54, 'req')).toBe('12.5 req/s');
    expect(formatRate(48_200, 'tok')).toBe('48.2k tok/s');
    expect(formatLatency(null)).toBe('–');
    expect(formatLatency(850.4)).toBe('850ms');
    expect(formatLatency(2400)).toBe('2.4s');
  });

  it('fixed-width cells', () => {
    expect(truncate('claude-sonnet-4-5', 8)).toBe('claude-…');
    expect(padEnd('ab', 4)).toBe('ab  ');
    expect(padStart('ab', 4)).toBe('  ab');
  });

  it('sparklines scale to the peak and fold an hour into fewer cells', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe(' ▁▂▄█');
    expect(sparkline([0, 0, 0], 3)).toBe('   ');
    expect(foldSeries([1, 1, 1, 1, 1, 1], 3)).toEqual([2, 2, 2]);
    expect(sparkline(Array.from({ length: 60 }, (_, i) => i), 20)).toHaveLength(20);
  });

  it('bars fill in proportion and cap at full; states are words', () => {
    expect(barCells(50, 10)).toEqual({ filled: '█████', empty: '░░░░░' });
    expect(barCells(85, 20).filled).toHaveLength(17);
    expect(barCells(120, 10)).toEqual({ filled: '██████████', empty: '' });
    expect([stateLabel('green'), stateLabel('amber'), stateLabel('red')]).toEqual(['OK', 'WARN', 'OVER']);
  });
});

describe('MinuteSeries', () => {
  it('keeps the last N minutes, clears what it passes, ignores what is too old', () => {
    const s = new MinuteSeries(5, 100);
    s.add(100, 1);
    s.add(99, 2);
    s.add(90, 50); // older than the ring
    expect(s.values(100)).toEqual([0, 0, 0, 2, 1]);
    s.add(102, 3);
    expect(s.values(102)).toEqual([0, 2, 1, 0, 3]);
    expect(s.values(110)).toEqual([0, 0, 0, 0, 0]);
    expect(s.total(110)).toBe(0);
  });
});

describe('keys', () => {
  it('typing a filter fast keeps every character; enter applies, esc clears', () => {
    let s = initialUiState('team');
    for (const ch of ['/', 'a', 'b', 'c']) s = applyKey(s, ch, {});
    expect(s.editing).toBe('abc');
    s = applyKey(s, '', { backspace: true });
    s = applyKey(s, '', { return: true });
    expect([s.filter, s.editing]).toEqual(['ab', undefined]);
    s = applyKey(applyKey(s, '/', {}), '', { escape: true });
    expect(s.filter).toBe('');
  });

  it('q quits, also from the help; other keys only close the help', () => {
    const help = applyKey(initialUiState('team'), '?', {});
    expect(applyKey(help, 'g', {})).toMatchObject({ help: false, groupBy: 'team', quit: false });
    expect(applyKey(help, 'q', {}).quit).toBe(true);
    expect(applyKey(initialUiState('model'), 'g', {}).groupBy).toBe('team');
  });
});
