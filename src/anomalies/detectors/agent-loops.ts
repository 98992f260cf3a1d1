/**
 * Agent loops in recorded traces: replays each trace's calls through detectLoop (the
 * same check the proxy runs live) and reports the first call it flags; excess $ is what
 * the trace spent from that call on.
 */
import { roundUsd } from '../../shared/money.js';
import type { AnomalyDetector } from '../anomaly-detector.js';
import type { Anomaly } from '../anomaly.js';
import { callSignature, detectLoop, type LoopCall } from '../loop-detector.js';

export const agentLoops: AnomalyDetector = {
  id: 'agent-loops',
  detect(input, settings) {
    const out: Anomaly[] = [];
    for (const t of input.traces) {
      const recent: LoopCall[] = [];
      for (let i = 0; i < t.calls.length; i++) {
        const c = t.calls[i]!;
        recent.push({ signature: callSignature(c), error: c.error });
        if (recent.length > 2 * settings.loopRepeats) recent.shift();
        const found = detectLoop(recent, settings.loopRepeats);
        if (!found) continue;
        // Everything from the first of the repeated calls on is the loop.
        const start = Math.max(0, i - found.repeats + 1);
        const loop = t.calls.slice(start);
        // In ticks, exactly, converted once by roundUsd.
        const excess = t.calls.slice(i).reduce((s, x) => s + x.cost_ticks, 0n);
        const repeats = loop.filter((x) => callSignature(x) === callSignature(c)).length;
        out.push({
          kind: 'agent_loop',
          dims: { ...t.dims, trace: t.trace },
          since: t.calls[start]!.ts,
          until: t.calls.at(-1)!.ts,
          detected: c.ts,
          metric: 'repeated_calls',
          observed: repeats,
          expected: settings.loopRepeats - 1,
          excess_usd: roundUsd(excess),
          evidence: `trace ${t.trace}: ${found.kind === 'same_error' ? `the same error (${c.error}) ` : found.kind === 'oscillation' ? 'two calls alternating ' : `an identical call (${c.prompt_hash ? 'same prompt hash' : `${c.model}, ${c.input_tokens.toLocaleString('en-US')} in / ${c.output_tokens.toLocaleString('en-US')} out`}) `}repeated ${repeats}× from ${t.calls[start]!.ts}; flagged at call ${i + 1} of ${t.calls.length}`,
          score: repeats,
        });
        break;
      }
    }
    return out;
  },
};
