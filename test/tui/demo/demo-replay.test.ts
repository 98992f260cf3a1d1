import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { llmfinImporter } from '../../../src/importers/llmfin/llmfin-importer.js';
import { repriceLedger } from '../../../src/repricing/reprice-ledger.js';
import { demoProfiles } from '../../../src/tui/demo/demo-profiles.js';
import { DemoReplay } from '../../../src/tui/demo/demo-replay.js';
import { freshLedger, importInto, testPricer } from '../../helpers/import.js';

describe('the live demo replay', () => {
  it('prices each request from its tokens, so re-pricing with the same catalogue changes no row', async () => {
    const ledger = await freshLedger();
    const fixtures = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl')).sort()) await importInto(ledger, llmfinImporter, join(fixtures, name));
    const pricer = await testPricer();
    const at = Date.parse('2026-11-02T12:00:00Z');
    const replay = new DemoReplay({ ledger, days: await demoProfiles(ledger), requestsPerSecond: 400, now: () => at, pricer });
    for (let i = 0; i < 5; i++) await replay.flush();
    expect(replay.written).toBeGreaterThan(100);
    const r = await repriceLedger(ledger, pricer, { catalogueVersion: pricer.catalogue.manifest.version, since: '2026-11-01T00:00:00.000Z', dryRun: true });
    expect(r.rowsRead).toBe(replay.written);
    expect(r.rowsChanged).toBe(0);
    expect(r.costAfterTicks).toBe(r.costBeforeTicks);
    await ledger.close();
  });

  it('records a routed request as the proxy does, with the tag routed_from, so that top shows it as routed', async () => {
    const ledger = await freshLedger();
    const fixtures = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl')).sort()) await importInto(ledger, llmfinImporter, join(fixtures, name));
    const at = Date.parse('2026-11-02T12:00:00Z');
    const replay = new DemoReplay({ ledger, days: await demoProfiles(ledger), requestsPerSecond: 400, now: () => at });
    for (let i = 0; i < 5; i++) await replay.flush();
    const rows = await ledger.db.selectFrom('usage_entries').select(['model', 'model_requested', 'tags']).where('source', '=', 'llmfin-demo').execute();
    const routed = rows.filter((r) => r.model_requested !== r.model);
    expect(routed.length).toBeGreaterThan(0);
    for (const r of routed) expect(JSON.parse(r.tags ?? '{}')).toMatchObject({ routed_from: r.model_requested });
    await ledger.close();
  });
});
