import { describe, expect, it } from 'vitest';
import { guardFormulaCell, unguardFormulaCell, unguardFormulaCells } from '../../src/shared/formula-cell.js';

describe('formula cells', () => {
  it('puts a quote before a text a spreadsheet would run, and leaves numbers and other texts alone', () => {
    expect(guardFormulaCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(guardFormulaCell('+cmd')).toBe("'+cmd");
    expect(guardFormulaCell('-2+3')).toBe("'-2+3");
    expect(guardFormulaCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(guardFormulaCell('\tx')).toBe("'\tx");
    expect(guardFormulaCell('\rx')).toBe("'\rx");
    expect(guardFormulaCell("'=x")).toBe("''=x");
    for (const plain of ['-12.3456789012345678', '+5', '-0.5', '1e-7', 'gpt-4o', "it's", "'quoted'", '{"k":"=1"}', '']) {
      expect(guardFormulaCell(plain)).toBe(plain);
    }
  });

  it('gives back exactly what was guarded', () => {
    const texts = ['=1+1', "'=1+1", "''@x", '-2+3', '-5', "'-5", "'", "'a", 'plain', '@', '-', "''"];
    for (const text of texts) expect(unguardFormulaCell(guardFormulaCell(text))).toBe(text);
  });

  it('returns the same row when nothing was guarded', () => {
    const row = ['a', "'b", '-1'];
    expect(unguardFormulaCells(row)).toBe(row);
    expect(unguardFormulaCells(['a', "'=b"])).toEqual(['a', '=b']);
  });
});
