// import.meters: a meter llmfin does not recognise (here: a known one renamed, as a new
// model's meter would be) is kept as unclassified money, and once mapped in llmfin.yaml it
// is read exactly like the meter it stands for: same model, tokens and estimate, same bill.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compileMeterMap } from '../../src/importers/meter-map.js';
import { runCli, tempDir } from '../helpers/cli.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));

interface Case {
  source: 'aws-cur' | 'azure-cost' | 'gcp-billing';
  file: string;
  known: string;
  unknown: string;
  model: string;
  tokens: string;
}

const CASES: Case[] = [
  { source: 'aws-cur', file: 'aws-cur/cur-legacy-2026-10.csv', known: 'USE1-Claude4.5Sonnet-input-tokens,', unknown: 'USE1-Frontier9-input-tokens,', model: 'anthropic.claude-sonnet-4-5', tokens: 'input' },
  { source: 'azure-cost', file: 'azure-cost/ea-actual-2026-10.csv', known: 'gpt-4o-mini-0718-Inp-glbl Tokens', unknown: 'frontier-9-mini Inp glbl', model: 'gpt-4o-mini-2024-07-18', tokens: 'input' },
  { source: 'gcp-billing', file: 'gcp-billing/billing-export-2026-10.csv', known: 'Gemini 2.5 Flash Lite Text Output - Predictions', unknown: 'Frontier 9 Text Output - Predictions', model: 'gemini-2.5-flash-lite', tokens: 'output' },
];

type Row = { model: string | null; input_tokens: number; output_tokens: number; estimated_cost_usd: string | null; cost_usd: string; charge_category: string };
function rows(db: string, meter: string): Row[] {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare(`select model, input_tokens, output_tokens, estimated_cost_usd, cost_usd, charge_category from usage_entries where description = ? or description like ? || ';%' order by id`)
      .all(meter.replace(/,$/, ''), meter.replace(/,$/, '')) as Row[];
  } finally {
    d.close();
  }
}

describe('import.meters', () => {
  it('matches case-insensitive globs, per source when asked', () => {
    const map = compileMeterMap([
      { match: 'USE1-Frontier*-input-tokens', source: 'aws-cur', model: 'm1', tokens: 'input', batch: false },
      { match: 'frontier ? output', model: 'm2', tokens: 'output', batch: true },
    ]);
    expect(map.find('aws-cur', 'use1-frontier9-input-tokens')).toEqual({ model: 'm1', tokenKind: 'input', batch: false, match: 'USE1-Frontier*-input-tokens' });
    expect(map.find('azure-cost', 'USE1-Frontier9-input-tokens')).toBeUndefined();
    expect(map.find('gcp-billing', 'Frontier 9 Output')).toMatchObject({ model: 'm2', tokenKind: 'output', batch: true });
  });

  for (const c of CASES) {
    it(`${c.source}: a meter llmfin cannot price keeps its money, and once mapped reads like the known one`, async () => {
      const dir = tempDir();
      const renamed = join(dir, `renamed-${c.file.split('/')[1]}`);
      const text = readFileSync(fx(c.file), 'utf8');
      expect(text).toContain(c.known);
      writeFileSync(renamed, text.split(c.known).join(c.unknown));

      const original = join(dir, 'original.db');
      expect((await runCli(['import', '--db', original, fx(c.file)])).code).toBe(0);
      const expected = rows(original, c.known);
      expect(expected.length).toBeGreaterThan(0);

      const unmapped = join(dir, 'unmapped.db');
      const first = await runCli(['import', '--db', unmapped, renamed, '--format', 'json']);
      expect(first.code, first.stderr).toBe(0);
      // Not understood: the bill's money is kept, with no model llmfin can price and no estimate.
      const before = rows(unmapped, c.unknown);
      expect(before.map((r) => [r.cost_usd, r.estimated_cost_usd])).toEqual(expected.map((r) => [r.cost_usd, null]));

      writeFileSync(join(dir, 'llmfin.yaml'), `import:\n  meters:\n    - { match: "${c.unknown.replace(/,$/, '')}", source: ${c.source}, model: ${c.model}, tokens: ${c.tokens} }\n`);
      const mappedDb = join(dir, 'mapped.db');
      const second = await runCli(['import', '--db', mappedDb, renamed], { cwd: dir });
      expect(second.code, second.stderr).toBe(0);
      const mapped = rows(mappedDb, c.unknown);
      expect(mapped.map(({ model, input_tokens, output_tokens, estimated_cost_usd, cost_usd, charge_category }) => ({ model, input_tokens, output_tokens, estimated_cost_usd, cost_usd, charge_category }))).toEqual(expected);
      expect(mapped.every((r) => r.charge_category === 'usage')).toBe(true);
    });
  }

  it('rejects a mapping with an unknown token kind, naming the option', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'llmfin.yaml'), 'import:\n  meters:\n    - { match: "x", model: m, tokens: thoughts }\n');
    const r = await runCli(['import', '--db', join(dir, 'l.db'), fx(CASES[0]!.file)], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('import.meters.0.tokens');
  });
});
