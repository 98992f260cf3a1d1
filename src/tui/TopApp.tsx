/**
 * `llmfin top`: the whole dashboard. Holds the view state (current view, grouping,
 * pause, filter, help; keys change it through top-keys.ts) and lays out header, tabs, the current
 * screen and the footer to the terminal's size.
 */
import { useCallback, useEffect, useReducer } from 'react';
import { Box, Text, useApp, useInput, type Key } from 'ink';
import { Footer } from './components/Footer.js';
import { Header, headerRows } from './components/Header.js';
import { HelpPanel } from './components/HelpPanel.js';
import { TabBar } from './components/TabBar.js';
import { ThemeContext } from './components/ThemeContext.js';
import type { GroupDimension } from './data/group-dimensions.js';
import type { DashboardSource } from './data/live-dashboard.js';
import { firstFitting } from './format/fit.js';
import { useLiveSnapshot } from './hooks/use-live-snapshot.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { BudgetsScreen } from './screens/BudgetsScreen.js';
import { FlagsScreen } from './screens/FlagsScreen.js';
import { GroupsScreen } from './screens/GroupsScreen.js';
import { OverviewScreen, type ScreenProps } from './screens/OverviewScreen.js';
import { RequestsScreen } from './screens/RequestsScreen.js';
import { applyInput, initialUiState, type TopUiState } from './top-keys.js';
import type { ViewName } from './views.js';

export interface TopAppProps {
  source: DashboardSource;
  refreshMs: number;
  groupBy: GroupDimension;
  color: boolean;
  /** Keys are read only from a terminal; without one the dashboard just runs. */
  interactive: boolean;
  /** Called when polling fails (the ledger went away): the app exits with it. */
  onError?: (error: unknown) => void;
}

const SCREENS: Record<ViewName, (props: ScreenProps) => React.JSX.Element> = {
  overview: OverviewScreen,
  budgets: BudgetsScreen,
  groups: GroupsScreen,
  requests: RequestsScreen,
  flags: FlagsScreen,
};

/** Rows taken by the tabs (1) and the footer (1); the header's (2 or 3) are added to them. */
const CHROME_ROWS = 2;
/**
 * The narrowest terminal the dashboard is laid out in: a budget's state and spent/limit, a
 * request's cost and a group's spend with its unpriced count all fit whole from here.
 */
export const MIN_COLUMNS = 40;

/** What a terminal narrower than MIN_COLUMNS shows: one line, the longest of these that fits. */
export function tooNarrowText(columns: number): string {
  const forms = [`llmfin top needs ${MIN_COLUMNS}+ columns (has ${columns})`, `widen the terminal to ${MIN_COLUMNS}+ columns`, `widen to ${MIN_COLUMNS}+ columns`, `${MIN_COLUMNS}+ columns`, 'widen'];
  return firstFitting(forms, columns) ?? '';
}
/** The fewest rows a view is laid out in (each view fits any height from this one). */
const MIN_BODY_ROWS = 3;

export function TopApp({ source, refreshMs, groupBy: initialGroupBy, color, interactive, onError }: TopAppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [ui, dispatch] = useReducer((s: TopUiState, e: { input: string; key: Key }) => applyInput(s, e.input, e.key), initialGroupBy, initialUiState);
  const fail = useCallback(
    (error: unknown) => {
      onError?.(error);
      exit(error instanceof Error ? error : new Error(String(error)));
    },
    [exit, onError],
  );
  const snapshot = useLiveSnapshot(source, refreshMs, { groupBy: ui.groupBy, filter: ui.filter, paused: ui.paused, screen: ui.view }, fail);
  useInput((input: string, key: Key) => dispatch({ input, key }), { isActive: interactive });
  useEffect(() => {
    if (ui.quit) exit();
  }, [ui.quit, exit]);

  // Narrower than this, a layout would cut money or break: one line asks for a wider
  // terminal instead (keys still work: q quits; the dashboard returns on a resize).
  if (columns < MIN_COLUMNS) {
    return <Text wrap="truncate-end">{tooNarrowText(columns)}</Text>;
  }
  const width = columns;
  const chromeRows = CHROME_ROWS + headerRows(snapshot, width);
  // One row short of the terminal: Ink clears the whole screen on every frame when the
  // output fills it, which flickers. Never taller than the terminal down to 8 rows: a
  // frame taller than the window scrolls the header, and with it the money, out of sight.
  const height = Math.max(chromeRows + MIN_BODY_ROWS, rows - 1);
  const bodyHeight = height - chromeRows;
  const Screen = SCREENS[ui.view];
  return (
    <ThemeContext.Provider value={{ color }}>
      <Box flexDirection="column" width={width} height={height}>
        <Header snapshot={snapshot} paused={ui.paused} width={width} />
        <TabBar view={ui.view} flags={snapshot.flags.length} />
        <Box flexDirection="column" height={bodyHeight}>
          {ui.help ? <HelpPanel /> : <Screen snapshot={snapshot} width={width} height={bodyHeight} />}
        </Box>
        <Footer groupBy={ui.groupBy} editing={ui.editing} width={width} />
      </Box>
    </ThemeContext.Provider>
  );
}
