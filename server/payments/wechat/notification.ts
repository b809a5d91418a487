import type { z } from 'zod';
import type { NotificationInput, NotificationRefusal, NotificationResult } from '../provider';
import { decryptResource } from './aead';
import type { WechatPayKeyring } from './keyring';
import { refundFromNotice, transaction } from './mapping';
import { header, HEADER, verifySigned } from './verifying';
import { WireNotification, WireRefundNotice, WireTransaction } from './wire';

/**
 * Remembers the signatures of notifications already accepted, so the same
 * signed request delivered twice within the ±5-minute window is refused
 * (older ones are refused as stale). Optional: the ledger must be idempotent
 * anyway, since WeChat re-sends a notification until it is acknowledged. A
 * multi-instance server backs this with its database.
 */
export interface ReplayGuard {
  /** True the first time this key is seen; false for a repeat. */
  firstSeen(key: string, nowMs: number): boolean;
}

/** A single-process ReplayGuard that forgets keys after the clock-skew window. */
export function memoryReplayGuard(windowMs = 10 * 60_000): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstSeen(key, nowMs) {
      for (const [k, at] of seen) if (nowMs - at > windowMs) seen.delete(k);
      if (seen.has(key)) return false;
      seen.set(key, nowMs);
      return true;
    },
  };
}

export interface NotificationKeys {
  readonly keyring: WechatPayKeyring;
  readonly apiV3Key: Buffer;
  readonly nowMs: number;
  readonly replayGuard?: ReplayGuard;
}

const refuse = (code: NotificationRefusal, message: string): NotificationResult => ({
  ok: false,
  code,
  message,
});

function parseJson<S extends z.ZodType>(schema: S, bytes: Uint8Array): z.output<S> | undefined {
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies, decrypts and reads one WeChat Pay notification (支付/退款结果通知):
 * the signature over the raw body (refusing WECHATPAY/SIGNTEST/ probes and
 * stale timestamps), then AEAD_AES_256_GCM with the APIv3 key, then the
 * resource's schema. Knows TRANSACTION.SUCCESS and REFUND.SUCCESS|ABNORMAL|CLOSED.
 * Answer WeChat 200/204 on `ok`, otherwise 4xx/5xx (see notificationAnswer).
 */
export function parseWechatNotification(
  input: NotificationInput,
  keys: NotificationKeys,
): NotificationResult {
  const body =
    typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const signatureType = header(input.headers, HEADER.signatureType);
  if (signatureType !== undefined && signatureType !== 'WECHATPAY2-SHA256-RSA2048')
    return refuse('BAD_SIGNATURE', 'Wechatpay-Signature-Type is not WECHATPAY2-SHA256-RSA2048');
  const verified = verifySigned(input.headers, body, keys.keyring, keys.nowMs);
  if (!verified.ok) return refuse(verified.code, verified.message);

  if (keys.replayGuard !== undefined) {
    const signature = header(input.headers, HEADER.signature) ?? '';
    if (!keys.replayGuard.firstSeen(signature, keys.nowMs))
      return refuse('REPLAYED', 'this signed notification was already accepted');
  }

  const envelope = parseJson(WireNotification, body);
  if (envelope === undefined)
    return refuse('MALFORMED', 'the body is not a WeChat Pay notification envelope');
  const { resource } = envelope;
  const plaintext = decryptResource(
    keys.apiV3Key,
    resource.nonce,
    resource.associated_data ?? '',
    resource.ciphertext,
  );
  if (plaintext === undefined)
    return refuse('DECRYPT_FAILED', 'the resource does not decrypt with our APIv3 key');

  const base = { id: envelope.id, createTime: envelope.create_time };
  switch (envelope.event_type) {
    case 'TRANSACTION.SUCCESS': {
      const t = parseJson(WireTransaction, plaintext);
      if (t === undefined) return refuse('MALFORMED', 'the decrypted transaction is not valid');
      return { ok: true, event: 'TRANSACTION.SUCCESS', ...base, transaction: transaction(t) };
    }
    case 'REFUND.SUCCESS':
    case 'REFUND.ABNORMAL':
    case 'REFUND.CLOSED': {
      const r = parseJson(WireRefundNotice, plaintext);
      if (r === undefined) return refuse('MALFORMED', 'the decrypted refund is not valid');
      return { ok: true, event: envelope.event_type, ...base, refund: refundFromNotice(r) };
    }
    default:
      return refuse('UNSUPPORTED_EVENT', 'this event type is not one we handle');
  }
}

/**
 * What to answer WeChat (回调应答): 204 with no body to acknowledge; otherwise
 * an error status with `{code: "FAIL", message}` so WeChat retries later. An
 * unsupported event is acknowledged so it is not re-sent for a day.
 */
export function notificationAnswer(result: NotificationResult): {
  readonly status: number;
  readonly body?: { readonly code: 'FAIL'; readonly message: string };
} {
  if (result.ok || result.code === 'UNSUPPORTED_EVENT') return { status: 204 };
  // A resource we cannot decrypt may be a key being rotated: 500 keeps WeChat retrying.
  const status = result.code === 'DECRYPT_FAILED' ? 500 : result.code === 'MALFORMED' ? 400 : 401;
  return { status, body: { code: 'FAIL', message: result.code } };
}
