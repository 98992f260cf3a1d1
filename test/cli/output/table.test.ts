// The text table lines its columns up by what the terminal shows: a cell coloured with ANSI
// escape codes (budget status's bar and state) is as wide as its visible text.
import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText, type Table } from '../../../src/cli/output/table.js';

describe('renderText', () => {
  const table: Table = {
    columns: [
      { key: 'name', header: 'NAME' },
      { key: 'bar', header: '' },
      { key: 'used', header: 'USED', align: 'right' },
      { key: 'state', header: 'STATE' },
      { key: 'end', header: 'END', align: 'right' },
    ],
    rows: [],
  };

  it('pads a coloured cell to its visible width, so the header and every row line up', () => {
    const chalk = new Chalk({ level: 1 });
    const t: Table = {
      ...table,
      rows: [
        { name: 'growth', bar: chalk.red('████') + '░', used: '116.0%', state: chalk.red('red'), end: '$128.69' },
        // An empty bar has no colour at all: chalk returns '' for ''.
        { name: 'org', bar: chalk.green('') + '░░░░░', used: '0.0%', state: chalk.green('green'), end: '$6.80' },
      ],
    };
    const shown = renderText(t, chalk).trimEnd().split('\n').map(stripVTControlCharacters);
    expect(shown).toEqual([
      'NAME             USED  STATE      END',
      'growth  ████░  116.0%  red    $128.69',
      'org     ░░░░░    0.0%  green    $6.80',
    ]);
  });

  it('lays out plain text as before', () => {
    const chalk = new Chalk({ level: 0 });
    const t: Table = { ...table, rows: [{ name: 'a', bar: '██', used: '1%', state: 'ok', end: '$1' }] };
    expect(renderText(t, chalk)).toBe('NAME      USED  STATE  END\na     ██    1%  ok      $1\n');
  });
});

// A ledger value may hold a line break or a tab (a customer name typed into a proxy header or
// a CSV cell): printed raw, it would end the table's row halfway and push the rest of the
// row under the next one; in Markdown it would end the table.
describe('a value with a line break', () => {
  const t: Table = {
    columns: [
      { key: 'customer', header: 'CUSTOMER' },
      { key: 'cost', header: 'COST', align: 'right' },
    ],
    rows: [
      { customer: '@at\nnewline', cost: '$0.03' },
      { customer: 'tab\there\r\n', cost: '$0.02' },
      { customer: 'a|b', cost: '$0.01' },
    ],
  };

  it('stays on its row in the text table, written as \\n', () => {
    expect(renderText(t, new Chalk({ level: 0 }))).toBe(
      ['CUSTOMER        COST', '@at\\nnewline   $0.03', 'tab\\there\\r\\n  $0.02', 'a|b            $0.01', ''].join('\n'),
    );
  });

  it('stays in its cell in Markdown', () => {
    expect(renderMarkdown(t)).toBe(
      ['| CUSTOMER | COST |', '|---|---:|', '| @at\\nnewline | $0.03 |', '| tab\\there\\r\\n | $0.02 |', '| a\\|b | $0.01 |', ''].join('\n'),
    );
  });
});
