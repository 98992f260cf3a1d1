// --skip-invalid on a file none of whose rows is good: no batch of no rows (exit 0, listed
// as imported), but a refusal that says so, with the rejects written to fix the rows by.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { AllRowsRejectedError } from '../../src/importers/all-rows-rejected.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const HEADER = 'id,ts,provider,model,input_tokens,output_tokens';
// Dates a spreadsheet rewrote: every row is refused at its ts.
const BAD = `${HEADER}\nr1,10/01/2026,openai,gpt-4o,1000000,0\nr2,10/02/2026,openai,gpt-4o,1000000,0\n`;
const GOOD = `${HEADER}\nr1,2026-10-01T00:00:00Z,openai,gpt-4o,1000000,0\nr2,2026-10-02T00:00:00Z,openai,gpt-4o,1000000,0\n`;

describe('--skip-invalid on a file whose every row is rejected', () => {
  it('records no batch, writes the rejects, and the fixed file then imports', async () => {
    const file = join(tempDir(), 'usage.csv');
    writeFileSync(file, BAD);
    const ledger = await freshLedger();
    const error = await importInto(ledger, llmfinImporter, file, { skipInvalid: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllRowsRejectedError);
    expect((error as AllRowsRejectedError).message).toBe(`${file}: all 2 rows were rejected, reasons in ${file}.rejects.jsonl; nothing imported`);
    expect((error as AllRowsRejectedError).hint).toMatch(/^fix the file \(the first: line 2: ts: /);
    const rejects = readFileSync(`${file}.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; column: string; text: string });
    expect(rejects.map((r) => [r.line, r.column, r.text])).toEqual([
      [2, 'ts', 'r1,10/01/2026,openai,gpt-4o,1000000,0'],
      [3, 'ts', 'r2,10/02/2026,openai,gpt-4o,1000000,0'],
    ]);
    expect(await ledger.db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
    writeFileSync(file, GOOD);
    const fixed = await importInto(ledger, llmfinImporter, file, { skipInvalid: true });
    // gpt-4o input: 2 × 1M × $2.50.
    expect(fixed).toMatchObject({ status: 'imported', rowsImported: 2, rowsRejected: 0, costUsd: '5' });
    await ledger.close();
  });

  it('still records a file with a header alone as an import of nothing', async () => {
    const file = join(tempDir(), 'usage.csv');
    writeFileSync(file, `${HEADER}\n`);
    const ledger = await freshLedger();
    const s = await importInto(ledger, llmfinImporter, file, { skipInvalid: true });
    expect(s).toMatchObject({ status: 'imported', rowsRead: 0, rowsRejected: 0 });
    expect(existsSync(`${file}.rejects.jsonl`)).toBe(false);
    await ledger.close();
  });

  it('on the command line: exit 2 naming the file and the rejects, and no ledger made for it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'usage.csv'), BAD);
    const r = await runCli(['import', 'usage.csv', '--skip-invalid', '--db', 'l.db'], { cwd });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain('llmfin: error: usage.csv: all 2 rows were rejected, reasons in ');
    expect(r.stderr).toContain('usage.csv.rejects.jsonl; nothing imported');
    expect(r.stdout).toBe('');
    expect(existsSync(join(cwd, 'usage.csv.rejects.jsonl'))).toBe(true);
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
  });
});
