import { verify } from 'node:crypto';
import type { WechatPayKeyring } from './keyring';

/**
 * Verification of what WeChat Pay signs — every API answer and every
 * notification (签名验证): SHA256withRSA over `TIMESTAMP\nNONCE\nBODY\n` built
 * from the raw body bytes, with the key named by `Wechatpay-Serial`, and a
 * timestamp within ±5 minutes of our clock (wechatpay-go
 * core/auth/validators/wechat_pay_validator.go; header names from core/consts).
 */
export const HEADER = {
  timestamp: 'wechatpay-timestamp',
  nonce: 'wechatpay-nonce',
  signature: 'wechatpay-signature',
  serial: 'wechatpay-serial',
  signatureType: 'wechatpay-signature-type',
  requestId: 'request-id',
} as const;

export const MAX_CLOCK_SKEW_SECONDS = 300;

/** WeChat probes merchants with deliberately wrong signatures starting with this. */
export const SIGN_TEST_PREFIX = 'WECHATPAY/SIGNTEST/';

export type VerifyFailure =
  'MISSING_HEADERS' | 'SIGN_TEST_PROBE' | 'STALE_TIMESTAMP' | 'UNKNOWN_SERIAL' | 'BAD_SIGNATURE';

export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header, case-insensitively, from a plain object or a fetch Headers. */
export function header(headers: Headers | globalThis.Headers, name: string): string | undefined {
  if (headers instanceof globalThis.Headers) return headers.get(name)?.trim() ?? undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    const value = typeof v === 'string' ? v : v?.[0];
    return value?.trim();
  }
  return undefined;
}

export function signedMessage(timestamp: string, nonce: string, body: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'),
    body,
    Buffer.from('\n', 'utf8'),
  ]);
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly serial: string;
      readonly timestamp: number;
      readonly nonce: string;
    }
  | { readonly ok: false; readonly code: VerifyFailure; readonly message: string };

/** Checks a WeChat Pay signature on raw bytes; `nowMs` is our clock. */
export function verifySigned(
  headers: Headers | globalThis.Headers,
  body: Uint8Array,
  keyring: WechatPayKeyring,
  nowMs: number,
): VerifyResult {
  const timestamp = header(headers, HEADER.timestamp);
  const nonce = header(headers, HEADER.nonce);
  const signature = header(headers, HEADER.signature);
  const serial = header(headers, HEADER.serial);
  if (!timestamp || !nonce || !signature || !serial)
    return {
      ok: false,
      code: 'MISSING_HEADERS',
      message: 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial must all be present',
    };
  if (signature.startsWith(SIGN_TEST_PREFIX))
    return { ok: false, code: 'SIGN_TEST_PROBE', message: 'a WeChat Pay signature test probe' };
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!(Math.abs(nowMs / 1000 - seconds) <= MAX_CLOCK_SKEW_SECONDS))
    return {
      ok: false,
      code: 'STALE_TIMESTAMP',
      message: `Wechatpay-Timestamp is more than ${MAX_CLOCK_SKEW_SECONDS} s from our clock`,
    };
  const key = keyring.key(serial);
  if (key === undefined)
    return {
      ok: false,
      code: 'UNKNOWN_SERIAL',
      message: 'Wechatpay-Serial names no WeChat Pay key we are configured with',
    };
  let good = false;
  try {
    good = verify(
      'sha256',
      signedMessage(timestamp, nonce, body),
      key,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    good = false;
  }
  if (!good)
    return { ok: false, code: 'BAD_SIGNATURE', message: 'Wechatpay-Signature does not verify' };
  return { ok: true, serial, timestamp: seconds, nonce };
}
