/** How a window's edge reads in a title: its day, or its minute when it falls within a day (`2026-10-20 12:00 UTC`). */
export function windowEdge(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
