import type { PaymentReason } from '../protocol/payment';
import { assertNever } from '../result';
import type { Locale, Texts } from './format';

function texts(reason: PaymentReason): Texts {
  switch (reason) {
    case 'USERPAYING':
      return {
        'zh-CN': '顾客正在手机上输入支付密码，请稍候。',
        en: 'The customer is entering the payment password on the phone; please wait.',
      };
    case 'NOTENOUGH':
      return {
        'zh-CN': '顾客微信余额不足，请让顾客换一张卡或改用其他方式支付。',
        en: "The customer's WeChat balance is too low; ask them to switch cards or pay another way.",
      };
    case 'AUTHCODE_EXPIRED':
      return {
        'zh-CN': '付款码已过期，请让顾客刷新付款码后重新扫描。',
        en: 'The payment code has expired; ask the customer to refresh it and scan again.',
      };
    case 'AUTHCODE_INVALID':
      return {
        'zh-CN': '付款码无效，请让顾客打开微信付款码重新扫描。',
        en: 'The payment code is not valid; ask the customer to open the WeChat payment code and scan again.',
      };
    case 'PAYERROR':
      return {
        'zh-CN': '微信支付失败，未扣款；请让顾客重新付款或改用其他方式。',
        en: 'WeChat Pay failed the payment and nothing was charged; ask the customer to pay again or another way.',
      };
    case 'DECLINED':
      return {
        'zh-CN': '微信支付拒绝了这笔付款，未扣款；请改用其他方式支付。',
        en: 'WeChat Pay declined this payment and nothing was charged; take another payment method.',
      };
    case 'TIMEOUT':
      return {
        'zh-CN': '顾客未在规定时间内确认付款，订单已撤销；如已扣款将自动退回。',
        en: 'The customer did not confirm in time, so the order was cancelled; any charge is refunded automatically.',
      };
    case 'NO_ANSWER':
      return {
        'zh-CN': '暂未收到微信支付的结果，系统正在查询，请勿重复收款。',
        en: 'WeChat Pay has not answered yet; the server is checking. Do not charge the customer again.',
      };
    case 'EXPIRED':
      return {
        'zh-CN': '收款码已过期未支付，订单已关闭。',
        en: 'The QR code expired unpaid and the order was closed.',
      };
    case 'PAID_LATE':
      return {
        'zh-CN': '顾客在收银放弃后才完成付款，该笔款项已自动原路退回。',
        en: 'The customer paid after the till gave up; the money is refunded to them automatically.',
      };
    case 'REPLACED':
      return {
        'zh-CN': '收银已改用其他方式收款，此微信订单已关闭；如已扣款将自动原路退回。',
        en: 'The till took this sale another way, so this WeChat order was closed; any charge is refunded automatically.',
      };
    default:
      return assertNever(reason, 'payment reason');
  }
}

/** What to tell the cashier about a payment's reason (PaymentView.reason). */
export function paymentReasonMessage(reason: PaymentReason, locale: Locale = 'zh-CN'): string {
  return texts(reason)[locale];
}
