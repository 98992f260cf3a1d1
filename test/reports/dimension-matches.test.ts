// The one rule behind budget scopes and every --where: a condition on `model` holds for
// the recorded id and for the catalogue model the row was priced as; `(unattributed)`
// holds only for a row without a model; other dimensions match their own value alone.
import { describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { dimensionMatches, dimensionsMatching, identifiersMatch, whereDimensions } from '../../src/reports/dimension-matches.js';

describe('dimensionMatches', () => {
  it('matches a model by its recorded id or its catalogue model, and nothing else by the catalogue model', () => {
    const dated = { model: 'gpt-4o-2024-08-06', matched_model: 'gpt-4o', team: 'gpt-4o' };
    expect(dimensionMatches('model', 'gpt-4o', dated)).toBe(true);
    expect(dimensionMatches('model', 'gpt-4o-2024-08-06', dated)).toBe(true);
    expect(dimensionMatches('model', 'gpt-4o-mini', dated)).toBe(false);
    expect(dimensionMatches('team', 'gpt-4o', { team: 'search', matched_model: 'gpt-4o' })).toBe(false);
  });

  it('reads (unattributed) as no recorded model, not as no catalogue model', () => {
    expect(dimensionsMatching('model', '(unattributed)')).toEqual(['model']);
    expect(dimensionMatches('model', '(unattributed)', { model: 'in-house-llm', matched_model: '(unattributed)' })).toBe(false);
    expect(dimensionMatches('model', '(unattributed)', { model: '(unattributed)', matched_model: '(unattributed)' })).toBe(true);
  });

  it('names the catalogue model among the dimensions a where reads', () => {
    expect(whereDimensions({ team: 'search', model: 'gpt-4o' })).toEqual(['team', 'model', 'matched_model']);
    expect(whereDimensions({ team: 'search' })).toEqual(['team']);
  });
});

describe('identifiersMatch', () => {
  it('decides the model as reports do, a rule included, beside the catalogue model', () => {
    const attributor = new Attributor([{ name: 'batch jobs', match: { project: 'proj_batch' }, set: { model: 'gpt-4o' }, override: false }]);
    // A row without a model takes the rule's; a dated row is found by its catalogue model.
    expect(identifiersMatch(attributor, { model: 'gpt-4o' }, { project: 'proj_batch' })).toBe(true);
    expect(identifiersMatch(attributor, { model: 'gpt-4o' }, { model: 'gpt-4o-2024-08-06', matched_model: 'gpt-4o' })).toBe(true);
    expect(identifiersMatch(attributor, { model: 'gpt-4o', team: 'search' }, { model: 'gpt-4o-2024-08-06', matched_model: 'gpt-4o', team: 'support' })).toBe(false);
    expect(identifiersMatch(attributor, { model: 'gpt-4o-2024-08-06' }, { model: 'gpt-4o', matched_model: 'gpt-4o' })).toBe(false);
  });
});
