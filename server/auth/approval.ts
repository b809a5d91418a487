import type { Fen } from '../../core/money';
import type { ManagerApproval } from '../../core/protocol';
import { appendAudit } from '../audit/chain';
import type { AppContext } from '../context';
import type { WriteTx } from '../db/storage';
import { HttpError } from '../http/errors';
import type { TerminalActor } from './actors';
import { LimitError, resetCount } from './limits';
import { checkManagerPassword } from './login';

/** Above this, a payment or refund needs a manager's approval: ¥5,000 (issue 9). */
export const DEFAULT_APPROVAL_LIMIT_FEN = 500_000;

/** A manager who approved a request at a till: who, and when. */
export interface Approver {
  readonly userId: string;
  readonly role: 'store_manager' | 'chain_manager';
  readonly at: string;
}

/**
 * The manager behind an approval given at this terminal: a chain manager, or a store manager of
 * the terminal's store. Their username and password are checked with the password login's
 * guessing limits (a wrong one counts towards the name's lock-out; RATE_LIMITED past it). The
 * credentials go no further: only the user id is returned and audited.
 */
export async function checkApproval(
  ctx: AppContext,
  terminal: TerminalActor,
  approval: ManagerApproval | undefined,
  what: string,
  address: string,
  now: string,
): Promise<Approver> {
  if (approval === undefined)
    throw new HttpError(
      403,
      'APPROVAL_REQUIRED',
      `${what} needs a store manager's approval: send approval {username, password} of a manager of store ${terminal.storeId}.`,
    );
  let user;
  try {
    user = await checkManagerPassword(ctx, approval, address, now);
  } catch (e) {
    if (e instanceof LimitError || !(e instanceof HttpError)) throw e;
    throw new HttpError(
      401,
      'APPROVAL_REFUSED',
      `The approval's username or password is wrong, so ${what.toLowerCase()} was not made; the manager should enter them again (wrong ones count towards the login lock-out).`,
    );
  }
  const role = user.role;
  if (
    role === 'chain_manager' ||
    (role === 'store_manager' && user.store_id === terminal.storeId)
  ) {
    await ctx.storage.write((w) => resetCount(w, 'password_failures', approval.username));
    return { userId: user.id, role, at: now };
  }
  throw new HttpError(
    403,
    'APPROVAL_REFUSED',
    `${user.id} does not manage store ${terminal.storeId}; ${what.toLowerCase()} needs the approval of this store's manager or a chain manager.`,
  );
}

/**
 * For amounts above `limitFen`: the approving manager (APPROVAL_REQUIRED without one). At or
 * under the limit: null, and any approval sent is not checked. For the payment-code flow too.
 */
export async function requireApprovalAbove(
  ctx: AppContext,
  limitFen: number,
  amountFen: Fen,
  terminal: TerminalActor,
  approval: ManagerApproval | undefined,
  what: string,
  address: string,
  now: string,
): Promise<Approver | null> {
  if (amountFen <= limitFen) return null;
  return checkApproval(
    ctx,
    terminal,
    approval,
    `${what} of ${amountFen} fen (above the approval limit of ${limitFen} fen)`,
    address,
    now,
  );
}

/** Chains "who approved what, when, for which sale" into the audit log, in the caller's write. */
export async function auditApproval(
  w: WriteTx,
  approver: Approver,
  terminal: TerminalActor,
  subject: string,
  detail: { readonly saleId: string; readonly amountFen: number; readonly limitFen?: number },
  now: string,
): Promise<void> {
  await appendAudit(
    w,
    {
      actor: approver.userId,
      terminalId: terminal.terminalId,
      storeId: terminal.storeId,
      action: 'approval.granted',
      subject,
      before: null,
      after: {
        approvedBy: approver.userId,
        role: approver.role,
        approvedAt: approver.at,
        requestedBy: terminal.cashierId ?? `terminal:${terminal.terminalId}`,
        ...detail,
      },
    },
    now,
  );
}
