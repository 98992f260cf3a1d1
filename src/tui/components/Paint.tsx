/** Text in a colour, or plain when colour is off (see ThemeContext). */
import type { ReactNode } from 'react';
import { Text } from 'ink';
import { useTheme } from './ThemeContext.js';

export type PaintColor = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'gray' | 'blue';

export interface PaintProps {
  color?: PaintColor | undefined;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  children: ReactNode;
}

export function Paint({ color, bold, dim, inverse, children }: PaintProps) {
  const theme = useTheme();
  if (!theme.color) return <Text>{children}</Text>;
  return (
    <Text color={color} bold={bold ?? false} dimColor={dim ?? false} inverse={inverse ?? false}>
      {children}
    </Text>
  );
}
