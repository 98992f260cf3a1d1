// An invoice's period end is exclusive; a PDF's last billed day typed as the end leaves that
// day in no invoice. The import says so when two of a provider's invoices leave a day between them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const invoice = (number: string, start: string, end: string, amount: string) =>
  `provider: azure\nnumber: ${number}\nperiod: { start: ${start}, end: ${end} }\ncurrency: usd\nlines:\n  - { description: Azure OpenAI usage, amount: "${amount}" }\ntotal: "${amount}"\n`;

describe('llmfin import of invoices whose periods leave a day out', () => {
  it('warns once, naming both invoices, the day and the end to write, whether they come in one file or two', async () => {
    const cwd = tempDir();
    // "Oct 15 – Nov 14" typed as end: 2026-11-14 (exclusive: Nov 13 is its last day), then Nov 15 – Dec 14.
    writeFileSync(join(cwd, 'both.yaml'), `${invoice('AZ-1015', '2026-10-15', '2026-11-14', '372.00')}---\n${invoice('AZ-1115', '2026-11-15', '2026-12-15', '400.00')}`);
    const r = await runCli(['import', 'both.yaml', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('leave out'));
    expect(warnings).toEqual([
      'warning: invoices azure AZ-1015 and AZ-1115 leave out 2026-11-14: an invoice\'s period end is where it stops (exclusive), so 2026-11-14 is in neither, and that day\'s rows count on top of the invoices; if AZ-1015 bills 2026-11-14, write its end as 2026-11-15',
    ]);

    const two = tempDir();
    writeFileSync(join(two, 'oct.yaml'), invoice('AZ-1015', '2026-10-15', '2026-11-14', '372.00'));
    writeFileSync(join(two, 'nov.yaml'), invoice('AZ-1115', '2026-11-15', '2026-12-15', '400.00'));
    expect((await runCli(['import', 'oct.yaml', '--db', 'l.db'], { cwd: two })).stderr).not.toContain('leave out');
    expect((await runCli(['import', 'nov.yaml', '--db', 'l.db'], { cwd: two })).stderr).toContain('invoices azure AZ-1015 and AZ-1115 leave out 2026-11-14');
  });

  it('says nothing when the periods meet (end exclusive, as written right) or are calendar months', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'right.yaml'), `${invoice('AZ-1015', '2026-10-15', '2026-11-15', '372.00')}---\n${invoice('AZ-1115', '2026-11-15', '2026-12-15', '400.00')}`);
    // A calendar month written with its last day (read as that day included) before one starting the 1st.
    writeFileSync(join(cwd, 'months.yaml'), `${invoice('AZ-09', '2026-09-01', '2026-09-30', '10.00')}---\n${invoice('AZ-10', '2026-10-01', '2026-10-15', '10.00')}`);
    const r = await runCli(['import', 'right.yaml', 'months.yaml', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('leave out');
  });
});
