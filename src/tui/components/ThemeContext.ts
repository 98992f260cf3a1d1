/**
 * Whether the dashboard may colour its text. Off for NO_COLOR, TERM=dumb and
 * FORCE_COLOR=0 (decided once by the CLI); every state also reads as a word, so
 * nothing is lost without colour.
 */
import { createContext, useContext } from 'react';

export interface Theme {
  color: boolean;
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
