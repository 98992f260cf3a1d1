// A RequestGate that allows everything and records what it was asked and how each ticket ended.
import type { GateDecision, GateRequest, RequestGate } from '../../src/proxy/request-gate.js';

export interface RecordingGate extends RequestGate {
  admitted: GateRequest[];
  settled: bigint[];
  released: number;
}

export function recordingGate(): RecordingGate {
  const gate: RecordingGate = {
    admitted: [],
    settled: [],
    released: 0,
    admit(request): GateDecision {
      gate.admitted.push(request);
      return { kind: 'allow', ticket: { settle: (t: bigint) => void gate.settled.push(t), release: () => void gate.released++ } };
    },
  };
  return gate;
}
