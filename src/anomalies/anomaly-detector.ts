/**
 * The anomaly extension point: a detector reads the loaded input and returns alerts. A
 * new detector is a file in detectors/ plus one line in detector-registry.ts.
 */
import type { Anomaly, AnomalyInput } from './anomaly.js';
import type { Thresholds } from './sensitivity.js';

export interface DetectorSettings {
  thresholds: Thresholds;
  minImpactUsd: number;
  runawaySessionUsd: number;
  loopRepeats: number;
}

export interface AnomalyDetector {
  readonly id: string;
  detect(input: AnomalyInput, settings: DetectorSettings): Anomaly[];
}
