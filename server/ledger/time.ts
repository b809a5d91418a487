const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
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
  return f;
}

const QUARTER_HOUR_MS = 15 * 60_000;
/** Since 1980 every zone's UTC offset is a whole number of quarter hours (older LMT offsets are not). */
const QUARTER_HOURS_FROM_MS = Date.UTC(1980, 0, 1);
const lastQuarter = new Map<string, { quarter: number; date: string }>();

/**
 * The calendar date (YYYY-MM-DD) of an instant in a store's time zone: the key of daily limits.
 *
 * Intl formatting costs more than the rest of a redemption's bookkeeping, so
 * the answer is reused within a UTC quarter hour: offsets and their changes
 * fall on quarter hours, so local midnight never falls inside one.
 */
export function localDate(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  if (!(ms >= QUARTER_HOURS_FROM_MS)) return formatterFor(timeZone).format(new Date(instant));
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const hit = lastQuarter.get(timeZone);
  if (hit?.quarter === quarter) return hit.date;
  const date = formatterFor(timeZone).format(new Date(quarter * QUARTER_HOUR_MS));
  lastQuarter.set(timeZone, { quarter, date });
  return date;
}

/** ISO text in UTC with milliseconds: sorts and compares as text on both databases. */
export const isoUtc = (instant: string | Date): string => new Date(instant).toISOString();
