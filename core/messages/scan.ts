import type { ScanRefusal } from '../codes/refusals';
import { assertNever } from '../result';
import type { Locale, Texts } from './format';

function texts(refusal: ScanRefusal): Texts {
  switch (refusal) {
    case 'EMPTY':
      return {
        'zh-CN': '扫描内容为空，请重新扫描。',
        en: 'The scan was empty; scan again.',
      };
    case 'BAD_CHECK_DIGIT':
      return {
        'zh-CN': '商品条码校验位不正确，可能读错了；请重新扫描或手动输入。',
        en: 'The product barcode check digit is wrong, so it was probably misread; scan again or type it in.',
      };
    case 'UNRECOGNISED':
      return {
        'zh-CN': '无法识别该条码：不是券码、付款码或商品条码；请确认扫描的是正确的码。',
        en: 'This barcode is not a voucher, payment code or product barcode; check that the right code was scanned.',
      };
    case 'MALFORMED':
      return {
        'zh-CN': '券码不完整或已损坏，请让顾客刷新券面后重新扫描。',
        en: 'This voucher code is incomplete or damaged; ask the customer to refresh it and scan again.',
      };
    case 'FORGED':
      return {
        'zh-CN': '券码签名校验失败，可能是伪造的券；请勿核销，并告知店长。',
        en: "This voucher code's signature does not verify; it may be forged. Do not accept it and tell a manager.",
      };
    case 'NO_PUBLIC_KEY':
      return {
        'zh-CN': '本机尚未获得验券公钥，无法校验本连锁签发的券；请联网同步后再扫描。',
        en: "This terminal does not have the chain's code key yet, so it cannot check signed vouchers; connect, sync and scan again.",
      };
    default:
      return assertNever(refusal, 'scan refusal');
  }
}

/** What to tell the cashier when a scan is refused. */
export function scanRefusalMessage(refusal: ScanRefusal, locale: Locale = 'zh-CN'): string {
  return texts(refusal)[locale];
}
