/**
 * Id handling in the seed: genai-prices match rules → exact ids and anchored snapshot
 * regexes (never a loose prefix, genai-prices #471), LiteLLM keys → bare id and
 * offering scope, and the regex exclusion that keeps one id to one model.
 */
import { describe, expect, it } from 'vitest';
import { convertMatch } from '../../../src/pricing/seed/genai-match.js';
import { parseLitellmKey, stripBedrockRevision } from '../../../src/pricing/seed/litellm-key.js';
import { classFor, kindFromId } from '../../../src/pricing/seed/model-class.js';
import { excludeFromRegex, isSnapshotOf, snapshotRegex } from '../../../src/pricing/seed/snapshot-pattern.js';
import { spellingVariants } from '../../../src/pricing/seed/build-model.js';

const same = (v: string) => v;

describe('convertMatch', () => {
  it('turns starts_with into an exact id plus a dated-snapshot family, not a prefix', () => {
    const m = convertMatch({ or: [{ starts_with: 'command-a' }, { equals: 'command-a-03-2025' }] }, same);
    expect(m.exact).toEqual(['command-a', 'command-a-03-2025']);
    expect(m.prefixes).toEqual(['command-a']);
    const re = new RegExp(snapshotRegex('cohere', 'command-a'));
    expect(re.test('command-a-20250301')).toBe(true);
    expect(re.test('command-a-plus')).toBe(false);
    expect(re.test('command-a-plus-20250801')).toBe(false);
  });

  it('keeps anchored regexes, drops unanchored ones, and handles Vertex "@", partial dates and fine-tunes', () => {
    const m = convertMatch(
      {
        or: [
          { regex: '^gpt-5\\.6-luna-\\d{4}-\\d{2}-\\d{2}$' },
          { regex: '^gemini-3\\.5-flash-\\d' },
          { starts_with: 'claude-sonnet-4@' },
          { starts_with: 'claude-sonnet-4-2025' },
          { starts_with: 'ft:gpt-4o-2024-' },
          { starts_with: 'magistral-small-' },
        ],
      },
      same,
    );
    expect(m.regex).toEqual(['^gpt-5\\.6-luna-\\d{4}-\\d{2}-\\d{2}$', '^claude-sonnet-4-2025\\d{4}$', '^ft:gpt-4o-2024-.+$']);
    expect(m.dropped).toEqual(['regex: ^gemini-3\\.5-flash-\\d']);
    expect(m.exact).toEqual(['claude-sonnet-4', 'magistral-small']);
    expect(m.prefixes).toEqual(['magistral-small']);
  });

  it('treats a value that already ends in a date as one snapshot', () => {
    const m = convertMatch({ contains: 'anthropic.claude-sonnet-4-5-20250929' }, same);
    expect(m.exact).toEqual(['anthropic.claude-sonnet-4-5-20250929']);
    expect(m.prefixes).toEqual([]);
  });
});

describe('snapshot patterns', () => {
  it('accept the date shapes each provider uses', () => {
    expect(isSnapshotOf('anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929')).toBe(true);
    expect(isSnapshotOf('openai', 'gpt-5.6-luna', 'gpt-5.6-luna-2026-07-09')).toBe(true);
    expect(isSnapshotOf('google', 'gemini-1.5-pro', 'gemini-1.5-pro-002')).toBe(true);
    expect(isSnapshotOf('mistral', 'mistral-large', 'mistral-large-2411')).toBe(true);
    expect(isSnapshotOf('openai', 'gpt-4o', 'gpt-4o-mini')).toBe(false);
    expect(isSnapshotOf('anthropic', 'claude-sonnet-4', 'claude-sonnet-4-5')).toBe(false);
  });

  it('exclude other models’ ids with a negative lookahead', () => {
    const re = excludeFromRegex('^gpt-4o-\\d{4}-\\d{2}-\\d{2}$', ['gpt-4o-2024-05-13']);
    expect(re).toBe('^(?!(?:gpt-4o-2024-05-13)$)gpt-4o-\\d{4}-\\d{2}-\\d{2}$');
    expect(new RegExp(re).test('gpt-4o-2024-05-13')).toBe(false);
    expect(new RegExp(re).test('gpt-4o-2024-08-06')).toBe(true);
  });
});

