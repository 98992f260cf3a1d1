import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { ConfigError } from '../../src/config/config-error.js';

function message(text: string): string {
  try {
    parseConfigText(text, 'llmfin.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('config errors in words, not in zod or yaml internals', () => {
  it('names the range a number must be in', () => {
    expect(message('budgets:\n  - name: a\n    limit_usd: 0\n')).toBe('llmfin.yaml:3: budgets.0.limit_usd: expected a number greater than 0, got number 0');
    expect(message('proxy:\n  port: 99999\n')).toBe('llmfin.yaml:2: proxy.port: expected a number at most 65535, got number 99999');
    expect(message('proxy:\n  port: -1\n')).toBe('llmfin.yaml:2: proxy.port: expected a number at least 0, got number -1');
    expect(message('proxy:\n  port: 8787.5\n')).toBe('llmfin.yaml:2: proxy.port: expected a whole number, got number 8787.5');
    expect(message('anomalies:\n  loop_repeats: 1\n')).toBe('llmfin.yaml:2: anomalies.loop_repeats: expected a number at least 2, got number 1');
  });

  it('says a number must be finite when YAML read an infinite one, never "expected number, got number"', () => {
    expect(message('budgets:\n  - name: a\n    limit_usd: .inf\n')).toBe('llmfin.yaml:3: budgets.0.limit_usd: expected a finite number, got number Infinity');
    expect(message('budgets:\n  - name: a\n    limit_usd: 1e400\n')).toBe('llmfin.yaml:3: budgets.0.limit_usd: expected a finite number, got number Infinity');
    expect(message('budgets:\n  - name: a\n    limit_usd: .nan\n')).toBe('llmfin.yaml:3: budgets.0.limit_usd: expected a finite number, got number NaN');
    // A value of another type still says what was expected of it.
    expect(message('budgets:\n  - name: a\n    limit_usd: "100"\n')).toBe('llmfin.yaml:3: budgets.0.limit_usd: expected number, got string "100"');
  });

  it('says how to write as text a value YAML read as a number', () => {
    expect(message('budgets:\n  - name: a\n    limit_usd: 5\n    scope: { customer: 12345 }\n')).toBe(
      'llmfin.yaml:4: budgets.0.scope.customer: expected string, got number 12345 (quote it to make it text: "12345")',
    );
    expect(message('budgets:\n  - name: 2026\n    limit_usd: 5\n')).toBe('llmfin.yaml:2: budgets.0.name: expected string, got number 2026 (quote it to make it text: "2026")');
  });

  it('says an empty text is not allowed, and keeps a message the schema chose', () => {
    expect(message('ledger:\n  path: ""\n')).toBe('llmfin.yaml:2: ledger.path: expected a non-empty text, got string ""');
    expect(message('proxy:\n  host: ""\n')).toBe('llmfin.yaml:2: proxy.host: expected a host to listen on, such as 127.0.0.1 (0.0.0.0 for every interface), got string ""');
  });

  it('names the rule a user-chosen name broke', () => {
    expect(message('proxy:\n  upstreams:\n    "bad name!":\n      base_url: https://x.example\n')).toBe(
      'llmfin.yaml:4: proxy.upstreams.bad name!: expected an upstream name of letters, digits, - and _, got string "bad name!"',
    );
  });

  it('says what to write where a list or a mapping belongs, read off the schema, never "expected array" or "expected record"', () => {
    // Budget: name and limit_usd must be written; the rest have defaults.
    expect(message('budgets:\n  name: a\n  limit_usd: 10\n')).toBe('llmfin.yaml:2: budgets: expected a list, each item written "- name: …" with limit_usd: … under it, got a mapping');
    expect(message('budgets:\n  - 5\n')).toBe(
      'llmfin.yaml:2: budgets.0: expected an item written "- name: …" with limit_usd: … under it (its options: name, scope, period, limit_usd, soft_limit_percent, …), got number 5',
    );
    expect(message('budgets:\n  - name: a\n    limit_usd: 10\n    scope: team\n')).toBe(
      'llmfin.yaml:4: budgets.0.scope: expected a mapping of names to values, each written "NAME: …" on a line of its own, got string "team"',
    );
    expect(message('proxy: yes\n')).toBe(
      'llmfin.yaml:1: proxy: expected a mapping of options, written "host: …" on a line of its own under it (options: host, port, store_prompts, upstreams, keys, …), got string "yes"',
    );
    expect(message('proxy:\n  upstreams:\n    - openai\n')).toBe('llmfin.yaml:3: proxy.upstreams: expected a mapping of names, each written "NAME:" with base_url: … under it, got a list');
    expect(message('routing:\n  tiers:\n    - name: small\n      models: gpt-4o-mini\n')).toBe(
      'llmfin.yaml:4: routing.tiers.0.models: expected a mapping of names to lists, each written "NAME: [a, b]" on a line of its own, got string "gpt-4o-mini"',
    );
    expect(message('attribution:\n  dimensions: cost_center\n')).toBe(
      'llmfin.yaml:2: attribution.dimensions: expected a list, each item written "- …" on a line of its own (or [a, b] on one line), got string "cost_center"',
    );
  });

  it('says a second YAML document is one too many without naming a library function', () => {
    expect(message('proxy: {}\n---\nbudgets: []\n')).toBe('llmfin.yaml:2: not valid YAML: expected one YAML document, found another after a "---" line');
  });
  it('places an alias whose anchor is not set before it at the alias\'s line', () => {
    const shared = 'ledger:\n  path: x.db\nbudgets:\n  - name: a\n    limit_usd: 5\n    action: *action\n';
    expect(message(shared)).toBe('llmfin.yaml:6: not valid YAML: Unresolved alias (the anchor must be set before the alias): action');
  });
});

describe('YAML merge keys', () => {
  it('let one budget share another\'s options, a merged option overridden by its own', () => {
    const text = [
      'budgets:',
      '  - &team-monthly',
      '    name: search',
      '    scope: { team: search }',
      '    limit_usd: 500',
      '    action: block',
      '    timezone: Europe/Paris',
      '  - <<: *team-monthly',
      '    name: support',
      '    scope: { team: support }',
      '    limit_usd: 250',
      '',
    ].join('\n');
    const budgets = parseConfigText(text, 'llmfin.yaml').budgets;
    expect(budgets.map((b) => [b.name, b.scope, b.limit_usd, b.action, b.timezone])).toEqual([
      ['search', { team: 'search' }, 500, 'block', 'Europe/Paris'],
      ['support', { team: 'support' }, 250, 'block', 'Europe/Paris'],
    ]);
  });

  it('still check what they merge', () => {
    const text = 'budgets:\n  - &b { name: a, limit_usd: 5, limt: 1 }\n  - <<: *b\n    name: c\n';
    expect(() => parseConfigText(text, 'llmfin.yaml')).toThrow(ConfigError);
    expect(message(text)).toMatch(/^llmfin\.yaml:2: budgets\.0: unknown option "limt"/);
  });
});
