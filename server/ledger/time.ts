const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in a store's time zone: the key of daily limits. */
export function localDate(instant: string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f.format(new Date(instant));
}

/** ISO text in UTC with milliseconds: sorts and compares as text on both databases. */
export const isoUtc = (instant: string | Date): string => new Date(instant).toISOString();
