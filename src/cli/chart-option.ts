/** `--chart` (report, forecast): drawn under the table, so refused with another `--format`. */
import { UsageError } from '../shared/errors.js';
import type { OutputFormat } from './cli-context.js';

/** In JSON, CSV or Markdown the chart would be left out without a word: exit 2 instead. */
export function assertChartWithTable(chart: boolean | undefined, format: OutputFormat): void {
  if (chart && format !== 'table') {
    throw new UsageError(`--chart: draws under the table, not with --format ${format}`, { option: '--chart', hint: 'drop --chart, or drop --format (the table is the default)' });
  }
}
