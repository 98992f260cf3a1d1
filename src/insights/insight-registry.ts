/** The insight finders `llmfin insights` runs, one line each. */
import type { InsightFinder } from './insight.js';
import { anomalyRisks } from './finders/anomaly-risks.js';
import { batchOpportunity } from './finders/batch-opportunity.js';
import { cachingOpportunity } from './finders/caching-opportunity.js';
import { modelArbitrage } from './finders/model-arbitrage.js';
import { modelConcentration } from './finders/model-concentration.js';
import { workloadFit } from './finders/workload-fit.js';

export const INSIGHT_FINDERS: readonly InsightFinder[] = [modelConcentration, modelArbitrage, workloadFit, cachingOpportunity, batchOpportunity, anomalyRisks];
