import type { ReceiptLocale, ReceiptTender } from './model';

/** Fixed words printed on a receipt, per locale. */
export interface ReceiptLabels {
  readonly store: string;
  readonly terminal: string;
  readonly cashier: string;
  readonly member: string;
  readonly time: string;
  readonly sale: string;
  readonly subtotal: string;
  readonly discount: string;
  readonly total: string;
  readonly change: string;
  readonly voucher: string;
  readonly pendingSync: string;
  readonly voucherPending: string;
  readonly pendingSyncNote: string;
  readonly reprint: string;
  readonly tender: Readonly<Record<ReceiptTender['kind'], string>>;
}

const zhCN: ReceiptLabels = {
  store: '门店',
  terminal: '终端',
  cashier: '收银员',
  member: '会员',
  time: '时间',
  sale: '单号',
  subtotal: '小计',
  discount: '优惠',
  total: '应付',
  change: '找零',
  voucher: '券',
  pendingSync: '*** 待同步 ***',
  voucherPending: '(待同步)',
  pendingSyncNote: '离线核销, 联网后自动确认',
  reprint: '*** 重印 ***',
  tender: { wechat_pay: '微信支付', cash: '现金', card: '银行卡', other: '其他' },
};

const en: ReceiptLabels = {
  store: 'Store',
  terminal: 'Terminal',
  cashier: 'Cashier',
  member: 'Member',
  time: 'Time',
  sale: 'Sale',
  subtotal: 'Subtotal',
  discount: 'Discount',
  total: 'Total',
  change: 'Change',
  voucher: 'Voucher',
  pendingSync: '*** PENDING SYNC ***',
  voucherPending: '(pending)',
  pendingSyncNote: 'Redeemed offline; confirmed when back online',
  reprint: '*** REPRINT ***',
  tender: { wechat_pay: 'WeChat Pay', cash: 'Cash', card: 'Card', other: 'Other' },
};

export function receiptLabels(locale: ReceiptLocale): ReceiptLabels {
  return locale === 'en' ? en : zhCN;
}
