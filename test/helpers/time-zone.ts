// Runs code as on a machine in another time zone: Node reads TZ again whenever it is set,
// so a reading of local time (Date.parse of a zoneless time…) shows up as a wrong instant.

/** Awaits `run` with `process.env.TZ` set to `zone`, then puts the previous value back. */
export async function inTimeZone<T>(zone: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}
