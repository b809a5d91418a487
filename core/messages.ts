/**
 * Everything Tillpoint says to a person about vouchers, in zh-CN (default)
 * and English: refusal reasons, scan refusals, benefit descriptions and payment reasons.
 */
export { describeBenefit } from './messages/benefit';
export { LOCALES, weekdays } from './messages/format';
export { paymentReasonMessage } from './messages/payment';
export { reasonMessage } from './messages/reasons';
export { scanRefusalMessage } from './messages/scan';
