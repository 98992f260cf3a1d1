/** The keys, shown by `?` in place of the current view. */
import { Box } from 'ink';
import { Line } from './Line.js';
import { Paint } from './Paint.js';
import { SectionTitle } from './SectionTitle.js';

export const KEYS: ReadonlyArray<[string, string]> = [
  ['q', 'quit (also ctrl-c)'],
  ['tab / → , shift-tab / ←', 'next / previous view'],
  ['1 … 5', 'go to a view: overview, budgets, groups, requests, flags'],
  ['g', 'group by the next dimension: team, agent, feature, customer, model'],
  ['p', 'pause the display (data keeps being read; p again resumes)'],
  ['/', 'filter groups, requests and flags by text; enter keeps it, esc clears'],
  ['?', 'this help; any key closes it'],
];

export function HelpPanel() {
  return (
    <Box flexDirection="column">
      <SectionTitle title="Keys" />
      {KEYS.map(([key, what]) => (
        <Line key={key}>
          {'  '}
          <Paint bold>{key.padEnd(26)}</Paint>
          {what}
        </Line>
      ))}
      <Line> </Line>
      <Line>
        <Paint dim>Budget states: OK below the soft limit (default 80%), WARN from it, OVER at or past 100%.</Paint>
      </Line>
      <Line>
        <Paint dim>Budget projections are those of llmfin budget status, computed again every minute.</Paint>
      </Line>
      <Line>
        <Paint dim>A request's cost marked ~ rests on estimated usage (a stream cut mid-way, a response without usage).</Paint>
      </Line>
      <Line>
        <Paint dim>Spend follows the default basis at start (as llmfin report), then adds each new row's cost.</Paint>
      </Line>
    </Box>
  );
}
