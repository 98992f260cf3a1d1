/**
 * `~` as the home folder, in a path of llmfin.yaml and in one given on the command line
 * or in LLMFIN_DB / LLMFIN_CONFIG: a shell leaves `--db=~/ledger.db` (after `=`) and a
 * quoted or .env-file `~` as they are, and read as a relative path they would name a
 * folder called "~" in the working directory.
 */
export function expandHome(path: string, env: Record<string, string | undefined>): string {
  if (path === '~' || path.startsWith('~/')) return `${env.HOME ?? ''}${path.slice(1)}`;
  return path;
}
