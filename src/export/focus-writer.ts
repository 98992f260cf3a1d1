/** `--format focus`: FOCUS 1.2 CSV for BI and FinOps tools; the column mapping is in focus-row.ts. */
import type { ExportFormat } from './export-format.js';
import { csvLine } from './csv-line.js';
import { FOCUS_COLUMNS, toFocusRow } from './focus-row.js';
import type { ListCostOf } from './list-cost.js';
import type { Attributor } from '../attribution/attributor.js';

/**
 * The FOCUS format. With `listCost`, rows priced under a discount carry their list price
 * as ListCost (list-cost.ts); with `attributor`, Tags hold the dimensions the attribution
 * rules give each row (focus-row.ts focusTags).
 */
export function createFocusFormat(options: { listCost?: ListCostOf | undefined; attributor?: Attributor | undefined } = {}): ExportFormat {
  const { listCost, attributor } = options;
  return {
    id: 'focus',
    description: 'FOCUS 1.2 CSV (FinOps Open Cost and Usage Specification) with x_llmfin_* columns, for BI tools',
    header: () => csvLine(FOCUS_COLUMNS),
    row(entry) {
      const row = toFocusRow(entry, listCost?.(entry), attributor);
      return csvLine(FOCUS_COLUMNS.map((column) => row[column]));
    },
  };
}

export const focusFormat: ExportFormat = createFocusFormat();
