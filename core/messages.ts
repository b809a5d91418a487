/**
 * Everything Tillpoint says to a person about vouchers, in zh-CN (default)
 * and English: refusal reasons, scan refusals, and benefit descriptions.
 */
export { describeBenefit } from './messages/benefit';
export { LOCALES, type Locale, weekdays, windowsText } from './messages/format';
export type { MessageOptions } from './messages/names';
export { reasonMessage } from './messages/reasons';
export { scanRefusalMessage } from './messages/scan';
