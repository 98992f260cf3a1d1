/**
 * Polls a dashboard source every `refreshMs` and returns the latest snapshot. While
 * paused the source is still polled (totals stay right) but the picture is frozen.
 * A change of grouping or filter shows at once, without waiting for the next poll.
 * A poll that changes nothing on screen (no new rows, the same minute on the clock)
 * draws nothing: a frame costs Ink tens of milliseconds, and an idle dashboard that drew
 * one every second kept ~5% of a core busy watching nothing happen.
 */
import { useEffect, useRef, useState } from 'react';
import { byRisk } from '../../budgets/budget-status.js';
import type { DashboardSnapshot } from '../data/dashboard-snapshot.js';
import { formatMoney } from '../format/format-money.js';
import type { ViewName } from '../views.js';
import type { GroupDimension } from '../data/group-dimensions.js';
import type { DashboardSource } from '../data/live-dashboard.js';

export interface LiveView {
  groupBy: GroupDimension;
  filter: string;
  paused: boolean;
  /** The view on screen, when known: only the Budgets view shows when each limit is crossed. */
  screen?: ViewName | undefined;
}

export function useLiveSnapshot(source: DashboardSource, refreshMs: number, view: LiveView, onError: (error: unknown) => void): DashboardSnapshot {
  const [snapshot, setSnapshot] = useState(() => source.snapshot(view));
  const viewRef = useRef(view);
  viewRef.current = view;
  // What the last snapshot drawn showed, to tell a poll that changed nothing. Keyed on the
  // first render only: an argument to useRef would serialise the snapshot at every render.
  const shownRef = useRef<string | undefined>(undefined);
  shownRef.current ??= shownKey(snapshot, view.screen);
  const show = (next: DashboardSnapshot) => {
    const key = shownKey(next, viewRef.current.screen);
    if (key === shownRef.current) return;
    shownRef.current = key;
    setSnapshot(next);
  };

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A timeout re-armed after each poll, so a slow poll never overlaps the next.
    const tick = async () => {
      try {
        await source.poll();
        if (!stopped && !viewRef.current.paused) show(source.snapshot(viewRef.current));
      } catch (error) {
        onError(error);
        return;
      }
      if (!stopped) timer = setTimeout(() => void tick(), refreshMs);
    };
    timer = setTimeout(() => void tick(), refreshMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [source, refreshMs, onError]);

  useEffect(() => {
    let stopped = false;
    void source.track(view.groupBy).then(
      () => {
        if (!stopped && !viewRef.current.paused) show(source.snapshot(viewRef.current));
      },
      (error: unknown) => onError(error),
    );
    return () => {
      stopped = true;
    };
  }, [source, view.groupBy, view.filter, view.paused, onError]);

  return snapshot;
}

/**
 * The snapshot as the screen shows it: everything but the clock's seconds (the header shows
 * HH:MM), and each budget's figures as drawn — P50 to the cent, and on the Budgets view P90,
 * P(breach) and the breach day — not the run rate and breach instant computed beside them,
 * which no view shows. Between two computations a projection moves only with the spend
 * (budget-projection.ts), but from a new period's start until it is computed for it, it is the
 * run rate, which moves with the clock at every poll while nothing is spent: keyed on its exact
 * value, a dashboard watching budgets drew a frame every second with nothing new on screen. The
 * budgets are keyed in the order drawn, which the projections decide.
 */
export function shownKey(s: DashboardSnapshot, screen?: ViewName): string {
  const detail = screen === undefined || screen === 'budgets';
  const budgets = [...s.budgets].sort(byRisk).map((b) => ({
    ...b,
    projected_usd: undefined,
    breach_at: undefined,
    projected_p50_usd: formatMoney(b.projected_p50_usd),
    projected_p90_usd: detail ? formatMoney(b.projected_p90_usd) : undefined,
    breach_probability: detail ? b.breach_probability : undefined,
    breach_date_p50: detail ? b.breach_date_p50 : undefined,
    breach_date_p90: detail ? b.breach_date_p90 : undefined,
  }));
  return JSON.stringify({ ...s, at: Math.floor(s.at / 60_000), budgets }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}
