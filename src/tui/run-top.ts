/**
 * Runs the dashboard in the terminal until `q`: the alternate screen (so the shell's
 * scrollback is left as it was), a hidden cursor, and both restored however it ends.
 */
import { createElement } from 'react';
import { render } from 'ink';
import type { DashboardSource } from './data/live-dashboard.js';
import type { GroupDimension } from './data/group-dimensions.js';
import { TopApp } from './TopApp.js';

export interface RunTopOptions {
  source: DashboardSource;
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream | undefined;
  refreshMs: number;
  groupBy: GroupDimension;
  color: boolean;
}

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/** Resolves when the user quits; rejects with the error that stopped the dashboard. */
export async function runTop(options: RunTopOptions): Promise<void> {
  const interactive = Boolean(options.stdin?.isTTY);
  options.stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR);
  const restore = () => options.stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  process.once('exit', restore);
  const app = render(createElement(TopApp, { source: options.source, refreshMs: options.refreshMs, groupBy: options.groupBy, color: options.color, interactive }), {
    stdout: options.stdout,
    ...(interactive && options.stdin ? { stdin: options.stdin } : {}),
    exitOnCtrlC: true,
    patchConsole: false,
    // The data changes once per refresh; more frames would only spend CPU.
    // Not incrementalRendering: in Ink 6.8 it leaves stale rows behind on a full-height screen.
    maxFps: 10,
  });
  // Without a keyboard, ctrl-c arrives as a signal.
  const onSignal = () => app.unmount();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    app.cleanup();
    process.off('exit', restore);
    restore();
  }
}
