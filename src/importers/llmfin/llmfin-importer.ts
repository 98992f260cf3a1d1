/** Importer for llmfin's own JSONL format (see llmfin-row-schema.ts). */
import { createHash } from 'node:crypto';
import type { Importer, ImportIssue, ParsedImport } from '../importer.js';
import { priceRow } from '../price-entry.js';
import { LlmfinRow } from './llmfin-row-schema.js';
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import { dec, usdToTicks } from '../../shared/money.js';

/** llmfin rows are in the ledger's convention whatever the provider. */
const LEDGER_CONVENTION = { input_includes_cache: true, output_includes_reasoning: true };

export const llmfinImporter: Importer = {
  id: 'llmfin',
  description: "llmfin's own JSONL (what `llmfin export --format jsonl` writes)",
  detect: ({ fileName, head }) => /\.jsonl$/i.test(fileName) && /"provider"\s*:/.test(head) && /"ts"\s*:/.test(head),
  parse(text, ctx): ParsedImport {
    const entries: NewUsageEntry[] = [];
    const issues: ImportIssue[] = [];
    const lines = text.split('\n');
    let rowsRead = 0;
    const createdAt = ctx.now.toISOString();
    for (const [i, raw] of lines.entries()) {
      const line = raw.trim();
      if (line === '') continue;
      rowsRead++;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        issues.push({ line: i + 1, message: 'not valid JSON' });
        continue;
      }
      const parsed = LlmfinRow.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        issues.push({ line: i + 1, message: `${issue.path.map(String).join('.') || 'row'}: ${issue.message}` });
        continue;
      }
      const row = parsed.data;
      const cost = priceRow(
        ctx.pricer,
        {
          provider: row.provider,
          model: row.model,
          at: new Date(row.ts),
          convention: LEDGER_CONVENTION,
          serviceTier: row.service_tier ?? undefined,
          region: row.region ?? undefined,
          usage: {
            input: row.input_tokens,
            output: row.output_tokens,
            cacheRead: row.cache_read_tokens,
            cacheWrite5m: row.cache_write_5m_tokens,
            cacheWrite1h: row.cache_write_1h_tokens,
            reasoning: row.reasoning_tokens,
            requests: row.requests,
          },
        },
        ctx.catalogueVersion,
      );
      const reported = row.cost_usd === undefined || row.cost_usd === null ? null : dec(row.cost_usd).toFixed();
      // A billed row's money is the provider's number; our price stays beside it for reconciliation.
      const billed = row.provenance === 'billed' && reported !== null;
      entries.push({
        provenance: row.provenance,
        source: 'llmfin',
        dedupe_key: row.id ?? createHash('sha256').update(line).digest('hex').slice(0, 32),
        provider: row.provider,
        account: row.account ?? null,
        model: row.model,
        model_requested: row.model_requested ?? null,
        ts: new Date(row.ts).toISOString(),
        ts_end: row.ts_end ? new Date(row.ts_end).toISOString() : null,
        granularity: row.granularity,
        requests: row.requests,
        service_tier: row.service_tier ?? null,
        region: row.region ?? null,
        raw_usage: JSON.stringify({ convention: 'llmfin', input_tokens: row.input_tokens, cache_read_tokens: row.cache_read_tokens, cache_write_5m_tokens: row.cache_write_5m_tokens, cache_write_1h_tokens: row.cache_write_1h_tokens, output_tokens: row.output_tokens, reasoning_tokens: row.reasoning_tokens }),
        ...cost,
        ...(billed ? { cost_usd: reported, cost_ticks: usdToTicks(dec(reported)), cost_status: 'billed' as const } : {}),
        reported_cost_usd: reported,
        currency: 'USD',
        team: row.team ?? null,
        feature: row.feature ?? null,
        customer: row.customer ?? null,
        agent: row.agent ?? null,
        project: row.project ?? null,
        environment: row.environment ?? null,
        api_key: row.api_key ?? null,
        workspace: row.workspace ?? null,
        user: row.user ?? null,
        trace_id: row.trace_id ?? null,
        tags: row.tags ? JSON.stringify(row.tags) : null,
        request_id: row.request_id ?? null,
        created_at: createdAt,
      });
    }
    return { entries, issues, rowsRead };
  },
};
