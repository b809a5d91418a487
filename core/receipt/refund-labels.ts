import type { RefundPartState } from '../protocol/refund';
import type { ReceiptLocale } from './model';

/** Fixed words of the printed refund receipt, per locale. */
export interface RefundLabels {
  readonly title: string;
  readonly store: string;
  readonly terminal: string;
  readonly cashier: string;
  readonly at: string;
  readonly printedAt: string;
  readonly sale: string;
  readonly refund: string;
  readonly approvedBy: string;
  readonly reason: string;
  readonly lines: string;
  readonly total: string;
  readonly toWechat: string;
  readonly cash: string;
  readonly state: Readonly<Record<RefundPartState, string>>;
  readonly wechatNote: string;
  /** Above the codes the refund gave back. */
  readonly vouchersReturned: string;
  readonly signature: string;
}

const zhCN: RefundLabels = {
  title: '退款单',
  store: '门店',
  terminal: '终端',
  cashier: '收银员',
  at: '时间',
  printedAt: '打印',
  sale: '原交易',
  refund: '退款号',
  approvedBy: '批准店长',
  reason: '原因',
  lines: '退货商品',
  total: '退款合计',
  toWechat: '原路退回微信支付',
  cash: '现金退款',
  state: {
    requested: '已提交',
    processing: '退款中',
    succeeded: '成功',
    closed: '已关闭',
    abnormal: '异常',
  },
  wechatNote: '微信退款一般即时到账, 最长可能需数个工作日',
  vouchersReturned: '券已退回, 可再次使用:',
  signature: '顾客签字',
};

const en: RefundLabels = {
  title: 'REFUND',
  store: 'Store',
  terminal: 'Till',
  cashier: 'Cashier',
  at: 'Time',
  printedAt: 'Printed',
  sale: 'Sale',
  refund: 'Refund',
  approvedBy: 'Approved by',
  reason: 'Reason',
  lines: 'Items returned',
  total: 'Refund total',
  toWechat: 'Back to WeChat Pay',
  cash: 'Cash refund',
  state: {
    requested: 'sent',
    processing: 'processing',
    succeeded: 'success',
    closed: 'closed',
    abnormal: 'abnormal',
  },
  wechatNote: 'WeChat refunds usually arrive at once; some take a few working days',
  vouchersReturned: 'Voucher returned, can be used again:',
  signature: 'Customer signature',
};

export function refundLabels(locale: ReceiptLocale): RefundLabels {
  return locale === 'zh-CN' ? zhCN : en;
}
