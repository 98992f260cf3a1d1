/** The dashboard's views, in tab order. */
export const VIEWS = ['overview', 'budgets', 'groups', 'requests', 'flags'] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewName, string> = {
  overview: 'Overview',
  budgets: 'Budgets',
  groups: 'Groups',
  requests: 'Requests',
  flags: 'Flags',
};

/** The view `step` tabs away from `current`, wrapping around. */
export function stepView(current: ViewName, step: number): ViewName {
  const i = VIEWS.indexOf(current);
  return VIEWS[(((i + step) % VIEWS.length) + VIEWS.length) % VIEWS.length] ?? 'overview';
}
