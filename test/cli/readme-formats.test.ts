// The README's "Output" list says what --format csv and markdown print for views that are
// not one table: each claim is checked here on the command it names.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('--format for views that are not one table (README, "Global options, output and exit codes")', () => {
  it('pricing show prints its text with csv and markdown, as with table', async () => {
    const table = await runCli(['pricing', 'show', 'gpt-4o']);
    for (const format of ['csv', 'markdown']) {
      const r = await runCli(['pricing', 'show', 'gpt-4o', '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, format).toBe(table.stdout);
    }
    expect(table.stdout).toMatch(/^gpt-4o — /);
  });

  it('pricing cost prints its text with markdown, and one CSV line with csv', async () => {
    const args = ['pricing', 'cost', '--model', 'gpt-4o', '--input', '2006', '--cache-read', '1920', '--output', '300', '--at', '2026-10-01'];
    const table = await runCli(args);
    const markdown = await runCli([...args, '--format', 'markdown']);
    expect(markdown.stdout).toBe(table.stdout);
    const csv = (await runCli([...args, '--format', 'csv'])).stdout.trimEnd().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(',0.005615,');
  });
});
