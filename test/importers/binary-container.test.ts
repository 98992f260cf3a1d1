// A ZIP archive (a CUR delivered with ZIP compression, an Excel workbook) or a Parquet file
// is refused by name, whether its source is detected or forced, instead of as text that is
// not UTF-8 at a byte of the archive's header.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseImporter } from '../../src/importers/run-import.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';

function file(name: string, bytes: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

function refusal(path: string, name: string, forced?: string): InputError {
  try {
    chooseImporter(path, name, forced);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe('a ZIP or Parquet file', () => {
  // A local file header: "PK\3\4", version 20, then the name's bytes a few fields on; a byte
  // 0x82 follows the header as in a real archive, where the UTF-8 check stopped before.
  const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x82]), Buffer.from('cur-2026-10.csv')]);
  const parquet = Buffer.concat([Buffer.from('PAR1', 'latin1'), Buffer.from([0x15, 0x04, 0x15, 0x80, 0x01, 0xff, 0xfe])]);

  it('is refused as what it is, detected or with --source, with what to do', () => {
    const cur = file('cur-2026-10.zip', zip);
    for (const forced of [undefined, 'aws-cur']) {
      const error = refusal(cur, 'cur-2026-10.zip', forced);
      expect(error.message).toBe('cur-2026-10.zip: expected a CSV or JSON file (gzipped or not), got a ZIP archive (an Excel workbook, .xlsx, is one too)');
      expect(error.hint).toContain('unzip it and import the CSV or JSON inside');
    }
    const workbook = refusal(file('azure.xlsx', zip), 'azure.xlsx', 'azure-cost');
    expect(workbook.message).toContain('got a ZIP archive (an Excel workbook, .xlsx, is one too)');
    expect(workbook.hint).toContain('Save As → "CSV UTF-8 (comma delimited)"');
    const focus = refusal(file('focus.parquet', parquet), 'focus.parquet');
    expect(focus.message).toBe('focus.parquet: expected a CSV or JSON file (gzipped or not), got a Parquet file');
  });
});
