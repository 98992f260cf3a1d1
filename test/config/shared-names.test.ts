// attribution.shared: a line is known by its name (the JSON's shared_usd.NAME, the CSV's
// column, the table's SHARED NAME), so two lines of one name would write over each other.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';

const parse = (lines: string[]) => () => parseConfigText(['attribution:', '  shared:', ...lines, ''].join('\n'), 'llmfin.yaml');

describe('attribution.shared names', () => {
  it('refuses a name a line before it has, naming the line of the second', () => {
    expect(parse(['    - { name: platform, from: { team: platform } }', '    - { name: other, from: { team: (unattributed) } }', '    - { name: platform, from: { team: search } }'])).toThrow(
      'llmfin.yaml:5: attribution.shared.2.name: the name "platform" is already that of attribution.shared.0; give each shared cost its own name',
    );
  });

  it('takes lines of different names', () => {
    expect(parse(['    - { name: platform, from: { team: platform } }', '    - { name: Platform 2, from: { team: search } }'])().attribution.shared.map((s) => s.name)).toEqual(['platform', 'Platform 2']);
  });
});
