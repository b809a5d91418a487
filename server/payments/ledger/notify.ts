import { prepared, type Slots } from '../../db/prepared';
import type { Storage } from '../../db/storage';
import type { NotificationResult } from '../provider';
import { notificationAnswer } from '../wechat/notification';
import { UNSETTLED } from './confirm';
import { recordNotification } from './notification-rows';
import { applyRefundNotification } from './refund-notify';

// Prepared once (db/prepared.ts): a burst of notifications runs these thousands of times a second.
const unsettledPayment = prepared((db, p: Slots<{ outTradeNo: string }>) =>
  db
    .selectFrom('payments')
    .select(['terminal_id', 'id'])
    .where('out_trade_no', '=', p('outTradeNo'))
    .where('state', 'in', [...UNSETTLED]),
);
const storeNotified = prepared(
  (db, p: Slots<{ outTradeNo: string; notified: string; now: string }>) =>
    db
      .updateTable('payments')
      .set({ notified: p('notified'), notified_at: p('now'), updated_at: p('now') })
      .where('out_trade_no', '=', p('outTradeNo'))
      .where('state', 'in', [...UNSETTLED]),
);

export interface NotifyAnswer {
  readonly status: number;
  readonly body?: { readonly code: 'FAIL'; readonly message: string };
}

/** A payment whose notification was just stored: its order query (the second confirmation) is due. */
export interface ToConfirm {
  readonly terminalId: string;
  readonly id: string;
}

export interface NotifyOutcome {
  readonly answer: NotifyAnswer;
  readonly confirm: ToConfirm | null;
}

/**
 * Applies one notification delivery: a refused one (forged, stale, a probe) changes nothing and
 * is answered 4xx; a notification already applied is acknowledged again and changes nothing.
 *
 * A payment notification is stored as the payment's first confirmation in one write, with its id
 * (so a duplicate, even one arriving at the same instant, loses on the id and changes nothing),
 * and acknowledged at once: WeChat waits 5 s, and "answer, then apply" keeps a burst of them from
 * queueing behind order queries. The second confirmation, an order query, is the caller's to
 * start (`confirm`, PaymentFollower.confirm); until the two agree the payment is not paid. If the
 * server dies before the query, the stored notification is still there for the sweep
 * (reconcile.ts), which queries and settles it.
 */
export async function applyNotification(
  storage: Storage,
  result: NotificationResult,
  now: string,
): Promise<NotifyOutcome> {
  if (!result.ok) return { answer: notificationAnswer(result), confirm: null };
  if (result.event !== 'TRANSACTION.SUCCESS')
    return { answer: await applyRefundNotification(storage, result, now), confirm: null };
  const notified = result.transaction;
  const confirm = await storage.write(async (w): Promise<ToConfirm | null> => {
    const fresh = await recordNotification(w, {
      id: result.id,
      event: 'TRANSACTION.SUCCESS',
      outTradeNo: notified.outTradeNo,
      now,
    });
    if (!fresh) return null;
    const outTradeNo = notified.outTradeNo;
    const row = (await unsettledPayment(w, { outTradeNo })).rows[0];
    // Not ours, or settled already: remembered, so a re-send is acknowledged at once.
    if (row === undefined) return null;
    await storeNotified(w, { outTradeNo, notified: JSON.stringify(notified), now });
    return { terminalId: row.terminal_id, id: row.id };
  });
  return { answer: notificationAnswer(result), confirm };
}
