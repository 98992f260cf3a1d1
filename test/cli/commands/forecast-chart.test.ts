// `forecast --chart` fits the terminal it is drawn in, and draws nothing without history.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderForecastChart } from '../../../src/cli/commands/forecast-chart.js';

const chalk = new Chalk({ level: 0 });
const flat = (days: number, value: number) => Array.from({ length: days }, () => value);
const band = (days: number) => ({ p10: flat(days, 8), p50: flat(days, 10), p90: flat(days, 12) });
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('renderForecastChart', () => {
  it('a year ahead in 80 columns: history cut to two weeks, the forecast to what fits, and the legend says how much is shown', () => {
    const text = renderForecastChart('t', flat(90, 10), band(365), chalk, '2026-12-02', 80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    // 80 − "│" − two spaces − "$12.00" (6) = 71 columns: 14 days of history and 57 forecast days.
    expect(text).toContain('█ last 14 days');
    expect(text).toContain('forecast from 2026-12-02 (first 57 of 365 days shown)');
  });

  it('the default 30 days in 80 columns keep the forecast whole and shorten the history', () => {
    const text = renderForecastChart('t', flat(90, 10), band(30), chalk, '2026-12-02', 80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toContain('█ last 41 days');
    expect(text).not.toContain('days shown');
  });

  it('in 40 columns its title, axis note and legend wrap to the width too, not only its rows', () => {
    const text = renderForecastChart('Total spend per day, history and forecast', flat(90, 10), band(30), chalk, '2026-11-01', 40);
    expect(widest(text)).toBeLessThanOrEqual(40);
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['', 'Total spend per day, history and', 'forecast']);
    // 40 − "│" − two spaces − "$12.00" (6) = 31 columns: 14 days of history and 17 forecast days.
    expect(lines.slice(-5)).toEqual([
      `${' '.repeat(14)}└ forecast from 2026-11-01`,
      '(first 17 of 30 days shown)',
      '█ last 14 days · ● P50 · ░ P10–P90 band',
      '▒ below P10 · per day',
      '',
    ]);
  });

  it('one day of history is "last day", not "last 1 days"', () => {
    expect(renderForecastChart('t', [10], band(30), chalk, '2026-11-01')).toContain('█ last day · ● P50');
  });

  it('with no width (output piped to a file) it draws six weeks and every forecast day', () => {
    const text = renderForecastChart('t', flat(90, 10), band(365), chalk, '2026-12-02');
    expect(text).toContain('█ last 42 days');
    expect(widest(text)).toBe(42 + 1 + 365 + 2 + '$12.00'.length);
  });

  it('with no history it draws nothing', () => {
    expect(renderForecastChart('t', [], band(30), chalk, null, 80)).toBe('');
  });
});

describe('forecast --chart with another --format', () => {
  it('is refused with exit 2 naming the option, before the ledger is read', async () => {
    const { runCli, tempDir } = await import('../../helpers/cli.js');
    const { join } = await import('node:path');
    for (const format of ['json', 'csv', 'markdown']) {
      const r = await runCli(['forecast', '--db', join(tempDir(), 'none.db'), '--chart', '--format', format]);
      expect(r.code, format).toBe(2);
      expect(r.stdout, format).toBe('');
      expect(r.stderr, format).toContain(`--chart: draws under the table, not with --format ${format}`);
    }
  });
});
