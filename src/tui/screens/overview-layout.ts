/**
 * How the overview shares the rows it has between its sections (each section also
 * takes a title row): budgets and flags first, since they are the alarms, then the
 * top groups, then whatever is left for the request feed (three rows kept for it when
 * the terminal has room for them beside the alarms).
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
  // The feed's title, column header and three rows are reserved before the groups, and
  // before the budgets too when there are none to show: on a short terminal real budgets
  // and flags, the alarms, win over the feed (a "no budgets" line does not).
  const alarmsFirst = counts.budgets > 0 || counts.flags > 0;
  if (!alarmsFirst) left -= 5;
  const budgets = take(Math.min(Math.max(1, counts.budgets), height >= 30 ? 6 : 4));
  const flags = counts.flags > 0 ? take(Math.min(counts.flags, 2)) : 0;
  if (alarmsFirst) left -= 5;
  const groups = take(Math.min(Math.max(1, counts.groups), height >= 30 ? 8 : 5));
  left += 5;
  const feed = Math.max(0, left - 2);
  return { budgets, groups, flags, feed };
}
