import type { TerminalId } from '../../core/ids';
import type { Locale } from '../../core/messages/format';
import type { Fen } from '../../core/money';
import type { Store } from '../../core/protocol/index';
import type { Receipt, ReceiptVoucher } from '../../core/receipt/model';
import { assertNever } from '../../core/result';
import type { ReceiptRecord, RedemptionRecord, RedemptionState } from '../data/records';

/** What a receipt needs beyond the sale or redemption itself. */
export interface ReceiptContext {
  readonly store: Store;
  readonly terminalId: TerminalId;
  readonly terminalName: string;
  /** Who is at the till now: printed when the record does not say who served. */
  readonly cashier: string;
  readonly locale: Locale;
  /** Batch names by voucher code; a code without one is printed as a plain "voucher". */
  readonly voucherNames: ReadonlyMap<string, string>;
  /** Set for a reprint: when it is reprinted (ISO instant). */
  readonly reprintedAt: string | null;
  /**
   * Where each redemption stands now, by redemption id. A reprint after the queue synced no longer
   * says "pending sync"; without an entry the flag recorded with the sale stands.
   */
  readonly redemptionStates?: ReadonlyMap<string, RedemptionState>;
}

const TIER_NAMES: Readonly<Record<string, { readonly 'zh-CN': string; readonly en: string }>> = {
  silver: { 'zh-CN': '银卡会员', en: 'Silver' },
  gold: { 'zh-CN': '金卡会员', en: 'Gold' },
  platinum: { 'zh-CN': '铂金会员', en: 'Platinum' },
};

/** A tier in the receipt's words; a tier without words of its own prints as its id. */
function memberTierName(tier: string, locale: Locale): string {
  return TIER_NAMES[tier]?.[locale] ?? tier;
}

const FALLBACK_VOUCHER = { 'zh-CN': '优惠券', en: 'Voucher' } as const;

const iso = (ms: number): string => new Date(ms).toISOString();

function storeOf(store: Store): Receipt['store'] {
  return { id: store.id, name: store.name, address: null, phone: null, timeZone: store.timeZone };
}

function voucherName(code: string, ctx: ReceiptContext): string {
  return ctx.voucherNames.get(code) ?? FALLBACK_VOUCHER[ctx.locale];
}

/** A finished sale (its stored receipt record) as the printer-independent receipt model. */
export function saleReceipt(sale: ReceiptRecord, ctx: ReceiptContext): Receipt {
  const vouchers: ReceiptVoucher[] = sale.vouchers.map((v) => {
    const now = ctx.redemptionStates?.get(v.redemptionId);
    return {
      code: v.code,
      name: voucherName(v.code, ctx),
      discountFen: v.discountFen,
      pendingSync: now === undefined ? v.pendingSync : now === 'pending',
    };
  });
  return {
    saleId: sale.id,
    locale: ctx.locale,
    store: storeOf(ctx.store),
    terminalId: sale.terminalId,
    terminalName: ctx.terminalName,
    cashier: sale.cashierName || ctx.cashier,
    ...(sale.member === undefined
      ? {}
      : {
          member: {
            phone: sale.member.phoneMasked,
            tier: memberTierName(sale.member.tier, ctx.locale),
          },
        }),
    at: iso(sale.createdAt),
    lines: sale.lines.map((l) => ({
      name: l.name,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.lineTotalFen,
    })),
    vouchers,
    totals: {
      subtotalFen: sale.subtotalFen,
      discountFen: sale.discountFen,
      totalFen: sale.totalFen,
    },
    tenders: (
      sale.tenders ?? [{ kind: 'cash', amountFen: sale.tenderedFen, transactionId: null }]
    ).map((t) => ({
      kind: t.kind,
      amountFen: t.amountFen,
      reference: tenderReference(t.transactionId),
    })),
    changeFen: sale.changeFen,
    pendingSync: vouchers.some((v) => v.pendingSync),
    reprintedAt: ctx.reprintedAt,
    footer: [],
  };
}

/** WeChat's transaction id as printed: its last digits, enough to find it, too few to misuse. */
function tenderReference(transactionId: string | null): string | null {
  return transactionId === null ? null : `…${transactionId.slice(-6)}`;
}

/** Whether a redemption gave the customer something a receipt can show. */
export function hasReceipt(state: RedemptionState): boolean {
  switch (state) {
    case 'synced':
    case 'pending':
      return true;
    case 'sending':
    case 'rejected':
    case 'conflict':
    case 'unconfirmed':
      return false;
    default:
      return assertNever(state, 'redemption state');
  }
}

/**
 * A quick redemption (no sale) as a voucher slip: no lines, the voucher and its amount. Null for a
 * redemption that redeemed nothing (refused, unconfirmed, conflict) or is still in flight.
 */
export function redemptionReceipt(record: RedemptionRecord, ctx: ReceiptContext): Receipt | null {
  if (!hasReceipt(record.state)) return null;
  const pendingSync = record.state === 'pending';
  const zero = 0 as Fen;
  return {
    saleId: record.id,
    locale: ctx.locale,
    store: storeOf(ctx.store),
    terminalId: record.request.terminalId,
    terminalName: ctx.terminalName,
    cashier: ctx.cashier,
    at: iso(record.createdAt),
    lines: [],
    vouchers: [
      {
        code: record.code,
        name: voucherName(record.code, ctx),
        discountFen: record.discountFen,
        pendingSync,
      },
    ],
    totals: { subtotalFen: zero, discountFen: record.discountFen, totalFen: zero },
    tenders: [],
    changeFen: zero,
    pendingSync,
    reprintedAt: ctx.reprintedAt,
    footer: [],
  };
}
