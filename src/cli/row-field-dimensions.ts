/**
 * A command's rows carry its own fields beside the dimensions they are grouped by, under
 * one key each (forecast's `method`, anomalies' `kind`): a dimension of such a name, which
 * an attribution rule may set, would be written over by the field or write over it. The
 * config cannot refuse every command's field names as dimensions (report's are refused
 * there; these are common words), so the command refuses to group by one.
 */
import { UsageError } from '../shared/errors.js';

export function refuseRowFieldDimensions(by: readonly string[], fields: readonly string[], command: string): void {
  const clash = by.find((d) => fields.includes(d));
  if (clash === undefined) return;
  // The whole list, not only the name that clashed: renaming a dimension onto another reserved key would be refused next.
  throw new UsageError(`--by: ${clash} is a field of every ${command} row, written beside its dimensions: grouped by a dimension of that name, one would hide the other (reserved: ${fields.join(', ')})`, {
    option: '--by',
    hint: `name the dimension otherwise in llmfin.yaml (attribution rules' set:), or use \`llmfin report --by ${clash}\``,
  });
}
