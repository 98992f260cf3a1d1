// The README's tour shows real output. Every example it runs on the demo ledger
// (`$ llmfin … --db demo.db`) is run here on a fresh demo ledger, and every `pricing cost`,
// `list` and `show` on the bundled catalogue and `route explain "…"` on its example policy,
// and each must print what the README shows, so a change to a command's output cannot leave the docs telling another story.
// README conventions honoured: a line "…" stands for lines left out (each run of lines
// between two "…" must appear in the output, in order); "(long lines cut here)" on the
// command line means each shown line is the start of the printed one; `$ cat llmfin.yaml`
// in the same block, or else a ```yaml block just before it in the same section, is the
// config the command ran with.
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Example {
  /** README line number of the command (1-based). */
  line: number;
  command: string;
  argv: string[];
  shown: string[];
  cut: boolean;
  config: string | undefined;
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');

/** Shell-like words: double-quoted strings kept whole. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

function examples(): Example[] {
  const found: Example[] = [];
  let fence: 'none' | 'plain' | 'yaml' = 'none';
  let yaml: string[] = [];
  let sectionYaml: string | undefined;
  let blockConfig: string | undefined;
  for (let i = 0; i < README.length; i++) {
    const line = README[i]!;
    if (line.startsWith('#')) sectionYaml = undefined;
    if (line.startsWith('```')) {
      if (fence === 'none') {
        fence = line.startsWith('```yaml') ? 'yaml' : 'plain';
        yaml = [];
        blockConfig = undefined;
      } else {
        if (fence === 'yaml') sectionYaml = `${yaml.join('\n')}\n`;
        fence = 'none';
      }
      continue;
    }
    if (fence === 'yaml') yaml.push(line);
    if (fence !== 'plain') continue;
    if (line === '$ cat llmfin.yaml') {
      const body: string[] = [];
      while (!README[i + 1]!.startsWith('$ ') && !README[i + 1]!.startsWith('```')) body.push(README[++i]!);
      blockConfig = `${body.join('\n')}\n`;
      continue;
    }
    // Examples on the demo ledger, and the catalogue's, which need no ledger at all.
    if (!line.startsWith('$ llmfin ') || !(line.includes('--db demo.db') || /^\$ llmfin (pricing (cost|list|show) |route explain ")/.test(line))) continue;
    const cut = line.includes('(long lines cut here)');
    const command = line.slice(2).replace(/\s+\(long lines cut here\)$/, '').replace(/\s+#.*$/, '');
    const at = i + 1;
    const shown: string[] = [];
    while (!README[i + 1]!.startsWith('$ ') && !README[i + 1]!.startsWith('```')) shown.push(README[++i]!);
    found.push({ line: at, command, argv: words(command).slice(1), shown, cut, config: blockConfig ?? sectionYaml });
  }
  return found;
}

/** The catalogue's examples price at "now" unless told otherwise: the moment is not what they show. */
function undated(line: string): string {
  return line.replace(/ · at \d{4}-\d\d-\d\dT[\d:.]+Z · /, ' · at NOW · ').replace(/ · prices at \d{4}-\d\d-\d\d$/, ' · prices at TODAY');
}

/** Where `shown` (with its "…" gaps) is in `printed`, or the first run of shown lines that is not. */
function missing(shown: string[], printed: string[], cut: boolean): string[] | undefined {
  const same = (a: string, b: string) => (cut ? b.trimEnd().startsWith(a.trimEnd()) : a.trimEnd() === b.trimEnd());
  const runs: string[][] = [[]];
  for (const l of shown) {
    if (l.trim() === '…') runs.push([]);
    else runs.at(-1)!.push(l);
  }
  let from = 0;
  for (const run of runs) {
    if (run.length === 0) continue;
    let at = -1;
    for (let p = from; p + run.length <= printed.length && at < 0; p++) if (run.every((l, k) => same(l, printed[p + k]!))) at = p;
    if (at < 0) return run;
    from = at + run.length;
  }
  return undefined;
}

describe('the README tour', () => {
  const dir = tempDir();
  const all = examples();
  beforeAll(async () => {
    const r = await runCli(['demo', '--db', 'demo.db'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('finds the tour\'s examples on the demo ledger', () => {
    // demo, report ×2, attribute, budget status, forecast, anomalies, insights at least.
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all.map((e) => e.argv[0])).toEqual(expect.arrayContaining(['demo', 'report', 'attribute', 'budget', 'forecast', 'anomalies', 'insights']));
  });

  for (const example of all) {
    it(`README line ${example.line}: ${example.command}`, async () => {
      const config = join(dir, 'llmfin.yaml');
      rmSync(config, { force: true });
      if (example.config !== undefined) writeFileSync(config, example.config);
      // demo on a ledger that has it already adds nothing: its own example shows the first run.
      const cwd = example.argv[0] === 'demo' ? tempDir() : dir;
      const r = await runCli(example.argv, { cwd });
      // An example may show a refusal (an unknown model): the README shows its message, not its code.
      if (!example.shown.some((l) => l.includes('error:'))) expect(r.code, r.stderr).toBe(0);
      const printed = `${r.stdout}${r.stderr}`.replaceAll(cwd, '/home/you').split('\n').map(undated);
      expect(missing(example.shown.map(undated), printed, example.cut), `README line ${example.line} shows lines that \`${example.command}\` does not print:\n${r.stdout}`).toBeUndefined();
    }, 60_000);
  }
});

// The demo shows the sample company's budgets; the README gives them as llmfin.yaml, and with
// that file `budget status` on the demo ledger must print the demo's budget table.
describe('the README\'s sample budgets', () => {
  it('budget status --at 2026-10-24 with them prints the table the demo shows', async () => {
    const intro = README.findIndex((l) => l.startsWith('The sample budgets are the demo\'s own'));
    expect(intro, 'the README gives the demo\'s budgets').toBeGreaterThan(0);
    const open = README.findIndex((l, i) => i > intro && l === '```yaml');
    const close = README.findIndex((l, i) => i > open && l === '```');
    const title = README.findIndex((l) => l.startsWith('Budgets on 2026-10-24, a week before October ends'));
    const table = README.slice(title + 1, README.findIndex((l, i) => i > title && l === ''));
    expect(table.length, 'a header and the five budgets').toBe(6);
    const dir = tempDir();
    expect((await runCli(['demo', '--db', 'demo.db'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), `${README.slice(open + 1, close).join('\n')}\n`);
    const r = await runCli(['budget', 'status', '--db', 'demo.db', '--at', '2026-10-24'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(missing(table, r.stdout.split('\n'), false), r.stdout).toBeUndefined();
  }, 120_000);
});

// The JSON of `pricing cost` the README shows is what the command it names prints, key for key.
describe('the README\'s pricing cost JSON', () => {
  it('is the output of the command named before it', async () => {
    const prose = README.findIndex((l) => l.startsWith('`llmfin pricing cost --model gpt-4o ') && l.includes('--format json`'));
    expect(prose, 'the README names the command').toBeGreaterThan(0);
    const open = README.findIndex((l, i) => i > prose && l === '```json');
    const close = README.findIndex((l, i) => i > open && l === '```');
    const argv = words(README[prose]!.slice(1, README[prose]!.indexOf('`', 1))).slice(1);
    const r = await runCli(argv);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(README.slice(open + 1, close).join('\n'))).toEqual(JSON.parse(r.stdout));
  });
});

// The report section's example runs on the four-layer month of
// test/fixtures/reports/layers-2026-10/ (not the demo ledger), and so do the reconcile and
// re-pricing examples that point back to it: the README must show what each prints for it,
// its figures and its notes alike.
describe('the README examples on the four-layer month', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));
  /** The lines the README shows after `command`, up to the next command or the end of its block. */
  function shownAfter(command: string): { line: number; shown: string[] } {
    const at = README.findIndex((l) => l === command || l.startsWith(`${command}  `));
    const shown: string[] = [];
    for (let i = at + 1; at >= 0 && !README[i]!.startsWith('```') && !README[i]!.startsWith('$ '); i++) shown.push(README[i]!);
    return { line: at + 1, shown };
  }
  const cases: Array<{ command: string; argv: string[]; config?: string }> = [
    { command: '$ llmfin report --by team --month 2026-10 --explain', argv: ['report', '--by', 'team', '--month', '2026-10', '--explain'] },
    { command: '$ llmfin reconcile --month 2026-10', argv: ['reconcile', '--month', '2026-10'] },
    // The example's 10% discount: $143.20 of llmfin-priced rows (usage $89.20 + metered $54.00) × 0.9 = $128.88.
    { command: '$ llmfin pricing reprice --dry-run', argv: ['pricing', 'reprice', '--dry-run'], config: 'pricing:\n  discounts:\n    - { provider: openai, percent: 10 }\n' },
  ];
  const dir = tempDir();
  beforeAll(async () => {
    const imported = await runCli(['import', '--db', 'layers.db', ...['invoice.yaml', 'costs.json', 'usage.json', 'proxy.jsonl'].map(fixture)], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
  }, 60_000);

  for (const example of cases) {
    it(example.command, async () => {
      const { line, shown } = shownAfter(example.command);
      expect(line, `the README shows \`${example.command}\``).toBeGreaterThan(0);
      expect(shown.length).toBeGreaterThan(0);
      const config = join(dir, 'llmfin.yaml');
      rmSync(config, { force: true });
      if (example.config !== undefined) writeFileSync(config, example.config);
      const r = await runCli([...example.argv, '--db', 'layers.db'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const printed = `${r.stdout}${r.stderr}`.split('\n');
      expect(missing(shown, printed, false), `README line ${line} shows lines \`${example.command}\` does not print:\n${r.stdout}${r.stderr}`).toBeUndefined();
    }, 60_000);
  }
});
