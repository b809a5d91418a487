import { verify } from 'node:crypto';
import { parseAuthorization, requestMessage } from '../wechat/signing';
import { MAX_CLOCK_SKEW_SECONDS } from '../wechat/verifying';
import type { SimContext } from './context';

/**
 * Checks a merchant request the way WeChat Pay does before anything else:
 * the WECHATPAY2-SHA256-RSA2048 Authorization for our merchant and its
 * certificate serial, a timestamp near our clock, and a SHA256withRSA
 * signature over METHOD, the path with query as sent, timestamp, nonce and
 * the raw body. Any failure is 401 SIGN_ERROR.
 */
export function checkRequestSignature(
  ctx: SimContext,
  method: string,
  pathAndQuery: string,
  authorization: string | undefined,
  body: Buffer,
): { ok: true } | { ok: false; message: string } {
  const auth = parseAuthorization(authorization);
  if (auth === undefined)
    return {
      ok: false,
      message: 'Authorization 头缺失或格式错误 (missing or malformed Authorization)',
    };
  if (auth.mchid !== ctx.keys.mchid) return { ok: false, message: '商户号不存在 (unknown mchid)' };
  if (auth.serialNo.toUpperCase() !== ctx.keys.merchantSerial)
    return { ok: false, message: '证书序列号不正确 (unknown serial_no)' };
  const now = Math.floor(ctx.clock().getTime() / 1000);
  if (Math.abs(now - auth.timestamp) > MAX_CLOCK_SKEW_SECONDS)
    return { ok: false, message: '请求时间戳已过期 (timestamp too far from now)' };
  const message = requestMessage(
    method,
    pathAndQuery,
    auth.timestamp,
    auth.nonce,
    body.toString('utf8'),
  );
  let good = false;
  try {
    good = verify(
      'sha256',
      Buffer.from(message, 'utf8'),
      ctx.keys.merchantPublicKey,
      Buffer.from(auth.signature, 'base64'),
    );
  } catch {
    good = false;
  }
  return good ? { ok: true } : { ok: false, message: '签名错误 (signature does not verify)' };
}
