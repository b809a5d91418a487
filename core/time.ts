/**
 * Store-local calendar arithmetic. Instants are UTC everywhere (DESIGN.md
 * "Money, time, identity"); rules that speak of days, weekdays and hours read
 * them in the store's IANA time zone through Intl.DateTimeFormat, which is
 * ECMAScript (no I/O, no clock): the instant is always passed in.
 */

/** The zone used when a store has none configured. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A UTC instant seen on a wall clock in one time zone. */
export interface LocalTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly isoWeekday: number;
  /** 0..1439: minutes since local midnight. */
  readonly minuteOfDay: number;
  /** "2026-11-22": the local date. */
  readonly date: string;
}

// Building a DateTimeFormat costs far more than using one; rules call this per candidate.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone (e.g. "Asia/Shanghai"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        w[part.type] = Number(part.value);
        break;
      default:
        break;
    }
  }
  return w;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Days since 1970-01-01 of a proleptic Gregorian date (no zone involved). */
function civilDays(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

// formatToParts costs microseconds and the rule engine asks about the same
// minute again and again (every candidate, every re-evaluation of a cart).
// Every zone's UTC offset has been a whole number of minutes since 1972, so
// one answer serves a whole UTC minute.
const lastMinute = new Map<string, { minute: number; local: LocalTime }>();

/** What the wall clock in `timeZone` shows at the UTC instant `epochMs`. */
export function localTime(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): LocalTime {
  const minute = Math.floor(epochMs / MINUTE_MS);
  const cached = lastMinute.get(timeZone);
  if (cached !== undefined && cached.minute === minute) return cached.local;
  const local = computeLocalTime(epochMs, timeZone);
  lastMinute.set(timeZone, { minute, local });
  return local;
}

function computeLocalTime(epochMs: number, timeZone: string): LocalTime {
  const w = wallClock(epochMs, timeZone);
  // 1970-01-01 was a Thursday (ISO 4).
  const isoWeekday = ((((civilDays(w.year, w.month, w.day) + 3) % 7) + 7) % 7) + 1;
  return {
    year: w.year,
    month: w.month,
    day: w.day,
    isoWeekday,
    minuteOfDay: w.hour * 60 + w.minute,
    date: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`,
  };
}

/** How far the zone's wall clock is ahead of UTC at `epochMs`, in ms. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of local midnight that starts the given local date. Where a
 * daylight-saving jump skips midnight, this is the first instant of that day
 * (the end of the gap).
 */
export function startOfLocalDay(
  year: number,
  month: number,
  day: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): number {
  const wallMs = Date.UTC(year, month - 1, day);
  // Two passes settle on the offset in force at that wall time.
  let guess = wallMs - zoneOffsetMs(wallMs, timeZone);
  guess = wallMs - zoneOffsetMs(guess, timeZone);
  const seen = localTime(guess, timeZone);
  if (civilDays(seen.year, seen.month, seen.day) < civilDays(year, month, day)) {
    // Midnight fell in a gap: the day starts when the clock jumps past it.
    return guess + (DAY_MS / MINUTE_MS - seen.minuteOfDay) * MINUTE_MS - (guess % MINUTE_MS);
  }
  return guess;
}

/**
 * End of an "N days after claim" validity: the local midnight that starts day
 * claimDay + N, where claimDay is the store-local date of `claimedAtMs`. The
 * claim day counts as day 1, so N = 1 means "until the end of the claim day"
 * and N = 7 means the claim day and the six days after it. The voucher is
 * valid from the claim instant (inclusive) until this instant (exclusive).
 */
export function endOfLocalDayAfter(
  claimedAtMs: number,
  days: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): number {
  const claim = localTime(claimedAtMs, timeZone);
  const target = new Date(Date.UTC(claim.year, claim.month - 1, claim.day + days));
  return startOfLocalDay(
    target.getUTCFullYear(),
    target.getUTCMonth() + 1,
    target.getUTCDate(),
    timeZone,
  );
}

/** An instant as ISO-8601 UTC text, the protocol's Instant form. */
export const toInstant = (epochMs: number): string => new Date(epochMs).toISOString();

/** "2026-11-22 13:05": an instant on the store's wall clock, for messages and receipts. */
export function formatLocalDateTime(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const t = localTime(epochMs, timeZone);
  return `${t.date} ${pad(Math.floor(t.minuteOfDay / 60))}:${pad(t.minuteOfDay % 60)}`;
}

/** "13:05" from minutes since midnight; 1440 prints as "24:00" (end of day). */
export const formatMinuteOfDay = (minute: number): string =>
  `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
