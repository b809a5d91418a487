import type { Storage } from '../../db/storage';
import { kyselyOf } from '../../db/prepared';
import type { NotificationResult } from '../provider';
import { notificationAnswer } from '../wechat/notification';
import { recordNotification } from './notification-rows';
import { applyRefund } from './refund';

type RefundNotification = Extract<NotificationResult, { refund: unknown }>;

/**
 * A verified REFUND.SUCCESS|ABNORMAL|CLOSED notification, applied once: the notification id is
 * recorded in the same write as the part's change, so a duplicate (WeChat re-sends until
 * acknowledged, or two deliveries at once) is acknowledged and changes nothing. A refund that is
 * not ours, or whose amount is not the part's, is remembered and changes nothing.
 */
export async function applyRefundNotification(
  storage: Storage,
  result: RefundNotification,
  now: string,
): Promise<ReturnType<typeof notificationAnswer>> {
  await storage.write(async (w) => {
    const fresh = await recordNotification(w, {
      id: result.id,
      event: result.event,
      outTradeNo: result.refund.outTradeNo ?? null,
      now,
    });
    if (!fresh) return;
    const part = await kyselyOf(w)
      .selectFrom('refund_parts')
      .selectAll()
      .where('out_refund_no', '=', result.refund.outRefundNo)
      .executeTakeFirst();
    if (part !== undefined) await applyRefund(w, part, result.refund, now);
  });
  return notificationAnswer(result);
}
