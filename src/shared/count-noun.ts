/** "1 row", "2 rows": a count and its noun, plural unless the count is one (regular nouns only). */
export function countNoun(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** "1 ledger row has no price", "3 ledger rows have no price": how many rows the catalogue could not price. */
export function withoutPrice(n: number, noun = 'ledger row'): string {
  return `${countNoun(n, noun)} ${n === 1 ? 'has' : 'have'} no price`;
}

/**
 * The warning for rows the catalogue could not price: how many, `what` that means for the
 * command's figures, and where to look. Most are a model the catalogue lacks; some come
 * from an export without a model (the Usage API not grouped by model), which no
 * custom_models entry can price, so the hint names both. "3 ledger rows have no price:
 * their cost is unknown, so … — `llmfin report --by model` names their models; …"
 */
export function unpricedRowsWarning(n: number, what: string, where?: string): string {
  const one = n === 1;
  return (
    `${countNoun(n, 'ledger row')}${where === undefined ? '' : ` ${where}`} ${one ? 'has' : 'have'} no price: ${what} — ` +
    `\`llmfin report --by model\` names ${one ? 'its model' : 'their models'}; add a model the catalogue lacks under pricing.custom_models ` +
    `(rows under "(unattributed)" have none: export the usage grouped by model)`
  );
}
