/**
 * The meta key counting the re-pricings that changed rows: a watcher of the ledger (`llmfin
 * top`) reads money already counted again when it moves, as it does after an import. A
 * module of its own, so that the watcher does not load the pricer to know it.
 */
export const REPRICED_KEY = 'repriced';
