import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Our own order and refund numbers. WeChat allows 6–32 characters of digits,
 * letters and `_-|*`; we make and accept only `[A-Za-z0-9_-]`, which is also
 * safe in a URL path without escaping.
 */
const merchantNo = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,32}$/, 'must be 6–32 characters of A–Z, a–z, 0–9, _ and -');

/** out_trade_no: one per payment attempt, never reused for a new attempt. */
export const OutTradeNo = merchantNo.brand<'OutTradeNo'>();
export type OutTradeNo = z.infer<typeof OutTradeNo>;

/** out_refund_no: made once per refund and sent again on every retry of it. */
export const OutRefundNo = merchantNo.brand<'OutRefundNo'>();
export type OutRefundNo = z.infer<typeof OutRefundNo>;

/**
 * A WeChat payment code (付款码): 18 digits starting 10–15, as the 付款码支付 reference says;
 * the till's requests are checked with the same schema (core/protocol/payment.ts).
 */
export { AuthCode } from '../../core/protocol/payment';

/** Source of random bytes; tests may pass a seeded one. */
export type RandomBytes = (size: number) => Uint8Array;

export const defaultRandom: RandomBytes = (size) => randomBytes(size);

/**
 * 'P' + 16 random bytes as base64url (23 characters): unguessable and, at
 * 128 bits, never repeated, so an attempt never inherits another's state.
 */
export function newOutTradeNo(random: RandomBytes = defaultRandom): OutTradeNo {
  return OutTradeNo.parse(`P${Buffer.from(random(16)).toString('base64url')}`);
}

export function newOutRefundNo(random: RandomBytes = defaultRandom): OutRefundNo {
  return OutRefundNo.parse(`R${Buffer.from(random(16)).toString('base64url')}`);
}

/** A nonce for request signing: 32 characters of [0-9A-Za-z], like the official SDKs. */
export function newNonce(random: RandomBytes = defaultRandom): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let nonce = '';
  for (const b of random(32)) nonce += alphabet[b % alphabet.length];
  return nonce;
}
