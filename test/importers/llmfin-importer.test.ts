import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { invoiceImporter } from '../../src/importers/invoice/invoice-importer.js';
import { readSample } from '../../src/importers/source-input.js';
import { TEXT_LIMIT } from '../../src/importers/rejects-file.js';
import { openLedger } from '../../src/ledger/index.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { gzipSync } from 'node:zlib';

const row = (o: Record<string, unknown>) => JSON.stringify({ ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', ...o });
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('llmfin JSONL importer', () => {
  it('prices rows in the ledger convention (input includes cache) and is idempotent', async () => {
    const dir = tempDir();
    const file = join(dir, 'usage.jsonl');
    // gpt-4o: 86×2.5 + 1,920×1.25 + 300×10 = $0.005615; claude-sonnet-4-5 in the ledger convention:
    // input 12,307 = 3 uncached + 12,304 cache write → 3×3 + 12,304×3.75 + 550×15 = $0.054399
    writeFileSync(
      file,
      [
        row({ id: 'a', input_tokens: 2006, cache_read_tokens: 1920, output_tokens: 300, team: 'search' }),
        row({ id: 'b', provider: 'anthropic', model: 'claude-sonnet-4-5', input_tokens: 12307, cache_write_5m_tokens: 12304, output_tokens: 550 }),
      ].join('\r\n'),
    );
    const ledger = await freshLedger();
    const first = await importInto(ledger, llmfinImporter, file);
    expect(first).toMatchObject({ status: 'imported', rowsRead: 2, rowsImported: 2, unpricedModels: [], costUsd: '0.060014' });
    expect((await ledgerTotals(ledger)).cost_usd).toBe('0.060014');
    const entry = await ledger.db.selectFrom('usage_entries').selectAll().where('dedupe_key', '=', 'b').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ uncached_input_tokens: 3, cache_write_5m_tokens: 12304, input_tokens: 12307, cost_usd: '0.054399', cost_status: 'priced', matched_model: 'claude-sonnet-4-5', charge_category: 'usage' });

    const again = await importInto(ledger, llmfinImporter, file);
    expect(again.status).toBe('already-imported');
    expect((await ledgerTotals(ledger)).rows).toBe(2);
    await ledger.close();
  });

  it('a line with a trailing comma is refused at its line and column', async () => {
    const file = join(tempDir(), 'usage.jsonl');
    const good = row({ id: 'a', input_tokens: 10 });
    // The second line's object closes after a comma: the "}" the comma stands before is the mistake.
    const bad = `${row({ id: 'b', input_tokens: 10 }).slice(0, -1)},}`;
    writeFileSync(file, `${good}\n${bad}\n`);
    const ledger = await freshLedger();
    const e = await importInto(ledger, llmfinImporter, file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe(`${file}:2: not valid JSON at column ${bad.length}`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    await ledger.close();
  });

  it('reads gzip transparently', async () => {
    const dir = tempDir();
    const file = join(dir, 'usage.jsonl.gz');
    writeFileSync(file, gzipSync(`\ufeff${row({ id: 'g', input_tokens: 1_000_000 })}\n`));
    expect(llmfinImporter.detect(readSample(file, file))).toEqual({ ok: true });
    const ledger = await freshLedger();
    expect((await importInto(ledger, llmfinImporter, file)).costUsd).toBe('2.5');
    await ledger.close();
  });

  it('a billed row keeps the provider money and llmfin estimate side by side', async () => {
    const dir = tempDir();
    const file = join(dir, 'b.jsonl');
    writeFileSync(file, row({ id: 'x', provenance: 'billed', input_tokens: 1_000_000, cost_usd: '2.4' }));
    const ledger = await freshLedger();
    await importInto(ledger, llmfinImporter, file);
    const e = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(e).toMatchObject({ cost_usd: '2.4', cost_status: 'billed', estimated_cost_usd: '2.5', reported_cost_usd: '2.4' });
    await ledger.close();
  });

  it('a billed row without its amount is refused, in JSONL and CSV, rather than billed at llmfin\'s estimate or $0', async () => {
    const dir = tempDir();
    const jsonl = join(dir, 'b.jsonl');
    writeFileSync(jsonl, [row({ id: 'ok', provenance: 'billed', cost_usd: '1.5' }), row({ id: 'x', provenance: 'billed', input_tokens: 1000 })].join('\n'));
    const csv = join(dir, 'b.csv');
    writeFileSync(csv, 'id,ts,provider,model,provenance,input_tokens,cost_usd\nok,2026-10-01T10:00:00Z,openai,gpt-4o,billed,0,1.5\nx,2026-10-01T10:00:00Z,openai,gpt-4o,billed,1000,\n');
    // The second row of each: line 2 of the JSONL, line 3 of the CSV (under its header).
    for (const [file, line] of [[jsonl, 2], [csv, 3]] as const) {
      const ledger = await freshLedger();
      const error = await importInto(ledger, llmfinImporter, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(`${file}:${line}: cost_usd: expected the amount billed: a billed row carries its cost_usd (leave provenance out for usage llmfin prices)`);
      expect((await ledgerTotals(ledger)).rows).toBe(0);
      await ledger.close();
    }
  });

  it('a row in another currency is refused, in JSONL and CSV, rather than its amount summed as dollars; "usd" is USD', async () => {
    const dir = tempDir();
    const ledger = await freshLedger();
    const jsonl = join(dir, 'eur.jsonl');
    writeFileSync(jsonl, `${row({ id: 'e1', provenance: 'billed', cost_usd: '100', currency: 'usd' })}\n${row({ id: 'e2', provenance: 'billed', cost_usd: '100', currency: 'EUR' })}\n`);
    const expected = 'currency: expected USD (cost_usd is in US dollars: convert amounts before importing them), got "EUR"';
    await expect(importInto(ledger, llmfinImporter, jsonl)).rejects.toThrow(`${jsonl}:2: ${expected}`);
    const csv = join(dir, 'eur.csv');
    writeFileSync(csv, 'id,ts,provider,model,input_tokens,provenance,cost_usd,currency\nc1,2026-10-01T10:00:00Z,openai,gpt-4o,1000,billed,100,USD\nc2,2026-10-01T10:00:00Z,openai,gpt-4o,1000,billed,100,EUR\n');
    await expect(importInto(ledger, llmfinImporter, csv)).rejects.toThrow(`${csv}:3: ${expected}`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    // Both files without their EUR row: $100 + $100, each labelled USD.
    writeFileSync(jsonl, `${row({ id: 'e1', provenance: 'billed', cost_usd: '100', currency: 'usd' })}\n`);
    writeFileSync(csv, 'id,ts,provider,model,input_tokens,provenance,cost_usd,currency\nc1,2026-10-01T10:00:00Z,openai,gpt-4o,1000,billed,100,USD\n');
    await importInto(ledger, llmfinImporter, jsonl);
    await importInto(ledger, llmfinImporter, csv);
    expect((await ledgerTotals(ledger)).cost_usd).toBe('200');
    expect((await ledger.db.selectFrom('usage_entries').select('currency').execute()).map((r) => r.currency)).toEqual(['USD', 'USD']);
    await ledger.close();
  });

  it('keeps an unknown model as an unpriced row with the reason, never $0', async () => {
    const dir = tempDir();
    const file = join(dir, 'u.jsonl');
    writeFileSync(file, row({ model: 'gpt-9-imaginary', input_tokens: 10, output_tokens: 5 }));
    const ledger = await freshLedger();
    expect((await importInto(ledger, llmfinImporter, file)).unpricedModels).toEqual(['openai/gpt-9-imaginary']);
    const e = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(e.cost_status).toBe('unpriced');
    expect(e.cost_usd).toBeNull();
    expect(e.description).toMatch(/gpt-9-imaginary/);
    expect((await ledgerTotals(ledger)).unpriced_rows).toBe(1);
    await ledger.close();
  });

  it('a malformed row names file, line and column, and imports nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, [row({ id: 'ok', input_tokens: 1 }), row({ id: 'bad', input_tokens: -4 }), '{not json'].join('\n'));
    const dbPath = join(dir, 'l.db');
    await (await openLedger(dbPath)).close();
    const before = sha(dbPath);
    const ledger = await openLedger(dbPath);
    const error = await importInto(ledger, llmfinImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:2: input_tokens: expected a whole number >= 0, got -4`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
    await ledger.close();
    expect(sha(dbPath)).toBe(before);
  });

  it('a row without requests counts one request when it is a request, none when it is a day\'s aggregate (JSONL and CSV)', async () => {
    const dir = tempDir();
    const jsonl = join(dir, 'counts.jsonl');
    writeFileSync(jsonl, [
      row({ id: 'req', input_tokens: 10 }),
      row({ id: 'day', granularity: 'day', provenance: 'billed', cost_usd: '12.5' }),
      row({ id: 'day-counted', granularity: 'day', provenance: 'billed', cost_usd: '3', requests: 40 }),
    ].join('\n'));
    const csv = join(dir, 'counts.csv');
    writeFileSync(csv, 'id,ts,provider,model,input_tokens,granularity,provenance,cost_usd,requests\nc-req,2026-10-01T10:00:00Z,openai,gpt-4o,10,request,metered,,\nc-day,2026-10-01T00:00:00Z,openai,gpt-4o,0,day,billed,7.25,\n');
    const ledger = await freshLedger();
    await importInto(ledger, llmfinImporter, jsonl);
    await importInto(ledger, llmfinImporter, csv);
    const got = await ledger.db.selectFrom('usage_entries').select(['dedupe_key', 'requests']).orderBy('dedupe_key').execute();
    expect(got.map((r) => [r.dedupe_key, r.requests])).toEqual([['c-day', 0], ['c-req', 1], ['day', 0], ['day-counted', 40], ['req', 1]]);
    await ledger.close();
  });

  it('--skip-invalid imports the good rows and writes the bad ones with reasons', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, [row({ id: 'ok', input_tokens: 1_000_000 }), row({ id: 'bad', input_tokens: 'many' }), '{not json'].join('\n'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, llmfinImporter, file, { skipInvalid: true });
    expect(s).toMatchObject({ rowsImported: 1, rowsRejected: 2, rowsRead: 3, costUsd: '2.5' });
    const rejects = readFileSync(s.rejectsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; text: string });
    expect(rejects.map((r) => r.line)).toEqual([2, 3]);
    // Each with its line's text, to fix it from the rejects file alone.
    expect(rejects.map((r) => r.text)).toEqual([row({ id: 'bad', input_tokens: 'many' }), '{not json']);
    await ledger.close();
  });

  it('--skip-invalid past 10,000 rejects still writes every one, without the texts (constant memory)', async () => {
    const dir = tempDir();
    const file = join(dir, 'many-bad.jsonl');
    const n = TEXT_LIMIT + 5;
    writeFileSync(file, `${row({ id: 'ok', input_tokens: 1_000_000 })}\n${Array.from({ length: n }, () => '{not json').join('\n')}\n`);
    const ledger = await freshLedger();
    const s = await importInto(ledger, llmfinImporter, file, { skipInvalid: true });
    expect(s).toMatchObject({ rowsImported: 1, rowsRejected: n });
    const rejects = readFileSync(s.rejectsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; text: string | null });
    expect(rejects).toHaveLength(n);
    expect(rejects.map((r) => r.line)).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    expect(rejects.every((r) => r.text === null)).toBe(true);
    await ledger.close();
  });
});

describe('llmfin CSV', () => {
  it('reads the same rows from CSV as from JSONL', async () => {
    const dir = tempDir();
    const file = join(dir, 'usage.csv');
    writeFileSync(
      file,
      [
        '\ufeffid,ts,provider,model,input_tokens,cache_read_tokens,output_tokens,team,tags',
        'a,2026-10-01T10:00:00Z,openai,gpt-4o,2006,1920,300,search,"{""env"":""prod""}"',
        'b,2026-10-01T11:00:00Z,anthropic,claude-sonnet-4-5,12307,,550,,',
      ].join('\r\n'),
    );
    expect(llmfinImporter.detect(readSample(file, file))).toEqual({ ok: true });
    const ledger = await freshLedger();
    // a: $0.005615; b in the ledger convention, no cache: 12,307×3 + 550×15 = 45,171 per 1M
    const s = await importInto(ledger, llmfinImporter, file);
    expect(s).toMatchObject({ rowsImported: 2, costUsd: '0.050786' });
    const a = await ledger.db.selectFrom('usage_entries').selectAll().where('dedupe_key', '=', 'a').executeTakeFirstOrThrow();
    expect(a).toMatchObject({ team: 'search', tags: '{"env":"prod"}', cache_read_tokens: 1920 });
    await ledger.close();
  });

  it('prices web_search_requests per search, from JSONL and from CSV', async () => {
    const dir = tempDir();
    const jsonl = join(dir, 'searches.jsonl');
    writeFileSync(jsonl, `${row({ id: 's', provider: 'anthropic', model: 'claude-sonnet-4-5', input_tokens: 41000, output_tokens: 6200, web_search_requests: 3 })}\n`);
    const csv = join(dir, 'searches.csv');
    // A CSV row the fast check vouches for (llmfin-csv-row.ts), so that path prices it too.
    writeFileSync(csv, 'id,ts,provider,model,input_tokens,output_tokens,web_search_requests\nc,2026-10-01T10:00:00Z,anthropic,claude-sonnet-4-5,41000,6200,3\n');
    for (const file of [jsonl, csv]) {
      const ledger = await freshLedger();
      // 41,000 × $3/1M + 6,200 × $15/1M + 3 × $0.01 = 0.123 + 0.093 + 0.03
      expect(await importInto(ledger, llmfinImporter, file)).toMatchObject({ rowsImported: 1, costUsd: '0.246' });
      const e = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
      expect(e).toMatchObject({ web_search_requests: 3, cost_usd: '0.246' });
      // Every field of an llmfin row has its column, so no raw JSON restates them.
      expect(e.raw_usage).toBeNull();
      await ledger.close();
    }
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${row({ web_search_requests: 1.5 })}\n`);
    const ledger = await freshLedger();
    await expect(importInto(ledger, llmfinImporter, bad)).rejects.toThrow(/bad\.jsonl:1: web_search_requests/);
    await ledger.close();
  });

  it('prices the audio and image parts of the input and output counts at their own rates, from JSONL and from CSV', async () => {
    const dir = tempDir();
    const fields = { input_tokens: 1_000_000, input_audio_tokens: 400_000, output_tokens: 100_000, output_audio_tokens: 50_000 };
    const jsonl = join(dir, 'realtime.jsonl');
    writeFileSync(jsonl, `${row({ id: 'r', model: 'gpt-4o-realtime-preview', ...fields })}\n`);
    const csv = join(dir, 'realtime.csv');
    writeFileSync(csv, `id,ts,provider,model,${Object.keys(fields).join(',')}\nc,2026-10-01T10:00:00Z,openai,gpt-4o-realtime-preview,${Object.values(fields).join(',')}\n`);
    for (const file of [jsonl, csv]) {
      const ledger = await freshLedger();
      // gpt-4o-realtime-preview, USD/1M: input 5, input_audio 40, output 20, output_audio 80.
      // 600,000 × 5 + 400,000 × 40 + 50,000 × 20 + 50,000 × 80 = 3 + 16 + 1 + 4 = $24, not $7 as text.
      expect(await importInto(ledger, llmfinImporter, file)).toMatchObject({ rowsImported: 1, costUsd: '24' });
      const e = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
      expect(e).toMatchObject({ input_tokens: 1_000_000, uncached_input_tokens: 600_000, input_audio_tokens: 400_000, output_tokens: 100_000, output_audio_tokens: 50_000, cost_usd: '24' });
      await ledger.close();
    }
  });

  it('says what each field expects and what the row has, in the format\'s words rather than the validator\'s', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ts: 'yesterday' }, 'ts: expected an ISO 8601 time with a zone, such as 2026-10-01T12:00:00Z, got "yesterday"'],
      [{ ts: undefined }, 'ts: expected an ISO 8601 time with a zone, such as 2026-10-01T12:00:00Z, got nothing'],
      [{ input_tokens: 1.5 }, 'input_tokens: expected a whole number, got 1.5'],
      [{ provenance: 'billed', cost_usd: '1,5' }, 'cost_usd: expected a decimal amount in USD such as 12.5 ("." for decimals, no thousands separators), got "1,5"'],
      [{ provenance: 'bill' }, 'provenance: expected one of billed, provider_usage, metered, got "bill"'],
      [{ tags: { cost_center: 7 } }, 'tags.cost_center: expected an object of text values, such as {"cost_center": "cc-7"}, got 7'],
      [{ team: '' }, 'team: expected a non-empty text (leave the field out instead), got ""'],
      [{ cost_centre: 'cc-7' }, 'cost_centre: unknown field "cost_centre": expected the fields of llmfin\'s format (README, "llmfin\'s own format"; custom tags go in "tags")'],
    ];
    const dir = tempDir();
    for (const [i, [fields, message]] of cases.entries()) {
      const file = join(dir, `bad-${i}.jsonl`);
      writeFileSync(file, [row({ id: 'ok' }), row({ id: 'x', ...fields })].join('\n'));
      const ledger = await freshLedger();
      await expect(importInto(ledger, llmfinImporter, file)).rejects.toThrow(`${file}:2: ${message}`);
      await ledger.close();
    }
  });

  it('a number too large for a double is named as such, not as the null JSON would show for it', async () => {
    const file = join(tempDir(), 'huge.jsonl');
    writeFileSync(file, '{"id":"a","ts":"2026-10-05T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1e400}\n');
    const ledger = await freshLedger();
    await expect(importInto(ledger, llmfinImporter, file)).rejects.toThrow(`${file}:1: input_tokens: expected a whole number, got a number too large (Infinity)`);
    await ledger.close();
  });

  it('a header with a column the format does not have is refused at line 1, naming it and the known ones, --skip-invalid or not', async () => {
    const file = join(tempDir(), 'usage.csv');
    writeFileSync(file, 'id,ts,provider,model,input_tokens,colour\nr1,2026-10-01T10:00:00Z,openai,gpt-4o,12,red\nr2,2026-10-01T11:00:00Z,openai,gpt-4o,12,blue\n');
    for (const skipInvalid of [false, true]) {
      const ledger = await freshLedger();
      const error = await importInto(ledger, llmfinImporter, file, { skipInvalid }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      const message = (error as InputError).message;
      expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: colour: unknown column "colour": expected the columns of llmfin's format \\(id, ts, ts_end, `));
      expect(message).toContain(', prompt_hash; custom tags go in "tags", as a JSON object)');
      expect((error as InputError).hint).toBe('nothing was imported from this file: every row has that column, so --skip-invalid cannot help; rename it to a field of the format or drop it (a label of your own goes in "tags"), then import the file again');
      expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
      await ledger.close();
    }
  });

  it('a non-numeric token cell is named by line and column', async () => {
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, 'ts,provider,model,input_tokens\n2026-10-01T10:00:00Z,openai,gpt-4o,12\n2026-10-01T10:00:00Z,openai,gpt-4o,lots\n');
    const ledger = await freshLedger();
    await expect(importInto(ledger, llmfinImporter, file)).rejects.toThrow(`${file}:3: input_tokens: expected a whole number, got "lots"`);
    await ledger.close();
  });

  it('an invoice YAML forced on it is named as YAML at line 1, with the source that reads it, not as bad CSV further down', async () => {
    const file = join(tempDir(), 'invoices.yaml');
    writeFileSync(
      file,
      'provider: openai\nnumber: INV-1\nperiod: { start: 2026-10-01, end: 2026-11-01 }\ncurrency: usd\nlines:\n  - { description: API usage, amount: "10.00" }\ntotal: "10.00"\n',
    );
    for (const skipInvalid of [false, true]) {
      const ledger = await freshLedger();
      const error = await importInto(ledger, [llmfinImporter, invoiceImporter], file, { source: 'llmfin', skipInvalid }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(2);
      expect((error as InputError).message).toBe(`${file}:1: expected a JSON object per line, or a CSV header with ts, provider, model, got "provider: openai", a YAML document`);
      expect((error as InputError).hint).toMatch(/detection takes it as invoice: drop --source to import it as that$/);
      expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
      await ledger.close();
    }
  });
});
