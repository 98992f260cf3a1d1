import { describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { compilePattern } from '../../src/attribution/match-pattern.js';
import { ConfigSchema } from '../../src/config/config-schema.js';

const rules = (r: unknown[]) => ConfigSchema.parse({ attribution: { rules: r } }).attribution.rules;

describe('Attributor', () => {
  it('says whether all of a rule\'s patterns match, whatever the row records', () => {
    const a = new Attributor(rules([
      { name: 'keys', match: { api_key: '/^sk-([a-z]+)-/', provider: 'openai' }, set: { team: '$1' } },
      { match: { 'tags.cost_center': 'CC-*' }, set: { cost_center: 'finance' } },
    ]));
    expect(a.rules).toEqual([
      { number: 1, name: 'keys', fields: ['api_key', 'provider'] },
      { number: 2, name: 'rule 2', fields: ['tags.cost_center'] },
    ]);
    expect(a.matches(1, { provider: 'openai', api_key: 'sk-search-1' })).toBe(true);
    // A recorded team does not stop the rule matching (it only loses to the record).
    expect(a.matches(1, { provider: 'openai', api_key: 'sk-search-1', team: 'ads' })).toBe(true);
    expect(a.matches(1, { provider: 'anthropic', api_key: 'sk-search-1' })).toBe(false);
    expect(a.matches(1, { provider: 'openai' })).toBe(false);
    expect(a.matches(2, { tags: '{"cost_center":"CC-7"}' })).toBe(true);
    expect(a.matches(2, { tags: '{"cost_center":"X-7"}' })).toBe(false);
    expect(a.matches(3, { provider: 'openai' })).toBe(false);
  });

  it('applies rules in order: the first rule that sets a dimension wins', () => {
    const a = new Attributor(rules([
      { name: 'search keys', match: { api_key: 'sk-search-*' }, set: { team: 'search', feature: 'answers' } },
      { name: 'everything else', match: { provider: '*' }, set: { team: 'platform' } },
    ]));
    expect(a.value({ provider: 'openai', api_key: 'sk-search-prod' }, 'team')).toBe('search');
    expect(a.value({ provider: 'openai', api_key: 'sk-search-prod' }, 'feature')).toBe('answers');
    expect(a.value({ provider: 'openai', api_key: 'sk-ads-prod' }, 'team')).toBe('platform');
    expect(a.value({ provider: 'openai', api_key: 'sk-ads-prod' }, 'feature')).toBeNull();
  });

  it('matches an account as `import --account` files it: a glob on the organisation picks it out, one written for the bare account does not', () => {
    const a = new Attributor(rules([
      { name: 'eu', match: { account: 'acme-eu/*' }, set: { team: 'europe' } },
      { name: 'us', match: { account: '/^acme-us\\/(usage|cost):/' }, set: { team: 'america' } },
      { name: 'bare', match: { account: 'cost:Default' }, set: { team: 'unnamed' } },
    ]));
    expect(a.value({ account: 'acme-eu/cost:Default' }, 'team')).toBe('europe');
    expect(a.value({ account: 'acme-us/usage:Default' }, 'team')).toBe('america');
    expect(a.value({ account: 'cost:Default' }, 'team')).toBe('unnamed');
    // The whole value is matched: "cost:Default" is not acme-eu's "acme-eu/cost:Default".
    expect(new Attributor(rules([{ match: { account: 'cost:Default' }, set: { team: 'x' } }])).value({ account: 'acme-eu/cost:Default' }, 'team')).toBeNull();
  });

  it('needs every pattern of a rule to match, and a missing identifier matches nothing', () => {
    const a = new Attributor(rules([{ match: { project: 'proj_*', model: 'gpt-4o?' }, set: { team: 'x' } }]));
    expect(a.value({ project: 'proj_a', model: 'gpt-4o' }, 'team')).toBeNull();
    expect(a.value({ project: 'proj_a', model: 'gpt-4oX' }, 'team')).toBe('x');
    expect(a.value({ model: 'gpt-4oX' }, 'team')).toBeNull();
  });

  it('fills $1 from regex groups and matches tags', () => {
    const a = new Attributor(rules([
      { match: { api_key: '/^sk-([a-z]+)-(prod|dev)$/' }, set: { team: '$1', environment: '$2' } },
      { match: { 'tags.cc': 'CC-*' }, set: { cost_center: 'finance' } },
    ]));
    expect(a.value({ api_key: 'sk-growth-dev' }, 'team')).toBe('growth');
    expect(a.value({ api_key: 'sk-growth-dev' }, 'environment')).toBe('dev');
    expect(a.value({ tags: '{"cc":"CC-42"}' }, 'cost_center')).toBe('finance');
    // A custom dimension recorded as a tag of its own name wins over the rule.
    expect(a.value({ tags: '{"cc":"CC-42","cost_center":"ops"}' }, 'cost_center')).toBe('ops');
    expect(a.fieldsFor('cost_center')).toEqual(['tags.cost_center', 'tags.cc']);
    expect(a.fieldsFor('team')).toEqual(['team', 'api_key']);
  });

  it('keeps a recorded value unless the rule overrides, and explains who decided', () => {
    const a = new Attributor(rules([
      { name: 'fill', match: { model: '*' }, set: { team: 'fallback' } },
      { name: 'force', match: { workspace: 'legal' }, set: { team: 'legal' }, override: true },
    ]));
    expect(a.decide({ team: 'search', model: 'm' }, 'team')).toEqual({ value: 'search', by: 'recorded', field: 'team' });
    expect(a.decide({ model: 'm' }, 'team')).toEqual({ value: 'fallback', by: 'rule', rule: 'fill', index: 0 });
    expect(a.decide({ team: 'search', model: 'm', workspace: 'legal' }, 'team')).toEqual({ value: 'legal', by: 'rule', rule: 'force', index: 1 });
    expect(a.decide({}, 'feature')).toEqual({ value: null, by: 'none' });
  });

  it('globs are anchored and literal apart from * and ?', () => {
    expect(compilePattern('a.b*')('a.bc')).toEqual({ groups: [], named: {} });
    expect(compilePattern('a.b*')('axbc')).toBeUndefined();
    expect(compilePattern('gpt')('gpt-4o')).toBeUndefined();
    expect(compilePattern('/gpt/')('my-gpt-4o')).toEqual({ groups: [], named: {} });
  });

  it('rejects unknown match fields and broken regexes in config', () => {
    expect(() => rules([{ match: { colour: 'red' }, set: { team: 'x' } }])).toThrow(/expected one of provider, source/);
    expect(() => rules([{ match: { model: '/(unclosed/' }, set: { team: 'x' } }])).toThrow(/expected a valid regular expression/);
    // Uppercase flags are a regex mistyped, not a glob that would match the text itself.
    expect(() => rules([{ match: { model: '/gpt-4o/I' }, set: { team: 'x' } }])).toThrow('expected a regular expression\'s flags in lowercase (/…/i), got /gpt-4o/I');
    expect(() => rules([{ match: { model: '*' }, set: {} }])).toThrow(/expected at least one dimension to set/);
  });
});

describe('rule patterns and $N', () => {
  it('a /regex/ with the sticky flag matches every row, not only the first (no state kept between rows)', () => {
    const a = new Attributor(rules([{ match: { api_key: '/^sk-([a-z]+)-/y' }, set: { team: '$1' } }]));
    expect(a.value({ api_key: 'sk-search-1' }, 'team')).toBe('search');
    expect(a.value({ api_key: 'sk-growth-1' }, 'team')).toBe('growth');
    expect(a.value({ api_key: 'sk-ads-1' }, 'team')).toBe('ads');
  });

  it('a $N past the groups of the rule\'s regexes is refused when the config loads, naming the dimension', () => {
    const issues = (r: unknown) => {
      const parsed = ConfigSchema.safeParse({ attribution: { rules: [r] } });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    // A glob has no groups: "$1" would otherwise be the team's literal name.
    expect(issues({ name: 'keys', match: { api_key: 'sk-*' }, set: { team: '$1' } })).toEqual([
      'attribution.rules.0.set.team: rule "keys": expected $1 to name a group of the rule\'s /regex/ patterns, but they have none (a glob such as sk-* has no groups: write /^sk-([a-z]+)/ to capture one)',
    ]);
    expect(issues({ match: { api_key: '/^sk-([a-z]+)-(prod|dev)$/' }, set: { team: '$1', environment: '$3' } })).toEqual([
      'attribution.rules.0.set.environment: expected $1 to $2 (the groups of the rule\'s /regex/ patterns), got $3',
    ]);
    // Groups add up over the rule's patterns, in the order written; $0 names no group.
    expect(issues({ match: { api_key: '/^sk-([a-z]+)/', project: '/^proj_(.*)$/' }, set: { team: '$1', feature: '$2' } })).toEqual([]);
    expect(issues({ match: { api_key: '/^sk-([a-z]+)/' }, set: { team: '$0' } })).toEqual([
      'attribution.rules.0.set.team: expected $1 (the groups of the rule\'s /regex/ patterns), got $0',
    ]);
    // A non-capturing group is not one.
    expect(issues({ match: { api_key: '/^sk-(?:a|b)-([a-z]+)/' }, set: { team: '$2' } })).toEqual([
      'attribution.rules.0.set.team: expected $1 (the groups of the rule\'s /regex/ patterns), got $2',
    ]);
  });
});

describe('$10 and named groups in set', () => {
  const issues = (r: unknown) => {
    const parsed = ConfigSchema.safeParse({ attribution: { rules: [r] } });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const eleven = '/^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)$/';

  it('$10 and $11 are groups ten and eleven, and ${1}0 is group one and a "0"', () => {
    const a = new Attributor(rules([{ match: { api_key: eleven }, set: { team: '$10', feature: '$11', customer: '${1}0' } }]));
    expect(a.value({ api_key: 'abcdefghijk' }, 'team')).toBe('j');
    expect(a.value({ api_key: 'abcdefghijk' }, 'feature')).toBe('k');
    expect(a.value({ api_key: 'abcdefghijk' }, 'customer')).toBe('a0');
  });

  it('$<name> is a named group, over every pattern of the rule; an optional one that matched nothing sets nothing', () => {
    const a = new Attributor(rules([
      { name: 'named', match: { api_key: '/^sk-(?<team>[a-z]+)-(?:(?<env>prod|dev)-)?/', project: '/^proj_(?<feature>.+)$/' }, set: { team: '$<team>', feature: '$<feature>-$1', environment: '$<env>' } },
    ]));
    const ids = { api_key: 'sk-search-prod-1', project: 'proj_answers' };
    expect(a.value(ids, 'team')).toBe('search');
    expect(a.value(ids, 'feature')).toBe('answers-search');
    expect(a.value(ids, 'environment')).toBe('prod');
    expect(a.value({ api_key: 'sk-search-1', project: 'proj_answers' }, 'environment')).toBeNull();
  });

  it('a $N or $<name> that names no group is refused when the config loads, naming the rule', () => {
    // Read as $1 and a "0" before, with one group: a wrong team without a word.
    expect(issues({ name: 'keys', match: { api_key: '/^sk-([a-z]+)/' }, set: { team: '$10' } })).toEqual([
      'attribution.rules.0.set.team: rule "keys": expected $1 (the groups of the rule\'s /regex/ patterns), got $10; for group 1 followed by "0", write ${1}0',
    ]);
    expect(issues({ match: { api_key: eleven }, set: { team: '$12' } })).toEqual([
      'attribution.rules.0.set.team: expected $1 to $11 (the groups of the rule\'s /regex/ patterns), got $12',
    ]);
    expect(issues({ match: { api_key: eleven }, set: { team: '${12}' } })).toEqual([
      'attribution.rules.0.set.team: expected $1 to $11 (the groups of the rule\'s /regex/ patterns), got ${12}',
    ]);
    // A team named "$<team>" before.
    expect(issues({ name: 'named', match: { project: '/^proj-(?<team>[a-z]+)$/' }, set: { team: '$<tem>' } })).toEqual([
      'attribution.rules.0.set.team: rule "named": expected $<team> (the named groups of the rule\'s /regex/ patterns), got $<tem>',
    ]);
    expect(issues({ match: { project: '/^proj-([a-z]+)$/' }, set: { team: '$<team>' } })).toEqual([
      'attribution.rules.0.set.team: expected $<team> to name a group (?<team>…) of the rule\'s /regex/ patterns, but they have no named group',
    ]);
    expect(issues({ match: { project: '/^proj-(?<team>[a-z]+)$/' }, set: { team: '$<team', feature: '${x}' } })).toEqual([
      'attribution.rules.0.set.team: expected $<name> (a named group) or ${N} (a numbered one), got $<team',
      'attribution.rules.0.set.feature: expected $<name> (a named group) or ${N} (a numbered one), got ${x}',
    ]);
    expect(issues({ match: { project: '/^(?<team>[a-z]+)$/', api_key: '/^(?<team>[a-z]+)$/' }, set: { team: '$<team>' } })).toEqual([
      'attribution.rules.0.set.team: $<team> names a group of two of the rule\'s patterns; give the groups different names',
    ]);
    // A $ that starts no reference is itself.
    expect(issues({ match: { project: 'p*' }, set: { cost_center: 'US$ pool' } })).toEqual([]);
  });
});

describe('a rule whose $N is empty for a row', () => {
  it('does not set the dimension to an empty name: the next rule, or (unattributed), decides', () => {
    const a = new Attributor(rules([
      { name: 'team in key', match: { api_key: '/^sk-(?:([a-z]+)-)?[0-9]+$/' }, set: { team: '$1' } },
      { name: 'fallback', match: { provider: 'openai' }, set: { team: 'platform' } },
    ]));
    expect(a.decide({ provider: 'openai', api_key: 'sk-search-42' }, 'team')).toMatchObject({ value: 'search', by: 'rule', rule: 'team in key' });
    // sk-42 matches the regex, but its optional group is empty.
    expect(a.decide({ provider: 'openai', api_key: 'sk-42' }, 'team')).toMatchObject({ value: 'platform', by: 'rule', rule: 'fallback' });
    expect(a.value({ provider: 'anthropic', api_key: 'sk-42' }, 'team')).toBeNull();
  });
});

describe('tags.KEY with a dotted key', () => {
  it('matches an OpenTelemetry attribute kept as a tag, such as service.name', () => {
    const a = new Attributor(rules([{ name: 'support bot', match: { 'tags.service.name': 'support-*', 'tags.deployment.environment.name': 'production' }, set: { feature: 'support' } }]));
    const tags = JSON.stringify({ 'service.name': 'support-bot', 'deployment.environment.name': 'production' });
    expect(a.decide({ provider: 'openai', tags }, 'feature')).toMatchObject({ value: 'support', by: 'rule', rule: 'support bot' });
    expect(a.value({ provider: 'openai', tags: JSON.stringify({ 'service.name': 'research-agent' }) }, 'feature')).toBeNull();
  });
});
