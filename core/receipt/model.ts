import { z } from 'zod';
import { SafeText } from '../text';
import { DisplayName, Instant, StoreId, TerminalId, TimeZone } from '../ids';
import { Fen } from '../money';

/**
 * A receipt as the sale recorded it, independent of any printer. The ESC/POS
 * encoder and the on-screen preview both render it through layoutReceipt, so
 * what the cashier previews is what the printer prints.
 */
const Text = SafeText.max(200);

export const ReceiptLine = z
  .object({
    name: SafeText.min(1).max(200),
    quantity: z.number().int().min(1).max(99_999),
    unitPriceFen: Fen,
    amountFen: Fen,
  })
  .strict();
export type ReceiptLine = z.infer<typeof ReceiptLine>;

export const ReceiptVoucher = z
  .object({
    /** The voucher code as scanned; printed masked except for its last characters. */
    code: SafeText.min(1).max(160),
    name: SafeText.min(1).max(200),
    discountFen: Fen,
    /** Redeemed offline: the server has not confirmed it yet. */
    pendingSync: z.boolean(),
  })
  .strict();
export type ReceiptVoucher = z.infer<typeof ReceiptVoucher>;

export const TENDER_KINDS = ['wechat_pay', 'cash', 'card', 'other'] as const;
export const ReceiptTender = z
  .object({ kind: z.enum(TENDER_KINDS), amountFen: Fen, reference: Text.nullable() })
  .strict();
export type ReceiptTender = z.infer<typeof ReceiptTender>;

export const RECEIPT_LOCALES = ['zh-CN', 'en'] as const;
export const ReceiptLocale = z.enum(RECEIPT_LOCALES);
export type ReceiptLocale = z.infer<typeof ReceiptLocale>;

export const Receipt = z
  .object({
    /** The sale's id; printed as text and as the QR code. */
    saleId: SafeText.min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.:-]+$/),
    locale: ReceiptLocale,
    store: z
      .object({
        id: StoreId,
        name: DisplayName,
        address: Text.nullable(),
        phone: SafeText.max(40).nullable(),
        timeZone: TimeZone,
      })
      .strict(),
    terminalId: TerminalId,
    /** What the store calls this till ("Till 1"): printed, where the id would be noise. */
    terminalName: SafeText.min(1).max(64),
    cashier: SafeText.min(1).max(64),
    /** The sale's member: the phone already masked (138****8000) and the tier in words. */
    member: z
      .object({ phone: SafeText.min(1).max(20), tier: SafeText.min(1).max(64) })
      .strict()
      .optional(),
    at: Instant,
    lines: z.array(ReceiptLine).max(500),
    vouchers: z.array(ReceiptVoucher).max(50),
    totals: z.object({ subtotalFen: Fen, discountFen: Fen, totalFen: Fen }).strict(),
    tenders: z.array(ReceiptTender).max(10),
    changeFen: Fen,
    /** Set when the sale holds offline redemptions the server has not confirmed yet. */
    pendingSync: z.boolean(),
    /** Set on a reprint: when it was reprinted. The original time stays in `at`. */
    reprintedAt: Instant.nullable(),
    footer: z.array(Text).max(10),
  })
  .strict();
export type Receipt = z.infer<typeof Receipt>;
