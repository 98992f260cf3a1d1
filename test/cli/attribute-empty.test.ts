// `llmfin attribute` over a window with no spend: it says there is nothing to attribute
// there and where the ledger's usage is, rather than a table of $0.00 and 0.0% that reads
// as all of the spend attributed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from '../reports/rows-ledger.js';

const metered = (id: string, day: string, team?: string) => ({ id, ts: `${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'metered', input_tokens: 1_000_000, output_tokens: 0, requests: 1, ...(team ? { team } : {}) });

describe('llmfin attribute on an empty window', () => {
  it('says there is nothing to attribute there, and where the usage is', async () => {
    const db = await ledgerOf([metered('a', '2026-10-05', 'search'), metered('b', '2026-10-20')]);
    const r = await runCli(['attribute', '--db', db, '--month', '2025-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      "nothing to attribute from 2025-01-01 to 2025-02-01 (exclusive): no spend in that window; the ledger's usage runs from 2026-10-05 to 2026-10-20 — pick a window there with --month or --since/--until\n",
    );
    // No share to leave unattributed: "–", not 0.0%.
    expect(r.stdout).toMatch(/^team +0 +– +–$/m);
    expect(r.stdout).not.toContain('0.0%');
  });

  it('sends a --basis with nothing there to the layers that have the spend', async () => {
    const db = await ledgerOf([metered('a', '2026-10-05', 'search')]);
    const r = await runCli(['attribute', '--db', db, '--month', '2026-10', '--basis', 'billed']);
    expect(r.code, r.stderr).toBe(0);
    // 1M gpt-4o input tokens at $2.50.
    expect(r.stderr).toBe('no billed spend in this period: the ledger has $2.50 here on other layers (the default basis) — drop --basis to count it\n');
  });

  it('keeps its figures, and says nothing, for a window with spend', async () => {
    const db = await ledgerOf([metered('a', '2026-10-05', 'search'), metered('b', '2026-10-20')]);
    const r = await runCli(['attribute', '--db', db, '--month', '2026-10']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // Half of the $5.00 has no team.
    expect(r.stdout).toMatch(/^team +1 +\$2\.50 +50\.0%$/m);
    expect(r.stdout.split('\n')[0]).toBe('0 attribution rules; spend left unattributed per dimension (2026-10-01 to 2026-11-01 (exclusive), default basis)');
  });
});

describe('llmfin attribute: the count of rules in its title', () => {
  it('says "1 attribution rule"', async () => {
    const db = await ledgerOf([metered('a', '2026-10-05', 'search')]);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'attribution:\n  rules:\n    - match: { model: "gpt-*" }\n      set: { feature: chat }\n');
    const r = await runCli(['attribute', '--db', db, '--month', '2026-10'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('1 attribution rule; spend left unattributed per dimension (2026-10-01 to 2026-11-01 (exclusive), default basis)');
  });
});
