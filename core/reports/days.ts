import { z } from 'zod';

/**
 * Store-local calendar dates ('YYYY-MM-DD') as report keys. Which date an instant falls on is
 * core/time's business (localTime(...).date); this file only counts whole days between dates,
 * which is plain proleptic-Gregorian arithmetic with no zone involved.
 */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((d) => toDayNumber(d) !== null, { message: 'no such calendar date' });
export type LocalDate = z.infer<typeof LocalDate>;

const DAY_MS = 86_400_000;

function toDayNumber(date: string): number | null {
  const [y, m, d] = date.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return null;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 02-30 over to 03-02; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d)
    return null;
  return Math.floor(ms / DAY_MS);
}

/** Days since 1970-01-01 of a valid date; throws on a programming error (dates are parsed first). */
export function dayNumber(date: LocalDate): number {
  const n = toDayNumber(date);
  if (n === null) throw new Error(`not a calendar date: ${date}`);
  return n;
}

/** The date `n` days after `date` (n may be negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  return new Date((dayNumber(date) + n) * DAY_MS).toISOString().slice(0, 10);
}

/** Every date from `from` to `to`, both included; empty when `to` is before `from`. */
export function dateRange(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++)
    out.push(new Date(n * DAY_MS).toISOString().slice(0, 10));
  return out;
}
