import { hash } from 'node:crypto';
import type { Fen } from '../../../core/money';
import type { ManagerApproval } from '../../../core/protocol';
import { canonicalJson } from '../../audit/canonical';
import type { TerminalActor } from '../../auth/actors';
import { auditApproval, requireApprovalAbove, type Approver } from '../../auth/approval';
import type { AppContext } from '../../context';
import type { WriteTx } from '../../db/storage';
import { paymentRow } from './rows';

/** What Native and payment-code requests share for approvals and idempotency. */
interface PaymentRequestLike {
  readonly paymentId: string;
  readonly saleId: string;
  readonly amountFen: Fen;
  readonly approval?: ManagerApproval | undefined;
}

/** A manager's approval of one new payment above the limit, to audit in the payment's write. */
export interface PaymentApproval {
  readonly approver: Approver;
  readonly limitFen: number;
}

/** The request compared by everything but the approval (a repeat needs none, and the till drops it). */
export function paymentRequestHash(req: PaymentRequestLike): string {
  return hash('sha256', canonicalJson({ ...req, approval: undefined }), 'base64url');
}

/**
 * The approval a new WeChat payment (Native or payment code) above the limit needs
 * (APPROVAL_REQUIRED without one, APPROVAL_REFUSED for a wrong one); null at or under the limit,
 * and for a repeat of a stored paymentId, which needs none.
 */
export async function paymentApproval(
  ctx: AppContext,
  limitFen: number,
  actor: TerminalActor,
  req: PaymentRequestLike,
  address: string,
  now: string,
): Promise<PaymentApproval | null> {
  if ((await paymentRow(ctx.storage.db, actor.terminalId, req.paymentId)) !== undefined)
    return null;
  const approver = await requireApprovalAbove(
    ctx,
    limitFen,
    req.amountFen,
    actor,
    req.approval,
    'A WeChat payment',
    address,
    now,
  );
  return approver === null ? null : { approver, limitFen };
}

/** Records the approval (who, when, which sale, the amount and the limit) in the payment's write. */
export async function auditPaymentApproval(
  w: WriteTx,
  approval: PaymentApproval | null,
  actor: TerminalActor,
  req: PaymentRequestLike,
  now: string,
): Promise<void> {
  if (approval === null) return;
  await auditApproval(
    w,
    approval.approver,
    actor,
    `payment:${req.paymentId}`,
    { saleId: req.saleId, amountFen: req.amountFen, limitFen: approval.limitFen },
    now,
  );
}
