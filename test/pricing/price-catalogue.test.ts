// A catalogue folder llmfin.yaml points at (pricing.catalogue) is JSON a user may edit by
// hand, a price say: a mistake names the file, the line and the option and what to write
// there, exit 2 — not zod's "Invalid input: expected string, received number".
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { InputError } from '../../src/shared/errors.js';
import { runCli, tempDir } from '../helpers/cli.js';

const MINI = fileURLToPath(new URL('../fixtures/pricing/mini/', import.meta.url));

/** A copy of the small test catalogue with `file` edited; returns the folder. */
function edited(file: string, edit: (text: string) => string): string {
  const dir = join(tempDir(), 'catalogue');
  cpSync(MINI, dir, { recursive: true });
  const text = readFileSync(join(dir, file), 'utf8');
  const changed = edit(text);
  expect(changed).not.toBe(text);
  writeFileSync(join(dir, file), changed);
  return dir;
}

/** gpt-4o's rates, on line 18 of openai.json. */
const GPT_4O_RATES = '"rates": { "input": "2.5", "output": "10", "cache_read": "1.25" }';

async function failure(dir: string, provider = 'openai'): Promise<InputError> {
  const error = await PriceCatalogue.load(dir).then((c) => c.provider(provider)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('a hand-edited catalogue file', () => {
  it('names the line and option of a price written as a number, and how to write it', async () => {
    const dir = edited('openai.json', (t) => t.replace(GPT_4O_RATES, GPT_4O_RATES.replace('"input": "2.5"', '"input": 2.5')));
    const e = await failure(dir);
    expect(e.message).toBe(`${join(dir, 'openai.json')}:18: models.0.offerings.0.periods.0.rates.input: expected string, got number 2.5 (quote it to make it text: "2.5")`);
    expect(e.exitCode).toBe(2);
  });

  it('names an unknown option at its line, with the one it is a slip of', async () => {
    const dir = edited('openai.json', (t) => t.replace(GPT_4O_RATES, GPT_4O_RATES.replace('"input"', '"inptu"')));
    expect((await failure(dir)).message).toBe(
      `${join(dir, 'openai.json')}:18: models.0.offerings.0.periods.0.rates: unknown option "inptu" (did you mean "models.0.offerings.0.periods.0.rates.input"?)`,
    );
  });

  it('says what to write for a list written as text, in JSON', async () => {
    const dir = edited('manifest.json', (t) => t.replace('"providers": ["openai", "anthropic", "bedrock"]', '"providers": "openai"'));
    expect((await failure(dir)).message).toBe(`${join(dir, 'manifest.json')}:5: providers: expected a list, written [a, b], got string "openai"`);
  });

  it('names the line and column of broken JSON', async () => {
    // Line 18 is 8 spaces, then `"rates": { "input": "2.5", "output": "10" "cache_read"…`: the parse stops at that quote, column 51.
    const dir = edited('openai.json', (t) => t.replace(GPT_4O_RATES, GPT_4O_RATES.replace('"output": "10",', '"output": "10"')));
    expect((await failure(dir)).message).toBe(`${join(dir, 'openai.json')}:18: expected valid JSON, got expected ',' or '}' after property value at column 51`);
  });

  it('exits 2 from a command using it through pricing.catalogue, with the message and a hint', async () => {
    const dir = edited('openai.json', (t) => t.replace(GPT_4O_RATES, GPT_4O_RATES.replace('"input": "2.5"', '"input": 2.5')));
    const cwd = join(dir, '..');
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  catalogue: ./catalogue\n');
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1000', '--output', '100'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: ${join(dir, 'openai.json')}:18: models.0.offerings.0.periods.0.rates.input: expected string, got number 2.5`);
    expect(r.stderr).toContain('hint: fix it there, or rebuild the catalogue with `llmfin pricing update FILE`');
    expect(r.stderr).not.toMatch(/Invalid input|received number/);
  });
});
