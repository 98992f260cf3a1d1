// attribution.shared: weights written beside a method that does not read them would be
// ignored without a word (the default method is proportional), so the file is refused.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';

const shared = (line: string) => () => parseConfigText(`attribution:\n  shared:\n    - ${line}\n`, 'llmfin.yaml');

describe('attribution.shared', () => {
  it('refuses weights with a method other than weights, naming the line', () => {
    expect(shared('{ name: platform, from: { team: platform }, weights: { search: 2, support: 1 } }')).toThrow(
      'llmfin.yaml:3: attribution.shared.0.weights: expected method: weights to split by these weights (method is proportional, which ignores them)',
    );
    expect(shared('{ name: platform, from: { team: platform }, method: even, weights: { search: 2 } }')).toThrow('(method is even, which ignores them)');
  });

  it('takes weights with method: weights, and either method without them', () => {
    expect(parseConfigText('attribution:\n  shared:\n    - { name: p, from: { team: platform }, method: weights, weights: { search: 2 } }\n', 'llmfin.yaml').attribution.shared[0]!.weights).toEqual({ search: 2 });
    expect(shared('{ name: p, from: { team: platform }, method: even }')().attribution.shared[0]!.method).toBe('even');
  });
});
