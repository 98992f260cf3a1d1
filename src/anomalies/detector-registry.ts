/** The anomaly detectors `llmfin anomalies` runs, one line each. */
import type { AnomalyDetector } from './anomaly-detector.js';
import { agentLoops } from './detectors/agent-loops.js';
import { runawaySessions } from './detectors/runaway-sessions.js';
import { spendChange } from './detectors/spend-change.js';
import { unitCreep } from './detectors/unit-creep.js';
import { weeklyCost } from './detectors/weekly-cost.js';

export const DETECTORS: readonly AnomalyDetector[] = [spendChange, unitCreep, weeklyCost, runawaySessions, agentLoops];
