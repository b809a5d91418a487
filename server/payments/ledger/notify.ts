import type { Storage, WriteTx } from '../../db/storage';
import { OutTradeNo } from '../ids';
import type { NotificationResult, PaymentProvider, Transaction } from '../provider';
import { notificationAnswer } from '../wechat/notification';
import { settleConfirmed, UNSETTLED } from './confirm';
import { applyRefundNotification } from './refund-notify';
import { paymentByOutTradeNo } from './rows';

export interface NotifyAnswer {
  readonly status: number;
  readonly body?: { readonly code: 'FAIL'; readonly message: string };
}

/** WeChat retries a notification that is not acknowledged; 500 asks for that. */
const RETRY_LATER: NotifyAnswer = {
  status: 500,
  body: { code: 'FAIL', message: 'ORDER_QUERY_FAILED' },
};

/**
 * Applies one notification delivery: a refused one (forged, stale, a probe) changes nothing and
 * is answered 4xx; a notification already applied is acknowledged again. A payment notification
 * is stored as the first confirmation, the order is queried for the second, and the payment
 * settled with both (confirm.ts); if the query fails, WeChat is asked to send it again.
 */
export async function applyNotification(
  storage: Storage,
  provider: PaymentProvider,
  result: NotificationResult,
  now: string,
): Promise<NotifyAnswer> {
  if (!result.ok) return notificationAnswer(result);
  if (result.event !== 'TRANSACTION.SUCCESS') return applyRefundNotification(storage, result, now);
  const seen = await storage.db
    .selectFrom('payment_notifications')
    .select('id')
    .where('id', '=', result.id)
    .executeTakeFirst();
  if (seen !== undefined) return notificationAnswer(result);
  const notified = result.transaction;
  const row = await paymentByOutTradeNo(storage.db, notified.outTradeNo);
  if (row !== undefined && (UNSETTLED as readonly string[]).includes(row.state)) {
    await storage.write((w) =>
      w.trx
        .updateTable('payments')
        .set({ notified: JSON.stringify(notified), notified_at: now, updated_at: now })
        .where('out_trade_no', '=', row.out_trade_no)
        .execute(),
    );
    const queried = await provider.query(OutTradeNo.parse(row.out_trade_no));
    if (!queried.ok) return RETRY_LATER;
    await storage.write(async (w) => {
      if (await recordNotification(w, result.id, notified, now))
        await settleConfirmed(w, row, notified, queried.transaction, now);
    });
    return notificationAnswer(result);
  }
  // Not ours, or settled already: remembered, so a re-send is acknowledged at once.
  await storage.write(async (w) => {
    await recordNotification(w, result.id, notified, now);
  });
  return notificationAnswer(result);
}

/** True when this notification id is new (a concurrent duplicate loses here and changes nothing). */
async function recordNotification(
  w: WriteTx,
  id: string,
  notified: Transaction,
  now: string,
): Promise<boolean> {
  const inserted = await w.trx
    .insertInto('payment_notifications')
    .values({
      id,
      event: 'TRANSACTION.SUCCESS',
      out_trade_no: notified.outTradeNo,
      received_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}
