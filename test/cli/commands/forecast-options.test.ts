// --prompt-growth and --headroom take a percentage (30%) or a fraction (0.3); a bare 30
// would be 3,000% and is refused rather than forecast.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePercent } from '../../../src/cli/commands/forecast-options.js';
import { UsageError } from '../../../src/shared/errors.js';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('parsePercent', () => {
  it('reads 30%, -50% and the fraction 0.3', () => {
    expect(parsePercent('--prompt-growth', '30%')).toBe(0.3);
    expect(parsePercent('--prompt-growth', '-50%')).toBe(-0.5);
    expect(parsePercent('--prompt-growth', '0.3')).toBe(0.3);
    expect(parsePercent('--prompt-growth', '150%')).toBe(1.5);
  });

  it('refuses a bare number of 1 or more, which as a fraction would be 100% or more', () => {
    for (const v of ['30', '1', '-5', '2.5']) {
      expect(() => parsePercent('--prompt-growth', v)).toThrow(UsageError);
    }
    expect(() => parsePercent('--headroom', '20')).toThrow('--headroom: expected a percentage such as 30% (or a fraction such as 0.3), got "20", which as a fraction would be 2,000%');
  });
});

describe('llmfin forecast --prompt-growth 30', () => {
  it('exits 2 naming the option and the likely meaning', async () => {
    const dir = tempDir();
    const r = await runCli(['forecast', '--db', join(dir, 'none.db'), '--prompt-growth', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--prompt-growth: expected a percentage such as 30% (or a fraction such as 0.3), got "30", which as a fraction would be 3,000%');
    expect(r.stderr).toContain('write 30% if you mean 30 percent');
  });
});
