import {
  deltasOf,
  returnedDeltas,
  type ReportRecord,
  type ReturnedRedemption,
} from '../../core/reports/aggregates';
import type { WriteTx } from '../db/storage';

/**
 * Counts records in the report aggregates, in the transaction that writes them: the increments
 * join the commit group's buffer and are undone with the job if it rolls back
 * (db/aggregate-buffer.ts). `timeZone` is that of the records' store, whose local dates key them.
 */
export function countForReports(
  w: WriteTx,
  records: readonly ReportRecord[],
  timeZone: string,
): void {
  for (const r of records) w.appends.aggregates.add(deltasOf(r, timeZone));
}

/**
 * Takes redemptions given back by a refund out of the report aggregates, in the refund's
 * transaction, undone with it like the increments. `timeZone` is that of their store.
 */
export function uncountForReports(
  w: WriteTx,
  returned: readonly ReturnedRedemption[],
  timeZone: string,
): void {
  for (const r of returned) w.appends.aggregates.takeBack(returnedDeltas(r, timeZone));
}
