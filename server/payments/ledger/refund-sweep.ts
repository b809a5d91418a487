import type { Storage } from '../../db/storage';
import type { PaymentProvider } from '../provider';
import { sendPart } from './refund';
import { refundRow, type RefundPartRow } from './refund-rows';
import { queryPart } from './refund-status';

/** The parts the sweep looks after: WeChat never answered (requested) or not yet paid back. */
const UNSETTLED = ['requested', 'processing'] as const;

/**
 * WeChat refund parts left unsettled past `since` (their last change and their last look): a
 * `requested` one whose answer was lost, a `processing` one whose notification never came, and
 * whose till stopped polling. Oldest first, at most `batch`.
 */
export async function dueRefundParts(
  storage: Storage,
  since: string,
  batch: number,
): Promise<RefundPartRow[]> {
  return storage.db
    .selectFrom('refund_parts')
    .selectAll()
    .where('kind', '=', 'wechat')
    .where('out_refund_no', 'is not', null)
    .where('state', 'in', [...UNSETTLED])
    .where('updated_at', '<=', since)
    .where((eb) => eb.or([eb('queried_at', 'is', null), eb('queried_at', '<=', since)]))
    .orderBy('updated_at')
    .limit(batch)
    .execute();
}

/**
 * Claims a due part for this instance: `queried_at` (its last look) is moved to now by a
 * conditional update, which only one of several instances sweeping at once wins (zero rows
 * updated: another has it). Until `since` passes it again — the grace, as a lease — nobody else
 * looks; an instance that dies meanwhile leaves it to a later sweep. No lease columns needed.
 */
export async function claimRefundPart(
  storage: Storage,
  part: RefundPartRow,
  since: string,
  now: string,
): Promise<boolean> {
  const taken = await storage.write((w) =>
    w.trx
      .updateTable('refund_parts')
      .set({ queried_at: now })
      .where('terminal_id', '=', part.terminal_id)
      .where('refund_id', '=', part.refund_id)
      .where('seq', '=', part.seq)
      .where('state', '=', part.state)
      .where('updated_at', '<=', since)
      .where((eb) => eb.or([eb('queried_at', 'is', null), eb('queried_at', '<=', since)]))
      .executeTakeFirst(),
  );
  return Number(taken.numUpdatedRows) === 1;
}

/**
 * Moves a claimed part on as the till's poll would (refund-status.ts): a requested one is sent
 * again with the same out_refund_no (one refund at WeChat however often), a processing one is
 * queried; SUCCESS / CLOSED / ABNORMAL are applied once, by the functions notifications use.
 */
export async function sweepRefundPart(
  storage: Storage,
  provider: PaymentProvider,
  part: RefundPartRow,
  now: string,
): Promise<void> {
  if (part.state === 'processing') return queryPart(storage, provider, part, now);
  const refund = await refundRow(storage.db, part.terminal_id, part.refund_id);
  if (refund !== undefined) await sendPart(storage, provider, part, refund.reason, now);
}
