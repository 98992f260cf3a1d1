/**
 * What is wrong with a budget's `timezone`, or undefined when it names an IANA zone.
 *
 * Intl also accepts ICU's legacy three-letter ids (Java's), which are not IANA names and
 * several of which are not the zone their letters suggest: BST is Dhaka, not London; IST is
 * Kolkata, not Dublin or Jerusalem; NST is Auckland, not Newfoundland; CST is Chicago, not
 * Shanghai. Accepted, a budget's day would start hours away from the one meant, silently.
 * (EST, MST, HST, CET, EET, MET and WET are IANA names and stay accepted.)
 */
const LEGACY_ICU_IDS = new Set(['ACT', 'AET', 'AGT', 'ART', 'AST', 'BET', 'BST', 'CAT', 'CNT', 'CST', 'CTT', 'EAT', 'ECT', 'IET', 'IST', 'JST', 'MIT', 'NET', 'NST', 'PLT', 'PNT', 'PRT', 'PST', 'SST', 'VST']);

export function timeZoneIssue(tz: string): string | undefined {
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return 'expected an IANA time zone such as Europe/Paris';
  }
  if (LEGACY_ICU_IDS.has(tz.toUpperCase())) {
    return `expected an IANA time zone, named by region and city such as Europe/London, not an abbreviation (this one would be read as ${zone})`;
  }
  return undefined;
}
