import { z } from 'zod';
import { Instant } from '../ids';
import { Fen } from '../money';
import { RefundPartState } from '../protocol/refund';
import { SafeText } from '../text';
import { Receipt, ReceiptLocale } from './model';

/** A line given back: what the customer returned and what it gives back after the vouchers. */
export const RefundReceiptLine = z
  .object({
    name: SafeText.min(1).max(200),
    quantity: z.number().int().min(1),
    amountFen: Fen,
  })
  .strict();
export type RefundReceiptLine = z.infer<typeof RefundReceiptLine>;

/**
 * A refund (退款单) as a receipt: the sale it refunds, the lines given back, and how the money goes
 * back — to the WeChat payment it came from (原路退款) or as cash from the drawer — with the
 * state of each part when printed, and the vouchers given back to the customer to use again. Printed through the same device call and preview as a sale.
 */
export const RefundReceipt = z
  .object({
    kind: z.literal('refund'),
    locale: ReceiptLocale,
    store: Receipt.shape.store,
    terminalName: SafeText.min(1).max(64),
    cashier: SafeText.min(1).max(64),
    refundId: Receipt.shape.saleId,
    saleId: Receipt.shape.saleId,
    /** When the manager approved it. */
    at: Instant,
    printedAt: Instant,
    approvedBy: SafeText.min(1).max(64),
    reason: SafeText.min(1).max(80),
    lines: z.array(RefundReceiptLine).max(500),
    amountFen: Fen,
    parts: z
      .array(z.object({ kind: z.enum(['cash', 'wechat']), amountFen: Fen, state: RefundPartState }))
      .max(10),
    /**
     * Voucher codes the refund gave back (RefundView.returnedVouchers), as scanned: the layout
     * prints them masked, as a sale receipt prints its vouchers.
     */
    returnedVouchers: z.array(SafeText.min(1).max(160)).max(50),
  })
  .strict();
export type RefundReceipt = z.infer<typeof RefundReceipt>;
