/**
 * The sentences of the shift screen (开班 / 交班), in zh-CN (default) and English: a part of the
 * one table in strings.ts. The report's own words are those printed (core/receipt/shift-labels.ts),
 * so the screen and the paper say the same.
 */
const zh = {
  shift: '交班',
  shiftOpenTitle: '开班',
  shiftOpenHelp: '清点钱箱里的备用金，输入金额（元）后按回车。',
  shiftFloat: '备用金（元）',
  shiftOpenButton: '开班',
  shiftOpening: '正在开班…',
  shiftCloseTitle: '交班',
  shiftCloseHelp: '清点钱箱里的全部现金，输入金额（元）后按回车。交班前会先同步本机待上传的记录。',
  shiftCounted: '实点现金（元）',
  shiftCloseButton: '交班',
  shiftClosing: '正在同步并交班…',
  shiftRefresh: '刷新',
  shiftLiveTitle: '本班至今',
  shiftClosedTitle: '交班报表',
  shiftNextTitle: '下一班',
  shiftOffline: '无法连接服务器。本机已记下这一步，联网后按“重试”。',
  shiftRetry: '重试',
  shiftRefusedBy: '服务器拒绝：{detail}',
  shiftNone: '本终端当前没有班次。',
  shiftFromServer: '以下数字均来自服务器账目。',
  shiftAmountInvalid: '请输入金额（元），例如 500 或 500.00，最多两位小数。',
} as const;

const en: Record<keyof typeof zh, string> = {
  shift: 'Shift',
  shiftOpenTitle: 'Open a shift',
  shiftOpenHelp: 'Count the float in the drawer, type it in yuan and press Enter.',
  shiftFloat: 'Float (yuan)',
  shiftOpenButton: 'Open shift',
  shiftOpening: 'Opening the shift…',
  shiftCloseTitle: 'Close the shift',
  shiftCloseHelp:
    'Count all the cash in the drawer, type it in yuan and press Enter. What this till still has queued is synced first.',
  shiftCounted: 'Counted cash (yuan)',
  shiftCloseButton: 'Close shift',
  shiftClosing: 'Syncing and closing the shift…',
  shiftRefresh: 'Refresh',
  shiftLiveTitle: 'This shift so far',
  shiftClosedTitle: 'Shift report',
  shiftNextTitle: 'Next shift',
  shiftOffline: 'Cannot reach the server. This till has kept the step; press Retry once online.',
  shiftRetry: 'Retry',
  shiftRefusedBy: 'The server refused: {detail}',
  shiftNone: 'This till has no open shift.',
  shiftFromServer: 'Every figure below comes from the server ledger.',
  shiftAmountInvalid: 'Enter an amount in yuan, e.g. 500 or 500.00, at most two decimals.',
};

export const SHIFT_ZH = zh;
export const SHIFT_EN = en;
