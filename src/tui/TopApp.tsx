/**
 * `llmfin top`: the whole dashboard. Holds the view state (current view, grouping,
 * pause, filter, help), maps keys to it, and lays out header, tabs, the current
 * screen and the footer to the terminal's size.
 */
import { useCallback, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpPanel } from './components/HelpPanel.js';
import { TabBar } from './components/TabBar.js';
import { ThemeContext } from './components/ThemeContext.js';
import type { GroupDimension } from './data/group-dimensions.js';
import { nextGroupDimension } from './data/group-dimensions.js';
import type { DashboardSource } from './data/live-dashboard.js';
import { useLiveSnapshot } from './hooks/use-live-snapshot.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { BudgetsScreen } from './screens/BudgetsScreen.js';
import { FlagsScreen } from './screens/FlagsScreen.js';
import { GroupsScreen } from './screens/GroupsScreen.js';
import { OverviewScreen, type ScreenProps } from './screens/OverviewScreen.js';
import { RequestsScreen } from './screens/RequestsScreen.js';
import { VIEWS, stepView, type ViewName } from './views.js';

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

/** Typed text without control characters (a pasted newline or escape must not enter the filter). */
function isPrintable(text: string): boolean {
  for (const ch of text) if ((ch.codePointAt(0) ?? 0) < 32) return false;
  return true;
}

/** Rows taken by the header (2), the tabs (1) and the footer (1). */
const CHROME_ROWS = 4;

export function TopApp({ source, refreshMs, groupBy: initialGroupBy, color, interactive, onError }: TopAppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [view, setView] = useState<ViewName>('overview');
  const [groupBy, setGroupBy] = useState<GroupDimension>(initialGroupBy);
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [help, setHelp] = useState(false);
  const fail = useCallback(
    (error: unknown) => {
      onError?.(error);
      exit(error instanceof Error ? error : new Error(String(error)));
    },
    [exit, onError],
  );
  const snapshot = useLiveSnapshot(source, refreshMs, { groupBy, filter, paused }, fail);

  useInput(
    (input: string, key: Key) => {
      if (editing !== undefined) {
        if (key.return) {
          setFilter(editing.trim());
          setEditing(undefined);
        } else if (key.escape) {
          setFilter('');
          setEditing(undefined);
        } else if (key.backspace || key.delete) setEditing(editing.slice(0, -1));
        else if (!key.ctrl && !key.meta && input && isPrintable(input)) setEditing(editing + input);
        return;
      }
      if (help) {
        setHelp(false);
        if (input !== 'q') return;
      }
      if (input === 'q') exit();
      else if (key.tab) setView((v) => stepView(v, key.shift ? -1 : 1));
      else if (key.rightArrow) setView((v) => stepView(v, 1));
      else if (key.leftArrow) setView((v) => stepView(v, -1));
      else if (/^[1-5]$/.test(input)) setView(VIEWS[Number(input) - 1] ?? 'overview');
      else if (input === 'g') setGroupBy((g) => nextGroupDimension(g));
      else if (input === 'p') setPaused((p) => !p);
      else if (input === '/') setEditing(filter);
      else if (input === '?') setHelp(true);
      else if (key.escape && filter) setFilter('');
    },
    { isActive: interactive },
  );

  const width = Math.max(40, columns);
  // One row short of the terminal: Ink clears the whole screen on every frame when the
  // output fills it, which flickers.
  const height = Math.max(CHROME_ROWS + 6, rows - 1);
  const bodyHeight = height - CHROME_ROWS;
  const Screen = SCREENS[view];
  return (
    <ThemeContext.Provider value={{ color }}>
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        <Header snapshot={snapshot} paused={paused} width={width} />
        <TabBar view={view} flags={snapshot.flags.length} />
        <Box flexDirection="column" height={bodyHeight} overflow="hidden">
          {help ? <HelpPanel /> : <Screen snapshot={snapshot} width={width} height={bodyHeight} />}
        </Box>
        <Footer groupBy={groupBy} editing={editing} width={width} />
      </Box>
    </ThemeContext.Provider>
  );
}
