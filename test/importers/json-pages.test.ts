import { describe, expect, it } from 'vitest';
import { parseJsonDocument, resultObjectLines, syntaxErrorOffset } from '../../src/importers/json-document.js';
import { granularityOfSeconds, pageItems, readJsonPages, type CollectBuckets } from '../../src/importers/json-pages.js';
import type { Importer, ImportItem } from '../../src/importers/importer.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openaiUsageImporter } from '../../src/importers/openai-usage/openai-usage-importer.js';
import { openaiCostsImporter } from '../../src/importers/openai-costs/openai-costs-importer.js';
import { anthropicUsageImporter } from '../../src/importers/anthropic-usage/anthropic-usage-importer.js';
import { litellmActivityImporter } from '../../src/importers/litellm-activity/litellm-activity-importer.js';
import { litellmImporter } from '../../src/importers/litellm/litellm-importer.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

interface Bucket {
  results: Array<{ n: number }>;
}

/** A source whose pages are `{"data": [bucket…]}` and whose buckets are `{"results": [...]}`. */
const collect: CollectBuckets<Bucket> = (value, line, out) => {
  if (Array.isArray(value)) {
    for (const v of value) {
      const error = collect(v, line, out);
      if (error) return error;
    }
    return undefined;
  }
  const data = (value as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return 'expected {"data": [...]}';
  for (const bucket of data as Bucket[]) out.push({ line, bucket });
  return undefined;
};

const b = (...ns: number[]) => ({ results: ns.map((n) => ({ n })) });

describe('readJsonPages', () => {
  it('reads one document, an array of pages, or pages one per line, keeping each bucket\'s line', () => {
    expect(readJsonPages('{"data":[{"results":[{"n":1}]},{"results":[{"n":2}]}]}', collect, 'page')).toEqual({
      ok: true,
      buckets: [{ line: 1, bucket: b(1), resultLines: [1] }, { line: 1, bucket: b(2), resultLines: [1] }],
    });
    expect(readJsonPages('[{"data":[{"results":[]}]},{"data":[{"results":[{"n":2}]}]}]', collect, 'page')).toEqual({
      ok: true,
      buckets: [{ line: 1, bucket: b(), resultLines: [] }, { line: 1, bucket: b(2), resultLines: [1] }],
    });
    expect(readJsonPages('{"data":[{"results":[{"n":1}]}]}\n\n{"data":[{"results":[{"n":2},{"n":3}]}]}\n', collect, 'page')).toEqual({
      ok: true,
      buckets: [{ line: 1, bucket: b(1), resultLines: [1] }, { line: 3, bucket: b(2, 3), resultLines: [3, 3] }],
    });
  });

  it('gives each result of a pretty-printed page the line its object starts on', () => {
    const text = JSON.stringify({ data: [b(1, 2), { results: [], note: '"results": [{' }, b(3)] }, null, 1);
    // The lines holding a lone "{" followed by an "n" member: where the three results start.
    const lines = text.split('\n');
    const starts = lines.flatMap((l, i) => (/^\s*\{$/.test(l) && /"n"/.test(lines[i + 1] ?? '') ? [i + 1] : []));
    expect(starts).toHaveLength(3);
    const pages = readJsonPages(text, collect, 'page');
    expect(pages.ok && pages.buckets.map((x) => x.resultLines)).toEqual([[starts[0], starts[1]], [], [starts[2]]]);
  });

  it('finds only objects directly inside "results" arrays, not a string that reads like one', () => {
    expect(resultObjectLines('{"results":\n[\n{"a":{"b":1}},\n{"results":"x"}],\n"other":[{"c":2}],\n"k":"results", "z":[{}]}')).toEqual([3, 4]);
  });

  it('names the line of a page that is not JSON or not a page', () => {
    expect(readJsonPages('{"data":[]}\n{"data":', collect, 'report page')).toEqual({
      // '{"data":' ends at column 8: the mistake is the end of the line, column 9.
      ok: false, line: 2, message: 'not valid JSON at column 9 (expected one report page per line, or one JSON document)',
    });
    expect(readJsonPages('{"data":[]}\n{"rows":[]}', collect, 'page')).toEqual({ ok: false, line: 2, message: 'expected {"data": [...]}' });
    expect(readJsonPages('{"rows":[]}', collect, 'page')).toEqual({ ok: false, line: 1, message: 'expected {"data": [...]}' });
  });
});

describe('a pretty-printed page with a mistake in it', () => {
  const page = JSON.stringify({ data: [b(1, 2)], has_more: false }, null, 2);

  it('names the line of a trailing comma, not line 1', () => {
    // `"has_more": false` is the page's last member; a comma after it is the mistake.
    const lines = page.split('\n');
    const last = lines.findIndex((l) => l.includes('"has_more"'));
    lines[last] += ',';
    // '  "has_more": false,': two spaces and 17 characters, then the comma at column 20.
    expect(readJsonPages(lines.join('\n'), collect, 'API page')).toEqual({
      ok: false, line: last + 1, message: 'expected valid JSON, got a trailing comma before "}" at column 20 (expected one API page per line, or one JSON document)',
    });
  });

  it('names the column of a mistake in a page saved on one line, as an API answers', () => {
    const oneLine = JSON.stringify({ data: [b(1, 2), b(3, 4)], has_more: false });
    const at = oneLine.indexOf(']}]') + 2;
    const r = readJsonPages(`${oneLine.slice(0, at)},${oneLine.slice(at)}`, collect, 'API page');
    expect(r).toEqual({ ok: false, line: 1, message: `expected valid JSON, got a trailing comma before "]" at column ${at + 1} (expected one API page per line, or one JSON document)` });
  });

  it('names the line of any other syntax error in it', () => {
    const lines = page.split('\n');
    const at = lines.findIndex((l) => l.includes('"n": 2'));
    lines[at] = lines[at]!.replace('2', "'2'");
    const r = readJsonPages(lines.join('\n'), collect, 'page');
    expect(r.ok === false && r.line).toBe(at + 1);
  });

  it('syntaxErrorOffset finds the mistake V8 does not place', () => {
    const cases: Array<[string, number]> = [['[1,]', 3], ['{"a":1,}', 7], ['{"a" 1}', 5], ['[1 2]', 3], ['"abc', 4], ['{}x', 2], ['[tru]', 1], ['{"a":[{"b":"c\\"d"}],}', 20], ['[1]', 3]];
    for (const [text, at] of cases) expect([text, syntaxErrorOffset(text)]).toEqual([text, at]);
  });

  it('parseJsonDocument tells a trailing comma in an array too', () => {
    expect(parseJsonDocument('[\n  1,\n  2,\n]')).toEqual({ ok: false, line: 3, message: 'expected valid JSON, got a trailing comma before "]" at column 4' });
    expect(parseJsonDocument('{"a": 1} x')).toEqual({ ok: false, line: 1, message: 'expected valid JSON, got unexpected non-whitespace character at column 10' });
  });
});

describe('pageItems', () => {
  interface Timed {
    day: number;
    results: Array<{ n: number }>;
  }
  const collectTimed: CollectBuckets<Timed> = (value, line, out) => {
    for (const bucket of (value as { data: Timed[] }).data) out.push({ line, bucket });
    return undefined;
  };
  const times = (t: Timed): [Date, Date] => [new Date(Date.UTC(2026, 10, t.day)), new Date(Date.UTC(2026, 10, t.day + 1))];
  const item = (r: { n: number }, t: Timed, line: number): ImportItem =>
    r.n < 0 ? { kind: 'issue', line, column: 'n', message: `negative on day ${t.day}` } : { kind: 'period', period: { from: `n${r.n}`, to: `line${line}` } };

  it('gives the period of every bucket, empty ones too, then one item per result with its line, past a bad one', () => {
    const text = '{"data":[{"day":3,"results":[{"n":1}]},{"day":1,"results":[]}]}\n{"data":[{"day":5,"results":[{"n":-1},{"n":2}]}]}';
    const items = [...pageItems('pages.json', readJsonPages(text, collectTimed, 'page'), times, item)];
    expect(items).toEqual([
      { kind: 'period', period: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-06T00:00:00.000Z' } },
      { kind: 'period', period: { from: 'n1', to: 'line1' } },
      { kind: 'issue', line: 2, column: 'n', message: 'negative on day 5' },
      { kind: 'period', period: { from: 'n2', to: 'line2' } },
    ]);
  });

  it('refuses pages that cannot be read at the line of the mistake, none of their rows read (--skip-invalid could only record an empty batch)', () => {
    const read = () => [...pageItems('pages.json', readJsonPages('{"data":[]}\nnot json', collectTimed, 'page'), times, item)];
    expect(read).toThrow(InputError);
    expect(read).toThrow('pages.json:2: not valid JSON at column 1 (expected one page per line, or one JSON document)');
  });
});

describe('granularityOfSeconds', () => {
  it('maps 1m and 1h buckets to hour, 1d to day, longer to month', () => {
    expect([60, 3600, 3601, 86_400, 86_401, 2_678_400].map(granularityOfSeconds)).toEqual(['hour', 'hour', 'day', 'day', 'month', 'month']);
  });
});

describe('a saved JSON document cut short', () => {
  // Each source's pretty-printed fixture, cut after its 20th line: no good row can be read from it.
  const CUT: Array<[Importer, string]> = [
    [openaiUsageImporter, 'openai-usage/openapi-example-completions.json'],
    [openaiCostsImporter, 'openai-costs/openapi-example-costs.json'],
    [litellmActivityImporter, 'litellm-activity/user-u1-2026-11.json'],
    [litellmImporter, 'litellm/spend-logs-v2-response-2026-10-06.json'],
  ];
  for (const [importer, fixture] of CUT) {
    it(`${importer.id}: is refused at its line with --skip-invalid too, no empty batch recorded`, async () => {
      const text = readFileSync(fileURLToPath(new URL(`../fixtures/importers/${fixture}`, import.meta.url)), 'utf8');
      const file = join(tempDir(), 'cut.json');
      writeFileSync(file, text.split('\n').slice(0, 20).join('\n'));
      const ledger = await freshLedger();
      await expect(importInto(ledger, importer, file, { skipInvalid: true })).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2\\d: `));
      expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
      expect(existsSync(`${file}.rejects.jsonl`)).toBe(false);
      await ledger.close();
    });
  }
});


describe('API pages whose last page says more follow', () => {
  const fixturePath = (path: string) => fileURLToPath(new URL(`../fixtures/importers/${path}`, import.meta.url));

  it("OpenAI's example page (has_more true) imports its rows, and the summary says the export is short of the pages after it", async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiUsageImporter, fixturePath('openai-usage/openapi-example-completions.json'));
    expect(s).toMatchObject({ status: 'imported', rowsImported: 1 });
    expect(s.notes).toEqual([
      'the export is incomplete: its last page (line 1) has "has_more": true and next_page "page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=", and no page after it is in the file; ' +
        'request the same URL again with page=page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=, and each next_page after it until has_more is false, and import those pages too',
    ]);
    await ledger.close();
  });

  it('pages one per line whose last has has_more false are complete, though an earlier one says more follow', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiUsageImporter, fixturePath('openai-usage/usage-2026-10-by-model.jsonl'));
    expect(s.rowsImported).toBe(4);
    expect(s.notes).toEqual([]);
    await ledger.close();
  });

  it('an Anthropic report page saved as the last line of several, has_more true, names its line and token', async () => {
    const page = readFileSync(fixturePath('anthropic-usage/usage-report-2026-10.json'), 'utf8').replace(/\s*\n\s*/g, '');
    const file = join(tempDir(), 'usage-report.jsonl');
    // The same page twice, back to back (the second a re-fetch of the first), the last saying more follow.
    writeFileSync(file, `${page}\n${page.replace('"has_more":false,"next_page":null', '"has_more":true,"next_page":"page_MjAyNi0xMC0wMg=="')}\n`);
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicUsageImporter, file);
    expect(s.notes).toEqual([expect.stringMatching(/^the export is incomplete: its last page \(line 2\) has "has_more": true and next_page "page_MjAyNi0xMC0wMg==", /)]);
    await ledger.close();
  });
});
