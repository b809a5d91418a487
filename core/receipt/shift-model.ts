import { z } from 'zod';
import { Instant } from '../ids';
import { ShiftReport } from '../protocol/shift';
import { SafeText } from '../text';
import { Receipt, ReceiptLocale } from './model';
import { RefundReceipt } from './refund-model';

/**
 * The shift report (交班 / 日结) as a receipt to print: the server's report as stored, with what
 * the paper needs besides it. Printed through the same device call and preview as a sale.
 */
export const ShiftReceipt = z
  .object({
    kind: z.literal('shift_report'),
    locale: ReceiptLocale,
    store: Receipt.shape.store,
    /** What the store calls this till ("Till 1"). */
    terminalName: SafeText.min(1).max(64),
    cashier: SafeText.min(1).max(64),
    /** When it was printed (a reprint of a closed shift says so by this time). */
    printedAt: Instant,
    report: ShiftReport,
  })
  .strict();
export type ShiftReceipt = z.infer<typeof ShiftReceipt>;

/** Anything the receipt printer prints: a sale's receipt, a shift report or a refund. */
export const PrintableReceipt = z.union([Receipt, ShiftReceipt, RefundReceipt]);
export type PrintableReceipt = z.infer<typeof PrintableReceipt>;
