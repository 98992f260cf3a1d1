/** "1 row", "2 rows": a count and its noun, plural unless the count is one (regular nouns only). */
export function countNoun(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** "1 ledger row has no price", "3 ledger rows have no price": how many rows the catalogue could not price. */
export function withoutPrice(n: number, noun = 'ledger row'): string {
  return `${countNoun(n, noun)} ${n === 1 ? 'has' : 'have'} no price`;
}

/**
 * The warning for rows of a model the catalogue does not know: how many, `what` that means
 * for the command's figures, and where to fix it. "3 ledger rows have no price (unknown
 * model): their cost is unknown, so … — `llmfin report --by model` names the model; add it under pricing.custom_models"
 */
export function unpricedRowsWarning(n: number, what: string): string {
  return `${withoutPrice(n)} (unknown model): ${what} — \`llmfin report --by model\` names the model; add it under pricing.custom_models`;
}
