// Large imports write SQLite on a second thread (record-in-writer-thread.ts). The compiled
// CLI is run with the writer forced onto the thread and kept inline: the ledger
// must come out the same, and a bad row must still leave it untouched (needs `npm run build`).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type * as WriterThreadModule from '../../src/importers/record-in-writer-thread.js';
import type * as FileShaModule from '../../src/importers/file-sha256.js';
import { tempDir } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../bin/llmfin', import.meta.url));
const FOCUS = fileURLToPath(new URL('../fixtures/importers/focus/focus-1.2-ai-2026-10.csv', import.meta.url));
const INVOICE = fileURLToPath(new URL('../fixtures/importers/invoice/openai-enterprise-2026-10.yaml', import.meta.url));
const OTEL = fileURLToPath(new URL('../fixtures/importers/otel/genai-traces-2026-10-04.jsonl', import.meta.url));
const CLAUDE = fileURLToPath(new URL('../fixtures/importers/claude-code/claude-session.jsonl', import.meta.url));

function cli(cwd: string, writer: 'thread' | 'inline', args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, HOME: cwd, NO_COLOR: '1', LLMFIN_IMPORT_WRITER: writer } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every entry and invoice column that does not depend on when the import ran. */
function contents(db: string): unknown {
  const d = new Database(db, { readonly: true });
  try {
    const entries = d.prepare('select * from usage_entries order by source, dedupe_key').all() as Array<Record<string, unknown>>;
    const invoices = d.prepare('select provider, number, total_usd, batch_id from invoices order by provider, number').all();
    const batches = d.prepare('select id, source, file_hash, file_size, rows_read, rows_imported, rows_skipped, rows_replaced from import_batches order by id').all();
    // And how SQLite stored each value (a number bound as REAL where it was INTEGER would compare equal above).
    const columns = (d.prepare('select name from pragma_table_info(?)').all('usage_entries') as Array<{ name: string }>).map((c) => c.name);
    const types = d.prepare(`select ${columns.map((c) => `group_concat(distinct typeof("${c}")) as "${c}"`).join(', ')} from usage_entries`).get();
    return { entries: entries.map(({ id: _id, created_at: _c, ...rest }) => rest), types, invoices, batches };
  } finally {
    d.close();
  }
}

