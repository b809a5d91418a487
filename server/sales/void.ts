import type { VoucherCode } from '../../core/ids';
import type { SaleRequest } from '../../core/protocol';
import type { TerminalActor } from '../auth/actors';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import { giveBack, usedOnSale } from '../ledger/give-back';

/**
 * A void (SaleRequest.voided) took no money, so it names no tender: one that does is not a void
 * and is refused before anything is written. A void of a sale that took money is never this
 * request: such a sale is refunded (its id is already stored with other contents, answered
 * IDEMPOTENCY_KEY_REUSED; a paid sale it `replaces` is flagged REPLACEMENT_REFUSED).
 */
export function checkVoid(req: SaleRequest): void {
  if (req.voided === true && req.tenders.length > 0)
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `Sale ${req.id} is a void but names ${req.tenders.length} tender(s); a void takes no money — send it with no tenders, or refund the sale instead.`,
    );
}

/** Why a sale's vouchers are given back: voided by the cashier, or replaced by another sale. */
export type VoidCause =
  { readonly kind: 'void' } | { readonly kind: 'replaced'; readonly replacedBy: string };

/**
 * Gives back the vouchers still linked to a voided sale of this terminal (ledger/give-back.ts:
 * usable again on every till, out of 核销): the customer left without the order, so nothing was
 * sold with them. A voucher the sale named but another sale of the order holds stays with that
 * sale (it was never linked here). In the write that voids the sale.
 */
export async function giveBackVoided(
  w: WriteTx,
  actor: TerminalActor,
  saleId: string,
  cause: VoidCause,
  now: string,
): Promise<VoucherCode[]> {
  const used = await usedOnSale(w, actor.terminalId, saleId);
  if (used.length === 0) return [];
  return giveBack(
    w,
    { terminalId: actor.terminalId, id: saleId, storeId: actor.storeId },
    used,
    {
      actor: actor.cashierId ?? `terminal:${actor.terminalId}`,
      terminalId: actor.terminalId,
      refundId: null,
      note: cause.kind === 'void' ? { voided: true } : { replacedBy: cause.replacedBy },
      saleCounted: false,
    },
    now,
  );
}
