import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadPolicyFile } from '../../src/routing/load-policy-file.js';
import { tempDir } from '../helpers/cli.js';

const TIERS = 'tiers:\n  - name: small\n    models: { openai: [gpt-4o-mini] }\n';

function load(text: string) {
  const file = join(tempDir(), 'candidate.yaml');
  writeFileSync(file, text);
  return loadPolicyFile(file);
}

function errorOf(text: string): ConfigError {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPolicyFile', () => {
  it('says what a bad value is, and what the file had, in the words llmfin.yaml\'s errors use', () => {
    expect(errorOf(`mode: enforced\n${TIERS}`).message).toBe('candidate.yaml:1: mode: expected one of "shadow" | "enforce", got string "enforced"');
    expect(errorOf(`max_quality_loss: 10\n${TIERS}`).message).toBe('candidate.yaml:1: max_quality_loss: expected a number less than 1, got number 10');
    expect(errorOf(`${TIERS}stickiness: { enabled: yes please }\n`).message).toBe('candidate.yaml:4: stickiness.enabled: expected boolean, got string "yes please"');
    expect(errorOf(`routing:\n  scan_chars: 12\n  ${TIERS.replace(/\n {2}/g, '\n    ')}`).message).toBe('candidate.yaml:2: routing.scan_chars: expected a number at least 256, got number 12');
    expect(errorOf('tiers:\n  - name: small\n').message).toBe('candidate.yaml:2: tiers.0.models: expected a mapping of names to lists, each written "NAME: [a, b]" on a line of its own, got nothing');
  });

  it('words and places a YAML mistake as llmfin.yaml does: a second document, an unknown option at its own line, a billion laughs', () => {
    expect(errorOf(`${TIERS}---\nmode: shadow\n`).message).toBe('candidate.yaml:4: not valid YAML: expected one YAML document, found another after a "---" line');
    expect(errorOf(`${TIERS}    bogus: 1\n`).message).toBe('candidate.yaml:4: tiers.0: unknown option "bogus"');
    expect(errorOf(`mode: enforce\n${TIERS}max_quality_los: 0.1\n`).message).toBe('candidate.yaml:5: routing: unknown option "max_quality_los" (did you mean "max_quality_loss"?)');
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
    expect(errorOf(`${laughs}\n`).message).toMatch(/^candidate\.yaml:1: not valid YAML: /);
    // What the file had, as llmfin.yaml's error says it.
    expect(errorOf('- small\n- large\n').message).toBe('candidate.yaml:1: expected a mapping: a routing section, or an llmfin.yaml with routing:, got a list');
  });

  it('an llmfin.yaml with its routing: misspelt, or without one, is told so, not of a routing section it does not have', () => {
    const routing = `  ${TIERS.replace(/\n {2}/g, '\n    ')}`;
    expect(errorOf(`ledger:\n  path: x.db\nroutng:\n${routing}`).message).toBe('candidate.yaml:3: unknown option "routng" (did you mean "routing"?)');
    const none = errorOf('ledger:\n  path: x.db\nbudgets:\n  - { name: org, limit_usd: 10 }\n');
    expect(none.message).toBe('candidate.yaml:1: no routing: section in this llmfin.yaml (it has ledger, budgets)');
    expect(none.hint).toContain('routing:');
    // A routing section at the top level with an unknown option is still told of that option.
    expect(errorOf(`${TIERS}mode_: enforce\n`).message).toBe('candidate.yaml:4: routing: unknown option "mode_" (did you mean "mode"?)');
  });

  it('reads an option left empty as absent, as llmfin.yaml does: a routing: section copied from it means the same', () => {
    const policy = load(`routing:\n  ${TIERS.replace(/\n {2}/g, '\n    ')}  stickiness:\n    # enabled: false\n  escalation:\n`);
    expect(policy.routing.tiers?.map((t) => t.name)).toEqual(['small']);
    expect(policy.routing.stickiness).toBeUndefined();
    expect(policy.routing.escalation).toBeUndefined();
  });

  it('reads a whole llmfin.yaml\'s upstreams as llmfin.yaml does: an upstream named anthropic speaks Anthropic\'s API', () => {
    const policy = load(`proxy:\n  upstreams:\n    anthropic: { base_url: https://api.anthropic.com }\n    groq: { base_url: https://api.groq.com/openai/v1 }\nrouting:\n  ${TIERS.replace(/\n {2}/g, '\n    ')}`);
    expect(policy.upstreams).toMatchObject({ anthropic: { dialect: 'anthropic' }, groq: { dialect: 'openai' } });
  });

  it('a bad upstream in a whole llmfin.yaml is a ConfigError naming its line and option, not a crash later', () => {
    const routing = `routing:\n  ${TIERS.replace(/\n {2}/g, '\n    ')}`;
    expect(errorOf(`proxy:\n  upstreams:\n    claude: { base_url: http://localhost:9, dialect: antropic }\n${routing}`).message).toBe(
      'candidate.yaml:3: proxy.upstreams.claude.dialect: expected one of "openai" | "anthropic", got string "antropic"',
    );
    expect(errorOf(`proxy:\n  upstreams: [1, 2]\n${routing}`).message).toBe('candidate.yaml:2: proxy.upstreams: expected a mapping of names, each written "NAME:" with base_url: … under it, got a list');
    expect(errorOf(`proxy:\n  upstreams:\n    groq:\n      base_url: https://api.groq.com/openai/v1\n      dialet: openai\n${routing}`).message).toBe(
      'candidate.yaml:5: proxy.upstreams.groq: unknown option "dialet" (did you mean "proxy.upstreams.groq.dialect"?)',
    );
  });
});
