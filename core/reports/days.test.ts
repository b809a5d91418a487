import { describe, expect, it } from 'vitest';
import { addDays, dateRange, dayNumber, LocalDate } from './days';

describe('local dates', () => {
  it('refuse dates that are not on the calendar', () => {
    expect(LocalDate.safeParse('2026-02-29').success).toBe(false);
    expect(LocalDate.safeParse('2028-02-29').success).toBe(true);
    expect(LocalDate.safeParse('2026-13-01').success).toBe(false);
    expect(LocalDate.safeParse('2026-3-1').success).toBe(false);
  });

  it('step over month, leap-day and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(dayNumber('2027-01-01') - dayNumber('2026-01-01')).toBe(365);
  });

  it('list a range with both ends, or nothing when it is backwards', () => {
    expect(dateRange('2026-12-30', '2027-01-01')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
    ]);
    expect(dateRange('2026-12-30', '2026-12-29')).toEqual([]);
  });
});
