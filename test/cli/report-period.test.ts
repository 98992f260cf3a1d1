// The options reading commands share: --where, as report, forecast, anomalies and export parse it.
import { describe, expect, it } from 'vitest';
import { parseWhere } from '../../src/cli/report-period.js';

describe('parseWhere', () => {
  it('splits conditions at commas, repeated or not', () => {
    expect(parseWhere(['team=search,provider=openai', 'feature=chat'])).toEqual({ team: 'search', provider: 'openai', feature: 'chat' });
    expect(parseWhere(['team=search, provider = openai'])).toEqual({ team: 'search', provider: 'openai' });
  });

  it('keeps a comma inside a value: a customer named "Acme, Inc." is one customer', () => {
    expect(parseWhere(['customer=Acme, Inc.'])).toEqual({ customer: 'Acme, Inc.' });
    expect(parseWhere(['customer=Acme, Inc.,team=sales'])).toEqual({ customer: 'Acme, Inc.', team: 'sales' });
    expect(parseWhere(['model=a,b'])).toEqual({ model: 'a,b' });
  });

  it('still refuses what is not dimension=value, and an empty value', () => {
    expect(() => parseWhere(['team'])).toThrow('--where: expected dimension=value such as team=search, got "team"');
    expect(() => parseWhere(['team=,feature=chat'])).toThrow('--where: expected a value after "team=", got nothing');
    expect(() => parseWhere(['team=a', 'team=b'])).toThrow('expected one value per dimension');
  });
});
