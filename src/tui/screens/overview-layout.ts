/**
 * How the overview shares the rows it has between its sections (each section also
 * takes a title row): budgets and flags first, since they are the alarms, then the
 * top groups, then whatever is left for the request feed (at least three rows).
 */
export interface OverviewLayout {
  budgets: number;
  groups: number;
  flags: number;
  feed: number;
}

export function overviewLayout(height: number, counts: { budgets: number; groups: number; flags: number }): OverviewLayout {
  let left = height;
  const take = (want: number, titled = true) => {
    const rows = Math.max(0, Math.min(want, left - (titled ? 1 : 0)));
    left -= rows + (titled && rows > 0 ? 1 : 0);
    return rows;
  };
  // Reserve the feed's title, column header and three rows before anything else.
  left -= 5;
  const budgets = take(Math.min(Math.max(1, counts.budgets), height >= 30 ? 6 : 4));
  const flags = counts.flags > 0 ? take(Math.min(counts.flags, 2)) : 0;
  const groups = take(Math.min(Math.max(1, counts.groups), height >= 30 ? 8 : 5));
  left += 5;
  const feed = Math.max(0, left - 2);
  return { budgets, groups, flags, feed };
}
