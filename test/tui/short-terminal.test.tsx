// Every view in every body height a terminal can give it (the app keeps at least 6 rows for
// the body): no view may draw more rows than it has, or Ink lays the rows over each other.
import { describe, expect, it } from 'vitest';
import { renderToString } from 'ink';
import type { ReactElement } from 'react';
import { ThemeContext } from '../../src/tui/components/ThemeContext.js';
import { OverviewScreen } from '../../src/tui/screens/OverviewScreen.js';
import { BudgetsScreen } from '../../src/tui/screens/BudgetsScreen.js';
import { GroupsScreen } from '../../src/tui/screens/GroupsScreen.js';
import { RequestsScreen } from '../../src/tui/screens/RequestsScreen.js';
import { FlagsScreen } from '../../src/tui/screens/FlagsScreen.js';
import { BUDGETS, GROUPS, NOW, row, snapshot } from './helpers/dashboard-fixture.js';
import type { DashboardSnapshot } from '../../src/tui/data/dashboard-snapshot.js';

function draw(tree: ReactElement, columns: number): string[] {
  return renderToString(<ThemeContext.Provider value={{ color: false }}>{tree}</ThemeContext.Provider>, { columns }).split('\n');
}

const SCREENS = { overview: OverviewScreen, budgets: BudgetsScreen, groups: GroupsScreen, requests: RequestsScreen, flags: FlagsScreen };
const HEIGHTS = Array.from({ length: 22 }, (_, i) => i + 3);

const flag = (i: number) => ({ kind: 'loop' as const, key: `loop-${i}`, since: NOW, at: NOW, text: `loop: agent coder · trace t-${i}`, costTicks: 10_000_000_000n });
const many = <T,>(items: readonly T[], n: number, rename: (t: T, i: number) => T) => Array.from({ length: n }, (_, i) => rename(items[i % items.length]!, i));
const DATA: Record<string, Partial<DashboardSnapshot>> = {
  'three budgets, three groups': {},
  'one of each': { budgets: BUDGETS.slice(0, 1), groups: GROUPS.slice(0, 1), flags: [flag(0)] },
  'many of each': {
    budgets: many(BUDGETS, 9, (b, i) => ({ ...b, name: `${b.name}-${i}` })),
    groups: many(GROUPS, 12, (g, i) => ({ ...g, name: `${g.name}-${i}` })),
    flags: Array.from({ length: 7 }, (_, i) => flag(i)),
    latest: Array.from({ length: 40 }, (_, i) => row(i + 1)),
    costliest: Array.from({ length: 40 }, (_, i) => row(i + 1)),
  },
};

describe.each(Object.entries(DATA))('with %s', (_data, overrides) => {
  describe.each(Object.entries(SCREENS))('the %s view on a short terminal', (_name, Screen) => {
    it.each(HEIGHTS)('draws at most its %i rows', (height) => {
      const out = draw(<Screen snapshot={snapshot(overrides)} width={120} height={height} />, 120);
      expect(out.length).toBeLessThanOrEqual(height);
    });
  });
});
