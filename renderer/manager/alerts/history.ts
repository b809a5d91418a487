import type { AlertsAnswer, AlertView } from '../../../core/protocol/index';

/** One change in the alerts from one day to the next. */
export interface AlertEvent {
  readonly day: string;
  readonly kind: 'raised' | 'cleared';
  /** The alert as it was on the day it was raised, or on its last day before it cleared. */
  readonly view: AlertView;
  /** A raised alert that is still open on the last day of the history. */
  readonly open: boolean;
}

/** The same rule on the same batch: one alert, whatever its figures say on the day. */
export const alertKey = (v: AlertView): string => `${v.alert.code}:${v.alert.batchId}`;

/**
 * The raised and cleared events over consecutive days' answers (oldest first), newest event
 * first. The server keeps no log of alerts: each day's alerts are recomputed from the ledger's
 * aggregates as of that day, so the history is the difference between one day and the next.
 * The first answer is the baseline: alerts already open on it were raised before the window.
 */
export function alertHistory(days: readonly AlertsAnswer[]): AlertEvent[] {
  const events: AlertEvent[] = [];
  const last = days.at(-1);
  const openAtEnd = new Set(last ? last.alerts.map(alertKey) : []);
  for (let i = 1; i < days.length; i++) {
    const before = new Map((days[i - 1]?.alerts ?? []).map((v) => [alertKey(v), v]));
    const day = days[i];
    if (!day) continue;
    const now = new Map(day.alerts.map((v) => [alertKey(v), v]));
    for (const [key, view] of now)
      if (!before.has(key))
        events.push({ day: day.date, kind: 'raised', view, open: openAtEnd.has(key) });
    for (const [key, view] of before)
      if (!now.has(key)) events.push({ day: day.date, kind: 'cleared', view, open: false });
  }
  return events.reverse();
}
