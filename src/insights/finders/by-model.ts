/** Helpers shared by finders: usage summed per model. */
import { addMix, emptyMix } from '../../forecast/token-mix.js';
import type { UsageCell } from '../insight.js';
import { addTiered } from '../price-usage.js';

/** Each model's cells summed (features merged), tiered parts included. */
export function monthlyByModel(cells: readonly UsageCell[]): Pick<UsageCell, 'mix' | 'tiered'>[] {
  const map = new Map<string, Required<Pick<UsageCell, 'mix' | 'tiered'>>>();
  for (const c of cells) {
    const key = `${c.mix.provider}\u0000${c.mix.model}`;
    let m = map.get(key);
    if (!m) map.set(key, (m = { mix: emptyMix(c.mix.provider, c.mix.model), tiered: [] }));
    addMix(m.mix, c.mix);
    addTiered(m.tiered, c.tiered ?? [], c.mix.provider, c.mix.model);
  }
  return [...map.values()];
}
