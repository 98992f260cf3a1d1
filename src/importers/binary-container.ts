/**
 * Files that hold an export without being one: a ZIP archive (a CUR delivered with ZIP
 * compression, a download bundled by the browser, an Excel workbook, which is a ZIP too) and
 * Parquet (CUR 2.0's and FOCUS exports' other format). Their bytes are no UTF-8 text, and
 * the refusal said so at a byte of the archive's header, which named neither the format nor
 * what to do.
 */
import { InputError } from '../shared/errors.js';

const CONTAINERS: Array<{ magic: Buffer; what: string; hint: string }> = [
  {
    magic: Buffer.from('PK\u0003\u0004', 'latin1'),
    what: 'a ZIP archive (an Excel workbook, .xlsx, is one too)',
    hint: 'nothing was imported from this file; unzip it and import the CSV or JSON inside, or save the workbook as CSV (in Excel: Save As → "CSV UTF-8 (comma delimited)")',
  },
  {
    magic: Buffer.from('PAR1', 'latin1'),
    what: 'a Parquet file',
    hint: 'nothing was imported from this file; have the export written as CSV (a CUR 2.0 or FOCUS export offers "text/CSV", gzipped), or convert the file to CSV',
  },
];

/** The refusal of a file that starts as a ZIP archive or a Parquet file, if it does. */
export function binaryContainerError(head: Buffer, fileName: string): InputError | undefined {
  const found = CONTAINERS.find((c) => head.subarray(0, c.magic.length).equals(c.magic));
  return found && new InputError(fileName, undefined, `expected a CSV or JSON file (gzipped or not), got ${found.what}`, { hint: found.hint });
}
