/**
 * `--skip-invalid` on a file none of whose rows could be read: recorded, it would be a batch
 * of no rows that exits 0 and lists in `import --list` as if the file had been imported.
 * It is refused instead (exit 2, no batch), after its rejects file is written, so that the
 * reasons are there to fix the rows by.
 */
import { InputError } from '../shared/errors.js';

export class AllRowsRejectedError extends InputError {
  readonly rejected: number;
  readonly rejectsFile: string;
  constructor(fileName: string, rejected: number, rejectsFile: string, first: { line: number; reason: string }) {
    const rows = rejected === 1 ? 'its only row was' : `all ${rejected.toLocaleString('en-US')} rows were`;
    super(fileName, undefined, `${rows} rejected, reasons in ${rejectsFile}; nothing imported`, {
      hint: `fix the file (the first: line ${first.line}: ${first.reason}) and import it again`,
    });
    this.rejected = rejected;
    this.rejectsFile = rejectsFile;
  }
}
