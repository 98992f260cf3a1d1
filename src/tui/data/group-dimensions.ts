/** The dimensions `llmfin top` groups spend by; `g` cycles through them in this order. */
export const GROUP_DIMENSIONS = ['team', 'agent', 'feature', 'customer', 'model'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

export function isGroupDimension(value: string): value is GroupDimension {
  return (GROUP_DIMENSIONS as readonly string[]).includes(value);
}

export function nextGroupDimension(current: GroupDimension): GroupDimension {
  const i = GROUP_DIMENSIONS.indexOf(current);
  return GROUP_DIMENSIONS[(i + 1) % GROUP_DIMENSIONS.length] ?? 'team';
}
