/** Helpers shared by finders: usage summed per model. */
import { addMix, emptyMix, type TokenMix } from '../../forecast/token-mix.js';
import type { UsageCell } from '../insight.js';

export function monthlyByModel(cells: readonly UsageCell[]): TokenMix[] {
  const map = new Map<string, TokenMix>();
  for (const c of cells) {
    const key = `${c.mix.provider}\u0000${c.mix.model}`;
    let m = map.get(key);
    if (!m) map.set(key, (m = emptyMix(c.mix.provider, c.mix.model)));
    addMix(m, c.mix);
  }
  return [...map.values()];
}
