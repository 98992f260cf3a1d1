// Money no row names a model for (here an invoice with no finer rows for its provider) is
// part of the monthly spend and of its provider's share, not left out of both.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('insights with spend that names no model', () => {
  it('counts an invoice of $310.00 in the month and in its provider concentration', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    // chat on claude-haiku-4-5 ($1 in / $5 out per 1M): 500 requests, 1,000,000 in + 100,000 out = $1.50 a day.
    for (let d = 1; d <= 31; d++) {
      lines.push(JSON.stringify({ id: `c-${d}`, ts: `2026-10-${String(d).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provider: 'anthropic', model: 'claude-haiku-4-5', requests: 500, input_tokens: 1_000_000, output_tokens: 100_000, feature: 'chat' }));
    }
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    writeFileSync(
      join(dir, 'invoice.yaml'),
      ['provider: openai', 'number: INV-1', 'issued_at: 2026-11-04', 'period: { start: 2026-10-01, end: 2026-11-01 }', 'currency: usd', 'lines:', '  - { description: API usage, amount: "310.00" }', 'total: "310.00"', ''].join('\n'),
    );
    const db = join(dir, 'ledger.db');
    const imp = await runCli(['import', '--db', db, join(dir, 'usage.jsonl'), join(dir, 'invoice.yaml')]);
    expect(imp.code, imp.stderr).toBe(0);

    const r = await runCli(['insights', '--db', db, '--since', '2026-10-01', '--until', '2026-11-01', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { monthly_spend_usd: number; rows: { kind: string; title: string; impact_usd_per_month: number; priority: string }[] };
    // October: $310.00 + 31 × $1.50 = $356.50 over 31 days, × 30/31 = $345.00 a month.
    expect(j.monthly_spend_usd).toBe(345);
    // openai $310.00 of $356.50 is 87%: $310.00 × 30/31 = $300.00 a month exposed.
    const risk = j.rows.filter((i) => i.kind === 'concentration_risk');
    expect(risk.map((i) => [i.title, i.impact_usd_per_month])).toEqual([['87% of spend on openai', 300]]);
    // Caching half of each 2,000-token prompt: 15,500 requests, one write per 5-minute window
    // (31 × 288 = 8,928) of 1,000 tokens at $1.25, the other 15.5M − 8.928M = 6.572M read at
    // $0.10: 15.5M × $1 + 6.572M × $0.10 + 8.928M × $1.25 = $27.3172 instead of $31.00:
    // $3.6828 over 31 days, × 30/31 = $3.56 a month: under 2% of $345.00, so Low.
    const caching = j.rows.find((i) => i.kind === 'caching')!;
    expect([caching.impact_usd_per_month, caching.priority]).toEqual([3.56, 'Low']);

    // The default window (30 days up to the last usage: Oct 2 – Nov 1) would start a day
    // after the invoice's money: it starts on Oct 1 instead, and counts October the same.
    const byDefault = await runCli(['insights', '--db', db, '--format', 'json']);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toMatchObject({ since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', monthly_spend_usd: 345 });
    // A --since the user gives is kept, and said to leave the invoice out:
    // 30 × $1.50 over 30 days = $45.00 a month.
    const cut = await runCli(['insights', '--db', db, '--since', '2026-10-02', '--format', 'json']);
    expect(cut.code, cut.stderr).toBe(0);
    expect(JSON.parse(cut.stdout)).toMatchObject({ since: '2026-10-02T00:00:00.000Z', monthly_spend_usd: 45 });
    expect(cut.stderr).toContain('--since 2026-10-02 starts inside an invoiced period: any money its invoice bills beyond the ledger\'s rows is placed on 2026-10-01 and is left out — give --since 2026-10-01 to count it');
  });
});
