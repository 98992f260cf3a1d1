/** Process entry: `bin/llmfin` calls this. Everything testable lives in run.ts. */
import { handleClosedPipes } from './closed-pipes.js';
import { processIO } from './cli-io.js';
import { run } from './run.js';

export async function main(): Promise<void> {
  handleClosedPipes();
  process.exitCode = await run(process.argv.slice(2), processIO());
}
