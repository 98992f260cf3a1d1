/**
 * `forecast --chart`: the last weeks of history as bars and the forecast as a P10–P90
 * band with its P50 line, in plain characters so it reads without colour (NO_COLOR).
 */
import type { ChalkInstance } from 'chalk';
import { formatUsd } from '../../shared/money.js';

const HEIGHT = 10;
const HISTORY = 42;

export function renderForecastChart(title: string, history: readonly number[], f: { p10: readonly number[]; p50: readonly number[]; p90: readonly number[] }, chalk: ChalkInstance, start: string | null): string {
  const past = history.slice(-HISTORY);
  const max = Math.max(...past, ...f.p90, 1e-9);
  const level = (v: number) => Math.round((v / max) * HEIGHT);
  const lines: string[] = [];
  for (let row = HEIGHT; row >= 1; row--) {
    let line = '';
    for (const v of past) line += level(v) >= row ? '█' : ' ';
    line += chalk.dim('│');
    for (let h = 0; h < f.p50.length; h++) {
      const lo = level(f.p10[h]!);
      const hi = level(f.p90[h]!);
      const mid = level(f.p50[h]!);
      line += mid === row ? '●' : row <= hi && row > lo ? '░' : row <= lo ? '▒' : ' ';
    }
    const axis = row === HEIGHT ? formatUsd(max) : row === 1 ? formatUsd(max / HEIGHT) : '';
    lines.push(`${line}  ${chalk.dim(axis)}`);
  }
  const legend = `${' '.repeat(past.length)}${chalk.dim('└')} ${start ? `forecast from ${start}` : ''}`;
  return `\n${chalk.bold(title)}\n${lines.join('\n')}\n${legend}\n${chalk.dim(`█ last ${past.length} days · ● P50 · ░ P10–P90 band · ▒ below P10 · per day`)}\n`;
}
