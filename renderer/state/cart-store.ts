import { create } from 'zustand';
import type { LineId, VoucherCode } from '../../core/ids';
import type { Fen } from '../../core/money';
import type { Member, Product } from '../../core/protocol/index';
import type { Reason } from '../../core/reasons';
import type { Candidate, Cart, CartLine } from '../../core/vouchers';
import type { RedeemResult } from '../data/redeem';

/** A voucher scanned onto the order: what is known of it, or why it cannot be used at all. */
export interface CartVoucher {
  readonly code: VoucherCode;
  readonly candidate: Candidate | null;
  /** Set when the code could not be resolved (unknown, void, forged…). */
  readonly lookupRefusal: Reason | null;
}

export interface SaleOutcome {
  readonly code: VoucherCode;
  readonly result: RedeemResult;
}

interface CartSlice {
  readonly saleId: string;
  readonly lines: readonly CartLine[];
  readonly vouchers: readonly CartVoucher[];
  /** building: scanning; paying: vouchers being redeemed; tender: take cash; done: receipt shown. */
  readonly stage: 'building' | 'paying' | 'tender' | 'done';
  readonly outcomes: readonly SaleOutcome[];
  readonly receiptId: string | null;
  /** The member the cashier identified (card or phone): tier-only vouchers and limits use it. */
  readonly member: Member | null;
  readonly addProduct: (product: Product) => void;
  readonly setQuantity: (lineId: LineId, quantity: number) => void;
  readonly removeLine: (lineId: LineId) => void;
  readonly addVoucher: (voucher: CartVoucher) => void;
  readonly removeVoucher: (code: VoucherCode) => void;
  readonly setMember: (member: Member | null) => void;
  readonly clear: () => void;
  readonly setStage: (stage: CartSlice['stage']) => void;
  readonly setOutcomes: (outcomes: readonly SaleOutcome[]) => void;
  readonly finish: (receiptId: string) => void;
  readonly newSale: (saleId: string) => void;
}

const MAX_QUANTITY = 9_999;

/** The order being rung up. Prices and discounts are computed by core, never here. */
export const useCartStore = create<CartSlice>()((set) => ({
  saleId: '',
  lines: [],
  vouchers: [],
  stage: 'building',
  outcomes: [],
  receiptId: null,
  member: null,
  addProduct: (product) =>
    set((s) => {
      const lineId = product.sku as string as LineId;
      const existing = s.lines.find((l) => l.lineId === lineId);
      if (existing)
        return {
          lines: s.lines.map((l) =>
            l.lineId === lineId ? { ...l, quantity: Math.min(MAX_QUANTITY, l.quantity + 1) } : l,
          ),
        };
      const line: CartLine = {
        lineId,
        sku: product.sku,
        category: product.category,
        name: product.name,
        unitPriceFen: product.priceFen as Fen,
        quantity: 1,
      };
      return { lines: [...s.lines, line] };
    }),
  setQuantity: (lineId, quantity) =>
    set((s) => ({
      lines:
        quantity < 1
          ? s.lines.filter((l) => l.lineId !== lineId)
          : s.lines.map((l) =>
              l.lineId === lineId
                ? { ...l, quantity: Math.min(MAX_QUANTITY, Math.floor(quantity)) }
                : l,
            ),
    })),
  removeLine: (lineId) => set((s) => ({ lines: s.lines.filter((l) => l.lineId !== lineId) })),
  addVoucher: (voucher) =>
    set((s) =>
      s.vouchers.some((v) => v.code === voucher.code) ? s : { vouchers: [...s.vouchers, voucher] },
    ),
  removeVoucher: (code) => set((s) => ({ vouchers: s.vouchers.filter((v) => v.code !== code) })),
  setMember: (member) => set({ member }),
  clear: () => set({ lines: [], vouchers: [], outcomes: [], stage: 'building', member: null }),
  setStage: (stage) => set({ stage }),
  setOutcomes: (outcomes) => set({ outcomes }),
  finish: (receiptId) => set({ stage: 'done', receiptId }),
  newSale: (saleId) =>
    set({
      saleId,
      lines: [],
      vouchers: [],
      stage: 'building',
      outcomes: [],
      receiptId: null,
      member: null,
    }),
}));

/**
 * The order as the rule engine sees it. The member's id is the customer id (per-customer daily
 * limits count it); no member price is applied at the till yet, so memberDiscountApplied is false.
 */
export function cartOf(lines: readonly CartLine[], member: Member | null = null): Cart {
  return {
    lines: [...lines],
    memberDiscountApplied: false,
    memberTier: member?.tier ?? null,
    customerId: member?.id ?? null,
  };
}
