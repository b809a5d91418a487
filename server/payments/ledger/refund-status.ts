import type { RefundView } from '../../../core/protocol';
import type { TerminalActor } from '../../auth/actors';
import type { AppContext } from '../../context';
import type { Storage } from '../../db/storage';
import { OutRefundNo } from '../ids';
import type { PaymentProvider } from '../provider';
import { applyRefundResult, sendParts } from './refund';
import { partsOf, refundOr404, refundView, type RefundPartRow } from './refund-rows';

/** A refund WeChat is still paying back is asked about at most this often while its till polls. */
export const REFUND_QUERY_AFTER_MS = 3_000;

/**
 * The refund as its till polls it. A part WeChat never answered is sent again (same
 * out_refund_no); one WeChat is still paying back is queried (查询单笔退款) when due, so a lost
 * REFUND notification does not leave it waiting. Without a provider the stored state is answered.
 */
export async function refundStatus(
  ctx: AppContext,
  provider: PaymentProvider | null,
  actor: TerminalActor,
  id: string,
  now: string,
): Promise<RefundView> {
  const row = await refundOr404(ctx.storage.db, actor.terminalId, id);
  if (provider === null) return refundView(ctx.storage.db, row);
  const parts = await partsOf(ctx.storage.db, row);
  if (parts.some((p) => p.state === 'requested')) {
    try {
      return await sendParts(ctx, provider, row, now);
    } catch {
      // WeChat still does not answer: the stored state, the till asks again.
      return refundView(ctx.storage.db, row);
    }
  }
  for (const part of parts.filter((p) => dueForQuery(p, now)))
    await queryPart(ctx.storage, provider, part, now);
  return refundView(ctx.storage.db, row);
}

/**
 * Asks WeChat about a part it is still paying back (查询单笔退款) and applies the answer as a
 * notification would (applyRefund: once, forward only). For the till's poll and the sweep.
 */
export async function queryPart(
  storage: Storage,
  provider: PaymentProvider,
  part: RefundPartRow,
  now: string,
): Promise<void> {
  const result = await provider.queryRefund(OutRefundNo.parse(part.out_refund_no));
  await storage.write((w) => applyRefundResult(w, part, result, now));
}

function dueForQuery(part: RefundPartRow, now: string): boolean {
  if (part.state !== 'processing' || part.out_refund_no === null) return false;
  const last = part.queried_at ?? part.updated_at;
  return Date.parse(now) - Date.parse(last) >= REFUND_QUERY_AFTER_MS;
}
