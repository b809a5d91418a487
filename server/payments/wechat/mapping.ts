import { fen } from '../../../core/money';
import { assertNever } from '../../../core/result';
import type { PaymentVoucher, Refund, RefundState, TradeState, Transaction } from '../provider';
import type {
  WirePromotionDetail,
  WireRefund,
  WireRefundNotice,
  WireRefundStatus,
  WireTradeState,
  WireTransaction,
} from './wire';

/**
 * WeChat's wire records in our words. Merchant ids (appid, mchid) are dropped
 * here so no result carries them.
 */
export function tradeState(s: WireTradeState): TradeState {
  switch (s) {
    case 'SUCCESS':
      return 'paid';
    case 'REFUND':
      return 'refunded';
    case 'NOTPAY':
      return 'unpaid';
    case 'CLOSED':
      return 'closed';
    case 'REVOKED':
      return 'reversed';
    case 'USERPAYING':
      return 'user_paying';
    case 'PAYERROR':
      return 'failed';
    default:
      return assertNever(s, 'trade_state');
  }
}

export function refundState(s: WireRefundStatus): RefundState {
  switch (s) {
    case 'SUCCESS':
      return 'success';
    case 'CLOSED':
      return 'closed';
    case 'PROCESSING':
      return 'processing';
    case 'ABNORMAL':
      return 'abnormal';
    default:
      return assertNever(s, 'refund status');
  }
}

/** promotion_detail → the vouchers paid through WeChat, with who funded how much. */
export function vouchers(details: readonly WirePromotionDetail[] | undefined): PaymentVoucher[] {
  return (details ?? []).map((d) => ({
    couponId: d.coupon_id,
    ...(d.stock_id !== undefined && { stockId: d.stock_id }),
    ...(d.name !== undefined && { name: d.name }),
    ...(d.scope !== undefined && { scope: d.scope }),
    ...(d.type !== undefined && { type: d.type }),
    amount: fen(d.amount),
    wechatpayContribute: fen(d.wechatpay_contribute ?? 0),
    merchantContribute: fen(d.merchant_contribute ?? 0),
    otherContribute: fen(d.other_contribute ?? 0),
    goods: (d.goods_detail ?? []).map((g) => ({
      goodsId: g.goods_id,
      quantity: g.quantity,
      unitPrice: fen(g.unit_price),
      discountAmount: fen(g.discount_amount),
    })),
  }));
}

export function transaction(w: WireTransaction): Transaction {
  return {
    outTradeNo: w.out_trade_no,
    ...(w.transaction_id !== undefined && { transactionId: w.transaction_id }),
    state: tradeState(w.trade_state),
    ...(w.trade_state_desc !== undefined && { stateDescription: w.trade_state_desc }),
    ...(w.trade_type !== undefined && { tradeType: w.trade_type }),
    ...(w.amount?.total !== undefined && { total: fen(w.amount.total) }),
    ...(w.amount?.payer_total !== undefined && { payerTotal: fen(w.amount.payer_total) }),
    ...(w.success_time !== undefined && { successTime: w.success_time }),
    ...(w.bank_type !== undefined && { bankType: w.bank_type }),
    ...(w.attach !== undefined && { attach: w.attach }),
    ...(w.payer?.openid !== undefined && { payerOpenid: w.payer.openid }),
    vouchers: vouchers(w.promotion_detail),
  };
}

export function refund(w: WireRefund): Refund {
  return {
    outRefundNo: w.out_refund_no,
    refundId: w.refund_id,
    ...(w.out_trade_no !== undefined && { outTradeNo: w.out_trade_no }),
    ...(w.transaction_id !== undefined && { transactionId: w.transaction_id }),
    state: refundState(w.status),
    refund: fen(w.amount.refund),
    total: fen(w.amount.total),
    ...(w.amount.payer_refund !== undefined && { payerRefund: fen(w.amount.payer_refund) }),
    ...(w.channel !== undefined && { channel: w.channel }),
    ...(w.user_received_account !== undefined && { userReceivedAccount: w.user_received_account }),
    ...(w.success_time !== undefined && { successTime: w.success_time }),
    ...(w.create_time !== undefined && { createTime: w.create_time }),
  };
}

export function refundFromNotice(w: WireRefundNotice): Refund {
  return {
    outRefundNo: w.out_refund_no,
    refundId: w.refund_id,
    outTradeNo: w.out_trade_no,
    ...(w.transaction_id !== undefined && { transactionId: w.transaction_id }),
    state: refundState(w.refund_status),
    refund: fen(w.amount.refund),
    total: fen(w.amount.total),
    ...(w.amount.payer_refund !== undefined && { payerRefund: fen(w.amount.payer_refund) }),
    ...(w.user_received_account !== undefined && { userReceivedAccount: w.user_received_account }),
    ...(w.success_time !== undefined && { successTime: w.success_time }),
  };
}
