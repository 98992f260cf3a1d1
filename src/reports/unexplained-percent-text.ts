/**
 * How reconcile shows an unexplained share of the bill. The JSON keeps four decimals for
 * scripts; a person reads one, as finance tools show a variance ("-20.9%", not "-20.9677%").
 * Given the `--fail-over` limit it was judged against, a share past the limit that one
 * decimal would round onto it (2.04% against 2) gets the decimals that show it is past,
 * so a failure never reads "2.0% (over 2%)". Cut toward zero rather than rounded, for the
 * same reason: 1.96% never reads as 2.0%.
 */
export function unexplainedPercentText(percent: number, limit?: number): string {
  const past = limit !== undefined && Math.abs(percent) > limit;
  for (let places = 1; places < 4; places++) {
    const shown = cut(percent, places);
    if (!past || Math.abs(shown) > limit) return `${shown.toFixed(places)}%`;
  }
  return `${percent.toFixed(4)}%`;
}

/** `value` cut toward zero to `places` decimals, through whole ten-thousandths (the JSON's precision) so binary fractions do not lose a digit. */
function cut(value: number, places: number): number {
  const scale = 10 ** places;
  const tenThousandths = Math.round(value * 10_000);
  return Math.trunc(tenThousandths / 10 ** (4 - places)) / scale;
}
