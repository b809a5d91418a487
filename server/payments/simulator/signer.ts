import { randomBytes } from 'node:crypto';
import { rsaSign } from '../wechat/signing';
import { signedMessage } from '../wechat/verifying';
import type { SimContext } from './context';

/**
 * Signs what the simulator sends (answers and notifications) the way WeChat
 * Pay does: Wechatpay-Timestamp/-Nonce/-Signature/-Serial over
 * `TIMESTAMP\nNONCE\nBODY\n`. A request naming one of our keys in
 * Wechatpay-Serial is answered with that key, as WeChat does while a merchant
 * migrates from platform certificates to the 微信支付公钥.
 */
export function signatureHeaders(
  ctx: SimContext,
  body: Uint8Array,
  wantSerial?: string,
): Record<string, string> {
  const { keys, signing } = ctx;
  const usePublicKey =
    wantSerial === keys.publicKeyId
      ? true
      : wantSerial?.toUpperCase() === keys.platformSerial
        ? false
        : ctx.state.signWith === 'public-key';
  const timestamp = String(Math.floor(ctx.clock().getTime() / 1000));
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const key = usePublicKey ? signing.publicKey : signing.platform;
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(signedMessage(timestamp, nonce, body), key),
    'Wechatpay-Serial': usePublicKey ? keys.publicKeyId : keys.platformSerial,
  };
}
