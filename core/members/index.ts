import { z } from 'zod';

/**
 * Members (会员): identified at the counter by a member card barcode or a mainland mobile number.
 * Pure rules shared by the server, the till and the classifier.
 */

/** Mainland China mobile numbers: 11 digits, 1 then 3–9 (13x … 19x). */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
/** Where a phone number may hide in longer text (a URL, a log line). */
const PHONE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/**
 * Member cards the chain prints carry "TPM-" and 8 digits (TPM-00000001): a prefix of
 * Tillpoint's own, like the "TP1-" of signed vouchers, so a card is never taken for a voucher.
 */
export const MEMBER_CARD_PATTERN = /^TPM-\d{8}$/;

export const MemberPhone = z
  .string()
  .regex(PHONE_PATTERN, 'a mainland mobile number: 11 digits starting 13–19');
export type MemberPhone = z.infer<typeof MemberPhone>;

export const MemberCard = z.string().regex(MEMBER_CARD_PATTERN, 'a member card: TPM- and 8 digits');
export type MemberCard = z.infer<typeof MemberCard>;

/** 138****5678: what a screen, a receipt or a log line may show of a phone number. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***';
}

/** The same text with every mobile number in it masked (for logs of URLs and messages). */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (p) => maskPhone(p));
}

/** What the cashier typed, read as a phone number: spaces and dashes dropped; null if not one. */
export function phoneOf(typed: string): MemberPhone | null {
  const digits = typed.replace(/[\s-]/g, '');
  return PHONE_PATTERN.test(digits) ? digits : null;
}

/**
 * The numbers that start with `digits`, as the range [from, to] of 11-digit numbers: a prefix
 * search that any index on the phone serves, on SQLite as on PostgreSQL (LIKE would not).
 */
export function phonePrefixRange(digits: string): { from: string; to: string } {
  return { from: digits.padEnd(11, '0'), to: digits.padEnd(11, '9') };
}
