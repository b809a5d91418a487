import type { ShiftTenderKind } from '../protocol/shift';
import type { ReceiptLocale } from './model';

/** Fixed words of the printed shift report, per locale. */
export interface ShiftLabels {
  readonly title: string;
  readonly open: string;
  readonly store: string;
  readonly terminal: string;
  readonly cashier: string;
  readonly openedAt: string;
  readonly closedAt: string;
  readonly printedAt: string;
  readonly shift: string;
  readonly sales: string;
  readonly salesCount: string;
  readonly subtotal: string;
  readonly discount: string;
  readonly amount: string;
  readonly tenders: string;
  readonly tender: Readonly<Record<ShiftTenderKind, string>>;
  readonly vouchers: string;
  readonly noVouchers: string;
  readonly refunds: string;
  readonly refundsCash: string;
  readonly refundsWechat: string;
  readonly voids: string;
  readonly unpaid: string;
  readonly cash: string;
  readonly float: string;
  readonly tendered: string;
  readonly change: string;
  readonly expected: string;
  readonly counted: string;
  readonly difference: string;
  readonly pending: string;
  readonly pendingSales: string;
  readonly pendingRedemptions: string;
  readonly pendingNote: string;
  readonly signature: string;
}

const zhCN: ShiftLabels = {
  title: '交班报表',
  open: '*** 班次未结束 ***',
  store: '门店',
  terminal: '终端',
  cashier: '收银员',
  openedAt: '开班',
  closedAt: '交班',
  printedAt: '打印',
  shift: '班次',
  sales: '销售',
  salesCount: '笔数',
  subtotal: '商品金额',
  discount: '券优惠',
  amount: '销售额',
  tenders: '收款方式',
  tender: { cash: '现金', wechat_native: '微信扫码', wechat_code: '微信付款码' },
  vouchers: '核销券',
  noVouchers: '无',
  refunds: '退款',
  refundsCash: '现金退款',
  refundsWechat: '微信退款',
  voids: '作废',
  unpaid: '待确认支付',
  cash: '钱箱',
  float: '备用金',
  tendered: '收到现金',
  change: '找零',
  expected: '应有现金',
  counted: '实点现金',
  difference: '差额',
  pending: '待同步',
  pendingSales: '销售',
  pendingRedemptions: '离线核销',
  pendingNote: '以上未计入本报表, 联网同步后计入',
  signature: '签字',
};

const en: ShiftLabels = {
  title: 'SHIFT REPORT',
  open: '*** SHIFT STILL OPEN ***',
  store: 'Store',
  terminal: 'Terminal',
  cashier: 'Cashier',
  openedAt: 'Opened',
  closedAt: 'Closed',
  printedAt: 'Printed',
  shift: 'Shift',
  sales: 'Sales',
  salesCount: 'Count',
  subtotal: 'Goods',
  discount: 'Vouchers',
  amount: 'Sales amount',
  tenders: 'Tenders',
  tender: { cash: 'Cash', wechat_native: 'WeChat QR', wechat_code: 'WeChat code' },
  vouchers: 'Vouchers redeemed',
  noVouchers: 'none',
  refunds: 'Refunds',
  refundsCash: 'Cash refunds',
  refundsWechat: 'WeChat refunds',
  voids: 'Voids',
  unpaid: 'Awaiting payment',
  cash: 'Drawer',
  float: 'Float',
  tendered: 'Cash received',
  change: 'Change given',
  expected: 'Expected cash',
  counted: 'Counted cash',
  difference: 'Difference',
  pending: 'Pending sync',
  pendingSales: 'Sales',
  pendingRedemptions: 'Offline redemptions',
  pendingNote: 'Not in this report until synced',
  signature: 'Signature',
};

export function shiftLabels(locale: ReceiptLocale): ShiftLabels {
  return locale === 'en' ? en : zhCN;
}
