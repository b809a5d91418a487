import { z } from 'zod';
import { ClientId, Instant, StoreId, TerminalId } from '../ids';
import { Fen } from '../money';

/**
 * A cashier's shift on one till (交班 / 日结): opened with the float put in the drawer, closed
 * with the cash counted out of it. The report is the server's, computed from its sales ledger.
 */

/** POST /v1/shifts. `id` (UUID v7) is the idempotency key within the terminal. */
export const OpenShiftRequest = z
  .object({ id: ClientId, floatFen: Fen })
  .strict()
  .describe('shift opening');
export type OpenShiftRequest = z.infer<typeof OpenShiftRequest>;

/** What the till still holds in its queue at closing time: not in the server's figures yet. */
export const PendingOffline = z
  .object({
    sales: z.number().int().min(0),
    redemptions: z.number().int().min(0),
  })
  .strict();
export type PendingOffline = z.infer<typeof PendingOffline>;

/** POST /v1/shifts/:id/close. Sent again after a lost answer, it gets the stored report. */
export const CloseShiftRequest = z
  .object({ countedFen: Fen, pending: PendingOffline })
  .strict()
  .describe('shift closing');
export type CloseShiftRequest = z.infer<typeof CloseShiftRequest>;

export const ByShift = z
  .object({ id: ClientId })
  .strict()
  .describe('shift id in the path (the UUID the till gave the shift)');

/** A signed amount of fen (the counted cash may be short of what is expected). */
export const SignedFen = z.number().int().safe();

const Tally = z.object({ count: z.number().int().min(0), amountFen: Fen }).strict();
export type Tally = z.infer<typeof Tally>;

export const ShiftTenderKind = z.enum(['cash', 'wechat_native', 'wechat_code']);
export type ShiftTenderKind = z.infer<typeof ShiftTenderKind>;

/** Every figure of a shift report; core/shifts/report.ts computes it from the ledger's rows. */
export const ShiftFigures = z
  .object({
    /** Sales paid in full (refunded later or not): count and the amount due. */
    sales: z
      .object({
        count: z.number().int().min(0),
        subtotalFen: Fen,
        discountFen: Fen,
        amountFen: Fen,
      })
      .strict(),
    /** What the sales' tenders took, per kind, in a fixed order; every kind listed. */
    tenders: z.array(Tally.extend({ kind: ShiftTenderKind }).strict()),
    /** Vouchers redeemed on the shift's sales, per batch. */
    vouchers: z.array(Tally.extend({ batchId: z.string(), name: z.string().nullable() }).strict()),
    /** Refunds given at this till in the shift (closed WeChat refunds excluded). */
    refunds: z.object({ count: z.number().int().min(0), cashFen: Fen, wechatFen: Fen }).strict(),
    voids: Tally,
    /** Sales still waiting for their WeChat payment to be confirmed: not in `sales`. */
    unpaid: Tally,
    cash: z
      .object({
        floatFen: Fen,
        /** Cash the customers handed over, and the change given back from it. */
        tenderedFen: Fen,
        changeFen: Fen,
        refundsFen: Fen,
        /** float + tendered − change − cash refunds. */
        expectedFen: SignedFen,
        countedFen: Fen.nullable(),
        /** counted − expected: negative when the drawer is short. */
        differenceFen: SignedFen.nullable(),
      })
      .strict(),
  })
  .strict();
export type ShiftFigures = z.infer<typeof ShiftFigures>;

/** A shift as it stands: an open one's figures are up to now; a closed one's are stored. */
export const ShiftReport = z
  .object({
    shiftId: ClientId,
    storeId: StoreId,
    terminalId: TerminalId,
    /** The cashier who opened it (user id), when the till named one. */
    cashierId: z.string().nullable(),
    state: z.enum(['open', 'closed']),
    openedAt: Instant,
    closedAt: Instant.nullable(),
    figures: ShiftFigures,
    /** What the till reported still queued when it closed the shift (null while open). */
    pending: PendingOffline.nullable(),
  })
  .strict();
export type ShiftReport = z.infer<typeof ShiftReport>;

/** GET /v1/shifts/current: the terminal's open shift, if it has one. */
export const CurrentShift = z.object({ shift: ShiftReport.nullable() }).strict();
export type CurrentShift = z.infer<typeof CurrentShift>;
