import { describe, expect, it } from 'vitest';
import {
  endOfLocalDayAfter,
  formatLocalDateTime,
  isValidTimeZone,
  localTime,
  startOfLocalDay,
  toInstant,
} from './time';

const at = (iso: string): number => Date.parse(iso);

describe('store-local time', () => {
  it('reads date, ISO weekday and minute of day in Shanghai by default', () => {
    // 2026-06-14T16:30Z is Monday 2026-06-15 00:30 in Shanghai (UTC+8).
    expect(localTime(at('2026-06-14T16:30:00Z'))).toEqual({
      year: 2026,
      month: 6,
      day: 15,
      isoWeekday: 1,
      minuteOfDay: 30,
      date: '2026-06-15',
    });
  });

  it('gives Sunday as ISO weekday 7', () => {
    expect(localTime(at('2026-06-21T04:00:00Z'), 'Asia/Shanghai').isoWeekday).toBe(7);
  });

  it('follows daylight saving time in zones that have it', () => {
    expect(localTime(at('2026-01-15T12:00:00Z'), 'America/New_York').minuteOfDay).toBe(7 * 60);
    expect(localTime(at('2026-07-15T12:00:00Z'), 'America/New_York').minuteOfDay).toBe(8 * 60);
  });

  it('finds local midnight as a UTC instant', () => {
    expect(toInstant(startOfLocalDay(2026, 6, 15, 'Asia/Shanghai'))).toBe(
      '2026-06-14T16:00:00.000Z',
    );
    expect(toInstant(startOfLocalDay(2026, 3, 8, 'America/New_York'))).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(toInstant(startOfLocalDay(2026, 3, 9, 'America/New_York'))).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('starts a day at the end of a daylight-saving gap that swallows midnight', () => {
    // Santiago moves its clocks from 00:00 to 01:00 on 2026-09-06.
    const start = startOfLocalDay(2026, 9, 6, 'America/Santiago');
    expect(localTime(start, 'America/Santiago')).toMatchObject({
      date: '2026-09-06',
      minuteOfDay: 60,
    });
    expect(localTime(start - 1, 'America/Santiago').date).toBe('2026-09-05');
  });

  it('ends "N days after claim" at the local midnight that starts claim day + N', () => {
    // Claimed 23:30 on 15 June (Shanghai): one day means the rest of 15 June.
    const claimed = at('2026-06-15T15:30:00Z');
    expect(toInstant(endOfLocalDayAfter(claimed, 1, 'Asia/Shanghai'))).toBe(
      '2026-06-15T16:00:00.000Z',
    );
    expect(toInstant(endOfLocalDayAfter(claimed, 7, 'Asia/Shanghai'))).toBe(
      '2026-06-21T16:00:00.000Z',
    );
  });

  it('counts calendar days across month and year ends', () => {
    const claimed = at('2026-12-30T02:00:00Z');
    expect(toInstant(endOfLocalDayAfter(claimed, 3, 'Asia/Shanghai'))).toBe(
      '2027-01-01T16:00:00.000Z',
    );
  });

  it('formats an instant on the store wall clock', () => {
    expect(formatLocalDateTime(at('2026-06-14T09:05:00Z'), 'Asia/Shanghai')).toBe(
      '2026-06-14 17:05',
    );
  });

  it('recognises IANA zones and rejects made-up ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
