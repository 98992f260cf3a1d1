/**
 * Whether a path in llmfin.yaml reads like an environment variable (`$HOME/ledger.db`,
 * `${DATA}/x.db`). llmfin.yaml expands none, so such a path would name a folder called
 * "$HOME": the config refuses it, and `llmfin init` does not write one.
 */
export function namesEnvironmentVariable(path: string): boolean {
  return /\$(\{|[A-Za-z_])/.test(path);
}
