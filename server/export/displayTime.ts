/**
 * How every export writes a time for people: "2 December 2026, 18:09 UTC". Exports are English
 * documents read far from the server, so the month is spelled out (no day/month order to guess)
 * and the zone is always UTC, the zone times are stored in. Month names are written here rather
 * than taken from Intl so a document reads the same whatever ICU data the server has.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2 December 2026, 18:09 UTC" from a stored ISO time (or SQLite's "YYYY-MM-DD HH:MM"); anything else as it is. */
export function displayTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2})/.exec(iso);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}, ${m[4]} UTC` : iso;
}
