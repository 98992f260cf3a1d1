// attribution.shared: a line is known by its name (the JSON's shared_usd.NAME, the CSV's
// column, the table's SHARED NAME), so two lines of one name would write over each other;
// and the dimensions it names are checked where it names them.
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

  it('refuses a from or over that is no dimension, at its line, with the dimensions there are', () => {
    const error = (lines: string[]) => {
      try {
        parse(lines)();
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    const from = error(['    - name: platform', '      from: { colour: red }']);
    expect(from.startsWith('llmfin.yaml:4: attribution.shared.0.from.colour: expected a dimension (provider, model, team, feature, customer, agent,')).toBe(true);
    expect(from.endsWith('cost_center, routed_from, route_tier, llmfin_key), got "colour"')).toBe(true);
    const over = error(['    - name: platform', '      from: { team: platform }', '      over: teams']);
    expect(over.startsWith('llmfin.yaml:5: attribution.shared.0.over: expected a dimension (provider, model, team,')).toBe(true);
    expect(over.endsWith(', got "teams"')).toBe(true);
  });

  it('takes a dimension declared under attribution.dimensions or set by a rule', () => {
    const text = [
      'attribution:',
      '  dimensions: [business_unit]',
      '  rules:',
      '    - { match: { api_key: "sk-*" }, set: { product: core } }',
      '  shared:',
      '    - { name: platform, from: { business_unit: shared }, over: product }',
      '',
    ].join('\n');
    expect(parseConfigText(text, 'llmfin.yaml').attribution.shared[0]).toMatchObject({ from: { business_unit: 'shared' }, over: 'product' });
  });

  it('refuses a line that splits over another dimension than the first, at its line', () => {
    // One chargeback table has one column of recipients: team, or customer, not both.
    expect(parse(['    - { name: platform, from: { team: platform } }', '    - name: support', '      from: { team: support }', '      over: customer'])).toThrow(
      'llmfin.yaml:6: attribution.shared.1.over: expected every shared cost to split over the same dimension as attribution.shared.0 (team), got "customer"',
    );
  });

  it('says what a dimension name is written with, not the pattern that checks it', () => {
    const expected = 'expected a dimension name such as team or cost_center (lowercase letters, digits and _)';
    expect(parse(['    - { name: x, from: { Team: a } }'])).toThrow(`llmfin.yaml:3: attribution.shared.0.from.Team: ${expected}, got string "Team"`);
    expect(parse(['    - { name: x, from: { team: a }, over: Team }'])).toThrow(`llmfin.yaml:3: attribution.shared.0.over: ${expected}, got string "Team"`);
    expect(() => parseConfigText('attribution:\n  dimensions: [cost_center, Region]\n', 'llmfin.yaml')).toThrow(`llmfin.yaml:2: attribution.dimensions.1: ${expected}, got string "Region"`);
  });
});
