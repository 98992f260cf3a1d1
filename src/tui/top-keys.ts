/**
 * What each key does to the dashboard's view state, as a pure reducer: keys typed faster
 * than a frame (a pasted filter, a quick "/abc") each see the state the previous one
 * left, which handlers closed over a render would not.
 */
import type { Key } from 'ink';
import { nextGroupDimension, type GroupDimension } from './data/group-dimensions.js';
import { VIEWS, stepView, type ViewName } from './views.js';

export interface TopUiState {
  view: ViewName;
  groupBy: GroupDimension;
  paused: boolean;
  filter: string;
  /** The filter being typed, or undefined when not typing one. */
  editing: string | undefined;
  help: boolean;
  quit: boolean;
}

export function initialUiState(groupBy: GroupDimension): TopUiState {
  return { view: 'overview', groupBy, paused: false, filter: '', editing: undefined, help: false, quit: false };
}

/** Typed text without control characters (a pasted newline or escape must not enter the filter). */
function isPrintable(text: string): boolean {
  for (const ch of text) if ((ch.codePointAt(0) ?? 0) < 32) return false;
  return text.length > 0;
}

/** What a lone control character in a run of typed text means, as Ink would have parsed it alone. */
const CONTROL_KEYS: Record<string, Partial<Key>> = { '\r': { return: true }, '\n': { return: true }, '\t': { tab: true }, '\x7f': { backspace: true }, '\b': { backspace: true } };

/**
 * One input event from Ink. Keys that reach the terminal in one read (typed on a busy
 * machine or over ssh, or pasted: "gg", "34", "/sea" + enter) come as one string with no
 * key flags; each character is applied in turn, as if it had come alone.
 */
export function applyInput(s: TopUiState, input: string, key: Partial<Key>): TopUiState {
  const chars = [...input];
  if (chars.length < 2 || key.ctrl || key.meta || key.escape) return applyKey(s, input, key);
  let state = s;
  for (const ch of chars) {
    const control = CONTROL_KEYS[ch] ?? {};
    const ending = state.editing !== undefined && control.return === true;
    state = applyKey(state, ch, control);
    // What follows the line ending a filter is the rest of a paste, not keys to act on.
    if (state.quit || ending) break;
  }
  return state;
}

export function applyKey(s: TopUiState, input: string, key: Partial<Key>): TopUiState {
  if (s.editing !== undefined) {
    if (key.return) return { ...s, filter: s.editing.trim(), editing: undefined };
    if (key.escape) return { ...s, filter: '', editing: undefined };
    if (key.backspace || key.delete) return { ...s, editing: s.editing.slice(0, -1) };
    if (!key.ctrl && !key.meta && isPrintable(input)) return { ...s, editing: s.editing + input };
    return s;
  }
  if (s.help) {
    // Any key closes the help; q also quits.
    return input === 'q' ? { ...s, help: false, quit: true } : { ...s, help: false };
  }
  if (input === 'q') return { ...s, quit: true };
  if (key.tab) return { ...s, view: stepView(s.view, key.shift ? -1 : 1) };
  if (key.rightArrow) return { ...s, view: stepView(s.view, 1) };
  if (key.leftArrow) return { ...s, view: stepView(s.view, -1) };
  if (/^[1-5]$/.test(input)) return { ...s, view: VIEWS[Number(input) - 1] ?? s.view };
  if (input === 'g') return { ...s, groupBy: nextGroupDimension(s.groupBy) };
  if (input === 'p') return { ...s, paused: !s.paused };
  if (input === '/') return { ...s, editing: s.filter };
  if (input === '?') return { ...s, help: true };
  if (key.escape && s.filter) return { ...s, filter: '' };
  return s;
}
