/**
 * `forecast --chart`: the last weeks of history as bars and the forecast as a P10–P90
 * band with its P50 line, in plain characters so it reads without colour (NO_COLOR).
 * One column a day, so in a terminal narrower than the chart the history is cut first
 * (to two weeks at least), then the forecast's later days, and the legend says so: a
 * wrapped line would scramble every row.
 */
import type { ChalkInstance } from 'chalk';
import { formatUsd } from '../../shared/money.js';

const HEIGHT = 10;
const HISTORY = 42;
const MIN_HISTORY = 14;
const MIN_FORECAST = 7;

/** `width`: the terminal's columns (undefined when the output is not a terminal: no limit). */
export function renderForecastChart(
  title: string,
  history: readonly number[],
  f: { p10: readonly number[]; p50: readonly number[]; p90: readonly number[] },
  chalk: ChalkInstance,
  start: string | null,
  width?: number,
): string {
  // No history, no forecast: the notes say why, and an empty frame would say nothing.
  if (history.length === 0) return '';
  const max = Math.max(...history.slice(-HISTORY), ...f.p90, 1e-9);
  const top = formatUsd(max);
  let shownPast = Math.min(history.length, HISTORY);
  let shownDays = f.p50.length;
  if (width !== undefined) {
    // Each row: history, "│", forecast, two spaces, the axis label.
    const room = width - 1 - 2 - top.length;
    if (shownPast + shownDays > room) shownPast = Math.max(Math.min(history.length, MIN_HISTORY), room - shownDays);
    if (shownPast + shownDays > room) shownDays = Math.max(MIN_FORECAST, room - shownPast);
  }
  const past = history.slice(-shownPast);
  const level = (v: number) => Math.round((v / max) * HEIGHT);
  const lines: string[] = [];
  for (let row = HEIGHT; row >= 1; row--) {
    let line = '';
    for (const v of past) line += level(v) >= row ? '█' : ' ';
    line += chalk.dim('│');
    for (let h = 0; h < shownDays; h++) {
      const lo = level(f.p10[h]!);
      const hi = level(f.p90[h]!);
      const mid = level(f.p50[h]!);
      line += mid === row ? '●' : row <= hi && row > lo ? '░' : row <= lo ? '▒' : ' ';
    }
    const axis = row === HEIGHT ? top : row === 1 ? formatUsd(max / HEIGHT) : '';
    lines.push(`${line}  ${chalk.dim(axis)}`);
  }
  const indent = ' '.repeat(past.length);
  const cut = shownDays < f.p50.length ? [`(first ${shownDays} of ${f.p50.length} days shown)`] : [];
  const axisNote = wrapParts([`${indent}└`, ...(start ? [`forecast from ${start}`] : []), ...cut], ' ', width, `${indent}  `);
  const legend = wrapParts([`█ last ${past.length === 1 ? 'day' : `${past.length} days`}`, '● P50', '░ P10–P90 band', '▒ below P10', 'per day'], ' · ', width);
  return [
    '',
    ...wrapParts(title.split(' '), ' ', width).map((l) => chalk.bold(l)),
    ...lines,
    ...axisNote.map((l, i) => (i === 0 ? l.replace('└', chalk.dim('└')) : l)),
    ...legend.map((l) => chalk.dim(l)),
    '',
  ].join('\n');
}

/**
 * `parts` joined by `sep` on lines of at most `width` characters (one line when undefined),
 * each line after the first led by `lead` when the part still fits after it: the text
 * around the chart wraps between its words, not wherever the terminal cuts it.
 */
function wrapParts(parts: readonly string[], sep: string, width: number | undefined, lead = ''): string[] {
  const length = (s: string) => [...s].length;
  const lines: string[] = [];
  let line = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    if (width === undefined || length(line) + length(sep) + length(part) <= width) {
      line += sep + part;
    } else {
      lines.push(line);
      line = length(lead) + length(part) <= width ? lead + part : part;
    }
  }
  return [...lines, line];
}
