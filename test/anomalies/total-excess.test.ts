// The anomalies total counts each entity-day's excess once (its largest alert), creeps of one series added up.
import { describe, expect, it } from 'vitest';
import type { AnomalyKind } from '../../src/anomalies/anomaly.js';
import { totalExcess } from '../../src/anomalies/total-excess.js';

const alert = (kind: AnomalyKind, metric: string, dims: Record<string, string>, since: string, until: string, excess_usd: number, daily?: Record<string, number>) => ({
  kind, metric, dims, since, until, excess_usd, ...(daily ? { daily } : {}),
});

describe('totalExcess', () => {
  it('a spike inside a level shift, a loop on a shifted day, and a creep of the same spend count once', () => {
    const search = { feature: 'search' };
    const chat = { feature: 'chat' };
    const total = totalExcess([
      alert('level_shift', 'spend', search, '2026-10-08', '2026-10-12', 100, { '2026-10-08': 20, '2026-10-09': 20, '2026-10-10': 20, '2026-10-11': 20, '2026-10-12': 20 }),
      alert('spike', 'spend', search, '2026-10-10', '2026-10-10', 50, { '2026-10-10': 50 }),
      alert('agent_loop', 'repeated_calls', { ...search, trace: 't1' }, '2026-10-12T09:00:00.000Z', '2026-10-12T09:04:00.000Z', 5),
      // Two creeps of one series hold disjoint tokens: on Oct 12 they add up.
      alert('creep', 'tokens_per_request', search, '2026-10-11', '2026-10-12', 14, { '2026-10-11': 8, '2026-10-12': 6 }),
      alert('creep', 'tokens_per_request', search, '2026-10-12', '2026-10-12', 30, { '2026-10-12': 30 }),
      // A week-over-week cost creep has no days of its own: $70 over 7 days is $10 a day.
      alert('creep', 'weekly_cost', chat, '2026-10-06', '2026-10-12', 70),
      alert('spike', 'spend', chat, '2026-10-12', '2026-10-12', 40.004, { '2026-10-12': 40.004 }),
    ]);
    // search: Oct 8 20, Oct 9 20, Oct 10 max(20, 50) = 50, Oct 11 max(8, 20) = 20, Oct 12 max(6 + 30, 20, 5) = 36 → 146
    // chat: Oct 6–11 6 × 10 = 60, Oct 12 max(10, 40.004) = 40.004 → 100.004; in all 246.004 → $246.00
    // (the alerts' own sum is $309.00)
    expect(total).toBe(246);
  });

  it('rounds the total half up on its exact decimal: $1.005 is $1.01, $0.285 is $0.29', () => {
    // Math.round(x * 100) / 100 gave 1 and 0.28 (the floats sit just below the half cent).
    expect(totalExcess([alert('spike', 'spend', { team: 'x' }, '2026-10-05', '2026-10-05', 1.005)])).toBe(1.01);
    expect(totalExcess([alert('spike', 'spend', { team: 'x' }, '2026-10-05', '2026-10-05', 0.285)])).toBe(0.29);
    // Two groups, $2.50 + $0.175 = $2.675 → $2.68.
    expect(totalExcess([alert('spike', 'spend', { team: 'x' }, '2026-10-05', '2026-10-05', 2.5), alert('spike', 'spend', { team: 'y' }, '2026-10-05', '2026-10-05', 0.175)])).toBe(2.68);
  });

  it('alerts of other groups, or of one group on other days, add up', () => {
    expect(totalExcess([alert('spike', 'spend', { team: 'x' }, '2026-10-05', '2026-10-05', 10), alert('spike', 'spend', { team: 'y' }, '2026-10-05', '2026-10-05', 12.5)])).toBe(22.5);
    expect(totalExcess([alert('spike', 'spend', { team: 'x', feature: 'f' }, '2026-10-05', '2026-10-05', 10), alert('spike', 'spend', { feature: 'f', team: 'x' }, '2026-10-06', '2026-10-06', 12.5)])).toBe(22.5);
    expect(totalExcess([])).toBe(0);
  });

  it('alerts of different traces hold different calls: on one group\'s day they add up, one trace\'s alerts count once', () => {
    const agent = { feature: 'agent' };
    const runaway = (trace: string, excess: number) => alert('runaway_session', 'trace_cost', { ...agent, trace }, '2026-11-02T13:00:00.000Z', '2026-11-02T13:05:00.000Z', excess);
    const loop = (trace: string, excess: number) => alert('agent_loop', 'repeated_calls', { ...agent, trace }, '2026-11-02T13:00:00.000Z', '2026-11-02T13:05:00.000Z', excess);
    // Runaways of $5, $15 and $25 in three traces, and a $20 loop inside the $25 one: 5 + 15 + max(25, 20) = $45, not the largest alone ($25).
    expect(totalExcess([runaway('a', 5), runaway('b', 15), runaway('c', 25), loop('c', 20)])).toBe(45);
    // A $60 spike that day holds those traces' calls too: the day counts max(60, 45) = $60.
    expect(totalExcess([runaway('a', 5), runaway('b', 15), runaway('c', 25), alert('spike', 'spend', agent, '2026-11-02', '2026-11-02', 60)])).toBe(60);
    // A $30 spike holds less than the traces' $45 together: $45.
    expect(totalExcess([runaway('a', 5), runaway('b', 15), runaway('c', 25), alert('spike', 'spend', agent, '2026-11-02', '2026-11-02', 30)])).toBe(45);
  });
});