function csv(rows: number, bad?: number, prefix = 'r'): string {
  const lines = ['id,ts,provider,model,input_tokens,cache_read_tokens,output_tokens,team,tags'];
  for (let i = 0; i < rows; i++) {
    const tokens = i === bad ? 'lots' : String(1000 + i);
    lines.push(`${prefix}${i},${new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString()},openai,gpt-4o,${tokens},${i % 100},${i % 300},t${i % 3},${i % 5 === 0 ? '"{""env"":""prod""}"' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('the import writer thread', () => {
  it('is used for files of 4 MB and more unless LLMFIN_IMPORT_WRITER=inline; =thread forces it', async () => {
    const mod = (await import(new URL('../../dist/importers/record-in-writer-thread.js', import.meta.url).href)) as typeof WriterThreadModule;
    const big = mod.WRITER_THREAD_MIN_BYTES;
    expect(big).toBe(4 * 1024 * 1024);
    expect(mod.writerThreadAvailable('/tmp/ledger.db', big, {})).toBe(true);
    expect(mod.writerThreadAvailable('/tmp/ledger.db', big - 1, {})).toBe(false);
    expect(mod.writerThreadAvailable('/tmp/ledger.db', 10, { LLMFIN_IMPORT_WRITER: 'thread' })).toBe(true);
    expect(mod.writerThreadAvailable('/tmp/ledger.db', big * 10, { LLMFIN_IMPORT_WRITER: 'inline' })).toBe(false);
    expect(mod.writerThreadAvailable(':memory:', big * 10, { LLMFIN_IMPORT_WRITER: 'thread' })).toBe(false);
  });

  it('records the same ledger as one thread: plain rows, a replaced FOCUS period, an invoice, an agent span replaced by its calls', () => {
    const results = (['thread', 'inline'] as const).map((writer) => {
      const cwd = tempDir();
      writeFileSync(join(cwd, 'usage.csv'), csv(3000));
      copyFileSync(FOCUS, join(cwd, 'focus.csv'));
      // The same FOCUS period again with one row fewer: the sweep removes it.
      writeFileSync(join(cwd, 'focus-2.csv'), csvWithout(FOCUS, 3));
      copyFileSync(INVOICE, join(cwd, 'invoice.yaml'));
      // An agent's total span (the JSONL's last line) before its model calls (its first line): the calls replace it.
      const spans = readFileSync(OTEL, 'utf8').trimEnd().split('\n');
      writeFileSync(join(cwd, 'agent.jsonl'), `${spans[2]}\n`);
      writeFileSync(join(cwd, 'calls.jsonl'), `${spans[0]}\n`);
      const db = join(cwd, 'ledger.db');
      for (const file of ['usage.csv', 'focus.csv', 'focus-2.csv', 'invoice.yaml', 'agent.jsonl', 'calls.jsonl']) expect(cli(cwd, writer, ['import', file, '--db', db]), `${writer} ${file}`).toMatchObject({ code: 0 });
      return contents(db);
    });
    expect(results[0]).toEqual(results[1]);
    const batches = (results[0] as { batches: Array<{ rows_replaced: number }> }).batches;
    expect(batches[2]!.rows_replaced).toBeGreaterThan(0);
    expect(batches[5]!.rows_replaced).toBe(1);
  }, 60_000);

  it('carries --account onto the rows and the batch, and names the batch a replacing import replaced, as one thread does', () => {
    const chat = fileURLToPath(new URL('../fixtures/importers/anthropic-csv/claude_api_cost_2026-10-01_2026-10-02-org-chat.csv', import.meta.url));
    const search = fileURLToPath(new URL('../fixtures/importers/anthropic-csv/claude_api_cost_2026-10-01_2026-10-02-org-search.csv', import.meta.url));
    const cwd = tempDir();
    for (const writer of ['thread', 'inline'] as const) {
      const named = join(cwd, `named-${writer}.db`);
      expect(cli(cwd, writer, ['import', chat, '--account', 'acme-chat', '--db', named]).code).toBe(0);
      expect(cli(cwd, writer, ['import', search, '--account', 'acme-search', '--db', named]).code).toBe(0);
      const d = new Database(named, { readonly: true });
      // $72.75 and $21.35 at 1e10 ticks a dollar, nothing replaced.
      expect(d.prepare('select account, count(*) as n, sum(cost_ticks) as ticks from usage_entries group by account order by account').all()).toEqual([
        { account: 'acme-chat/cost:Default', n: 4, ticks: 727_500_000_000 },
        { account: 'acme-search/cost:Default', n: 3, ticks: 213_500_000_000 },
      ]);
      expect(d.prepare('select id, account, rows_replaced from import_batches order by id').all()).toEqual([{ id: 1, account: 'acme-chat', rows_replaced: 0 }, { id: 2, account: 'acme-search', rows_replaced: 0 }]);
      d.close();
      const unnamed = join(cwd, `unnamed-${writer}.db`);
      expect(cli(cwd, writer, ['import', chat, '--db', unnamed]).code).toBe(0);
      const r = spawnSync(process.execPath, [BIN, 'import', search, '--db', unnamed], { cwd, encoding: 'utf8', env: { ...process.env, HOME: cwd, NO_COLOR: '1', LLMFIN_IMPORT_WRITER: writer } });
      expect(r.stdout, writer).toContain(`  replaced 4 rows of batch #1 from ${chat} as an earlier version of this export;`);
    }
  });

  it('replaces the period an API export states (its empty buckets too), as one thread does', () => {
    const million = { uncached_input_tokens: 1_000_000, output_tokens: 0, workspace_id: 'ws1', model: 'claude-sonnet-4-5-20250929' };
    const bucket = (from: string, to: string, results: unknown[]) => ({ starting_at: from, ending_at: to, results });
    const cwd = tempDir();
    writeFileSync(join(cwd, 'daily.json'), JSON.stringify({ data: [bucket('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', [million])] }));
    // Oct 1 again, hourly: its first and last hours had no usage (a file of 01:00-02:00
    // alone would not speak for the daily row's other hours, and is refused).
    const hourly = [bucket('2026-10-01T00:00:00Z', '2026-10-01T01:00:00Z', []), bucket('2026-10-01T01:00:00Z', '2026-10-01T02:00:00Z', [million]), bucket('2026-10-01T23:00:00Z', '2026-10-02T00:00:00Z', [])];
    writeFileSync(join(cwd, 'hourly.json'), JSON.stringify({ data: hourly }));
    for (const writer of ['thread', 'inline'] as const) {
      const db = join(cwd, `${writer}.db`);
      for (const file of ['daily.json', 'hourly.json']) expect(cli(cwd, writer, ['import', file, '--db', db]).code).toBe(0);
      const d = new Database(db, { readonly: true });
      // $3 (1M input tokens at $3/1M), once: the daily row is replaced.
      expect(d.prepare('select count(*) as n, sum(cost_ticks) as ticks from usage_entries').get(), writer).toEqual({ n: 1, ticks: 30_000_000_000 });
      d.close();
    }
  });

  it('records each file\'s sha256, made beside the rows when no earlier import had its size; the same bytes again are already imported, other bytes of that size are not', () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    const sha = (file: string) => createHash('sha256').update(readFileSync(join(cwd, file))).digest('hex');
    writeFileSync(join(cwd, 'a.csv'), csv(3000));
    // The same size, other bytes: its size was seen, so it is hashed before its rows.
    writeFileSync(join(cwd, 'b.csv'), csv(3000, undefined, 's'));
    expect(readFileSync(join(cwd, 'b.csv')).length).toBe(readFileSync(join(cwd, 'a.csv')).length);
    for (const file of ['a.csv', 'b.csv']) expect(cli(cwd, 'thread', ['import', file, '--db', db]).code).toBe(0);
    const again = cli(cwd, 'thread', ['import', 'a.csv', '--db', db]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('a.csv (llmfin): already imported, nothing changed');
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('select file_name, file_hash, rows_imported from import_batches order by id').all()).toEqual([
        { file_name: 'a.csv', file_hash: sha('a.csv'), rows_imported: 3000 },
        { file_name: 'b.csv', file_hash: sha('b.csv'), rows_imported: 3000 },
      ]);
    } finally {
      d.close();
    }
  }, 60_000);

  it('the hash thread reports a file it cannot read as its error', async () => {
    const mod = (await import(new URL('../../dist/importers/file-sha256.js', import.meta.url).href)) as typeof FileShaModule;
    const cwd = tempDir();
    writeFileSync(join(cwd, 'x.csv'), 'hello\n');
    expect(mod.hashThreadAvailable()).toBe(true);
    await expect(mod.fileSha256InThread(join(cwd, 'x.csv'))).resolves.toBe(createHash('sha256').update('hello\n').digest('hex'));
    await expect(mod.fileSha256InThread(join(cwd, 'gone.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the overlap guard refuses a file of 4 MB and more as it does a small one: exit 2, the ledger unchanged, at both ends of a day', async () => {
    const mod = (await import(new URL('../../dist/importers/record-in-writer-thread.js', import.meta.url).href)) as typeof WriterThreadModule;
    const DAILY = fileURLToPath(new URL('../fixtures/importers/overlap/anthropic-2026-10-01-02-daily-by-model.json', import.meta.url));
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    // The size alone sends these files to the writer thread: LLMFIN_IMPORT_WRITER is left unset.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: cwd, NO_COLOR: '1' };
    delete env.LLMFIN_IMPORT_WRITER;
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--db', db], { cwd, encoding: 'utf8', env });
    // Two hours of Oct 1, hourly, 8,000 API keys an hour (group_by=api_key_id): the daily
    // export's Oct 1 row ($0.60 of its $1.80) covers these hours and more.
    const result = (k: number) => ({ uncached_input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, server_tool_use: null, model: 'claude-sonnet-4-5-20250929', service_tier: 'standard', context_window: '0-200k', api_key_id: `apikey_${k}` });
    const hours = (first: number) => ({
      data: [first, first + 1].map((h) => ({ starting_at: `2026-10-01T${String(h).padStart(2, '0')}:00:00Z`, ending_at: `2026-10-01T${String(h + 1).padStart(2, '0')}:00:00Z`, results: Array.from({ length: 8000 }, (_, k) => result(k)) })),
      has_more: false,
      next_page: null,
    });
    writeFileSync(join(cwd, 'hourly-00-02.json'), JSON.stringify(hours(0)));
    writeFileSync(join(cwd, 'hourly-12-14.json'), JSON.stringify(hours(12)));
    expect(run(['import', DAILY]).status).toBe(0);
    const before = contents(db);
    for (const [file, reach] of [['hourly-00-02.json', "start inside this file's period and end after it"], ['hourly-12-14.json', "start before this file's period and reach into it"]] as const) {
      const bytes = readFileSync(join(cwd, file)).length;
      expect(mod.writerThreadAvailable(db, bytes, env)).toBe(true);
      const r = run(['import', file]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${file} (anthropic-usage): batch 1 (${DAILY}) has rows of the same accounts whose buckets ${reach} (2026-10-01)`);
      expect(r.stderr).toContain('nothing was imported from this file');
      expect(r.stderr).toContain('llmfin import --undo 1');
      expect(r.stderr).toContain('--allow-overlap');
      expect(contents(db)).toEqual(before);
    }
    // $1.80 (Oct 1 $0.60, Oct 2 $1.20) at 1e10 ticks a dollar, in the daily export's one batch.
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('select count(*) as n, sum(cost_ticks) as ticks from usage_entries').get()).toEqual({ n: 2, ticks: 18_000_000_000 });
      expect(d.prepare('select count(*) as n from import_batches').get()).toEqual({ n: 1 });
    } finally {
      d.close();
    }
  }, 60_000);

  it('a bad row rolls the writer back: exit 2, file:line, the ledger unchanged', () => {
    const cwd = tempDir();
    const db = join(cwd, 'ledger.db');
    writeFileSync(join(cwd, 'good.csv'), csv(10));
    expect(cli(cwd, 'thread', ['import', 'good.csv', '--db', db]).code).toBe(0);
    const before = contents(db);
    writeFileSync(join(cwd, 'bad.csv'), csv(5000, 4000, 'b'));
    const r = cli(cwd, 'thread', ['import', 'bad.csv', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.csv:4002: input_tokens:');
    expect(contents(db)).toEqual(before);
  }, 60_000);
  it('replaces a session-log message whose final count came after a cut-off import, as one thread does', () => {
    const lines = readFileSync(CLAUDE, 'utf8').split('\n');
    const results = (['thread', 'inline'] as const).map((writer) => {
      const cwd = tempDir();
      const db = join(cwd, 'ledger.db');
      // Lines 1-3 hold msg_01A with the 2 output tokens streamed so far; line 4, its final 550, is half written.
      writeFileSync(join(cwd, 's.jsonl'), `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 200)}`);
      const first = cli(cwd, writer, ['import', 's.jsonl', '--db', db]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain('s.jsonl:4: the last line is unfinished');
      copyFileSync(CLAUDE, join(cwd, 's.jsonl'));
      expect(cli(cwd, writer, ['import', 's.jsonl', '--db', db]).code).toBe(0);
      const d = new Database(db, { readonly: true });
      // msg_01A with its 550 output tokens in place of its first row ($0.082086), msg_01B $0.0057: $0.087786 once.
      expect(d.prepare('select dedupe_key, output_tokens, cost_usd from usage_entries order by ts').all(), writer).toEqual([
        { dedupe_key: 'claude:msg_01A:req_011A', output_tokens: 550, cost_usd: '0.082086' },
        { dedupe_key: 'claude:msg_01B:req_011B', output_tokens: 300, cost_usd: '0.0057' },
      ]);
      expect(d.prepare('select rows_imported, rows_skipped, rows_replaced from import_batches order by id').all(), writer).toEqual([
        { rows_imported: 1, rows_skipped: 0, rows_replaced: 0 },
        { rows_imported: 2, rows_skipped: 0, rows_replaced: 1 },
      ]);
      d.close();
      return contents(db);
    });
    expect(results[0]).toEqual(results[1]);
  }, 60_000);
});

function csvWithout(path: string, line: number): string {
  const lines = spawnSync('cat', [path], { encoding: 'utf8' }).stdout.split('\n');
  lines.splice(line - 1, 1);
  return lines.join('\n');
}