describe('parseLitellmKey', () => {
  it('splits Bedrock geo profiles, regions and revisions', () => {
    expect(parseLitellmKey('bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({
      id: 'anthropic.claude-sonnet-4-5-20250929',
      spellings: ['anthropic.claude-sonnet-4-5-20250929-v1:0'],
      scope: 'regional',
      geoPrefix: 'us',
    });
    expect(parseLitellmKey('bedrock', 'global.anthropic.claude-opus-4-6-v1')).toMatchObject({ id: 'anthropic.claude-opus-4-6', scope: 'global' });
    expect(parseLitellmKey('bedrock', 'bedrock/eu-west-1/meta.llama3-70b-instruct-v1:0')).toMatchObject({ id: 'meta.llama3-70b-instruct', awsRegion: 'eu-west-1' });
    expect(parseLitellmKey('bedrock', 'bedrock/us-east-1/1-month-commitment/anthropic.claude-v2:1')).toBeUndefined();
  });

  it('keeps model versions that are not revisions', () => {
    expect(stripBedrockRevision('amazon.titan-embed-text-v2:0')).toBe('amazon.titan-embed-text-v2');
    expect(stripBedrockRevision('anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe('anthropic.claude-3-5-sonnet-20241022');
    expect(stripBedrockRevision('anthropic.claude-v2:1')).toBe('anthropic.claude-v2');
  });

  it('maps Azure deployment types to offering scopes', () => {
    expect(parseLitellmKey('azure', 'azure/eu/gpt-5.1')).toMatchObject({ id: 'gpt-5.1', scope: 'eu', rank: 0 });
    expect(parseLitellmKey('azure', 'azure/global-standard/gpt-4o-mini')).toMatchObject({ id: 'gpt-4o-mini', scope: 'global', rank: 0 });
    expect(parseLitellmKey('azure', 'azure/gpt-4o')).toMatchObject({ id: 'gpt-4o', scope: 'global', rank: 1 });
  });

  it('strips provider prefixes, Vertex versions and Fireworks paths; skips pseudo entries', () => {
    expect(parseLitellmKey('google', 'gemini/gemini-2.5-pro')).toMatchObject({ id: 'gemini-2.5-pro', rank: 0 });
    expect(parseLitellmKey('vertex', 'vertex_ai/claude-sonnet-4-5@20250929')).toMatchObject({ id: 'claude-sonnet-4-5' });
    expect(parseLitellmKey('fireworks', 'fireworks_ai/accounts/fireworks/models/deepseek-v3p2')).toMatchObject({ id: 'deepseek-v3p2' });
    expect(parseLitellmKey('together', 'together-ai-4.1b-8b')).toBeUndefined();
  });
});

describe('names', () => {
  it('adds dot/dash and provider-prefix spellings', () => {
    expect(spellingVariants('claude-sonnet-4-5')).toEqual(['claude-sonnet-4.5']);
    expect(spellingVariants('gpt-5.4-mini')).toEqual(['gpt-5-4-mini']);
    expect(spellingVariants('openai/gpt-oss-120b')).toEqual(['gpt-oss-120b']);
    expect(spellingVariants('meta-llama/llama-3.3-70b')).toEqual([]);
  });

  it('guesses kind and class from the id', () => {
    expect(kindFromId('text-embedding-3-small')).toBe('embedding');
    expect(kindFromId('gpt-4o-mini-tts')).toBe('audio');
    expect(classFor('claude-opus-4-6', 'chat')).toBe('flagship');
    expect(classFor('gpt-5.4-mini', 'chat')).toBe('small');
    expect(classFor('claude-sonnet-4-5', 'chat')).toBe('workhorse');
    expect(classFor('meta-llama/Llama-3.1-8B-Instruct', 'chat')).toBe('small');
    expect(classFor('gemini-2.5-pro', 'chat')).toBe('flagship');
    expect(classFor('text-embedding-3-small', 'embedding')).toBeUndefined();
  });
});
