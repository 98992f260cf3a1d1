/** One terminal row that never wraps: a narrow window cuts it instead of breaking the layout. */
import type { ReactNode } from 'react';
import { Text } from 'ink';

export function Line({ children }: { children: ReactNode }) {
  return <Text wrap="truncate-end">{children}</Text>;
}
