// A row past what the ledger's 64-bit integers hold (a misplaced decimal point, an amount in
// another unit) is refused at its line with exit 2 and the ledger unchanged, like any bad
// value, rather than SQLite's "bigint is too big" as an internal error halfway through.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const row = (id: string, more: Record<string, unknown>) => JSON.stringify({ id, ts: '2026-10-01T00:00:00Z', granularity: 'day', provider: 'openai', model: 'gpt-4o', ...more });

describe('a row beyond the ledger', () => {
  it('a billed amount past $100,000,000 is refused at its line, naming the limit; the ledger is unchanged', async () => {
    const dir = tempDir();
    const db = join(dir, 'l.db');
    writeFileSync(join(dir, 'seed.jsonl'), `${row('seed', { input_tokens: 1000 })}\n`);
    expect((await runCli(['import', '--db', db, join(dir, 'seed.jsonl')])).code).toBe(0);
    const before = sha(db);
    const file = join(dir, 'bill.jsonl');
    writeFileSync(file, `${row('ok', { provenance: 'billed', cost_usd: '12.50' })}\n${row('big', { provenance: 'billed', cost_usd: '1000000000.00' })}\n`);
    const r = await runCli(['import', '--db', db, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bill.jsonl:2: cost: expected an amount within ±$100,000,000 a row (the ledger keeps money to 1e-10 USD in 64-bit integers), got $1,000,000,000.00');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(sha(db)).toBe(before);
    // Exactly the limit is fine; --skip-invalid records the good row and rejects the other.
    writeFileSync(file, `${row('ok', { provenance: 'billed', cost_usd: '100000000' })}\n${row('big', { provenance: 'billed', cost_usd: '-100000000.01' })}\n`);
    const skipped = await runCli(['import', '--db', db, file, '--skip-invalid']);
    expect(skipped.code, skipped.stderr).toBe(0);
    const report = await runJson<{ total: { cost_usd: number } }>(['report', '--db', db, '--basis', 'billed', '--since', '2026-10-01', '--until', '2026-10-02']);
    expect(report.total.cost_usd).toBe(100_000_000);
    expect(readFileSync(`${file}.rejects.jsonl`, 'utf8')).toContain('got -$100,000,000.01');
  });

  it('a token count past 10^15 is refused as the count, not as the cost it would make', async () => {
    const dir = tempDir();
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, `${row('t', { input_tokens: 9_000_000_000_000_000 })}\n`);
    const r = await runCli(['import', '--db', join(dir, 'l.db'), file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rows.jsonl:1: input_tokens: expected a count of at most 10^15 a row, got 9,000,000,000,000,000');
  });
});
