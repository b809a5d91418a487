import { prepared, type Slots } from '../../db/prepared';
import type { WriteTx } from '../../db/storage';

// A type, not an interface: prepared() takes a Record of its parameters.
type NotificationRow = {
  readonly id: string;
  readonly event: string;
  readonly outTradeNo: string | null;
  readonly now: string;
};

// Prepared once (db/prepared.ts): a burst of notifications runs it thousands of times a second.
const insertNotification = prepared((db, p: Slots<NotificationRow>) =>
  db
    .insertInto('payment_notifications')
    .values({
      id: p('id'),
      event: p('event'),
      out_trade_no: p('outTradeNo'),
      received_at: p('now'),
    })
    .onConflict((oc) => oc.column('id').doNothing()),
);

/**
 * Records a notification's id in the caller's write: true when it is new. A duplicate (WeChat
 * re-sends until acknowledged, or two deliveries at once) loses here and its write changes nothing.
 */
export async function recordNotification(w: WriteTx, row: NotificationRow): Promise<boolean> {
  return Number((await insertNotification(w, row)).numAffectedRows ?? 0) > 0;
}
