import type { KeyObject } from 'node:crypto';

/**
 * The WeChat Pay keys we verify answers and notifications with, chosen by the
 * `Wechatpay-Serial` header: a 微信支付公钥 (serial `PUB_KEY_ID_…`), platform
 * certificates (serial = the certificate's serial number, hex), or both while a
 * merchant migrates from certificates to the public key — the combined verifier
 * of wechatpay-go (core/auth/verifiers/sha256withrsa_combined_verifier.go).
 */
export interface WechatPayKeyring {
  /** The key for a serial, or undefined when we do not know the serial. */
  key(serial: string): KeyObject | undefined;
  /** The serial we ask WeChat to sign with (our `Wechatpay-Serial` request header). */
  readonly preferredSerial: string;
  readonly serials: readonly string[];
}

export function createKeyring(
  entries: readonly { readonly serial: string; readonly key: KeyObject }[],
): WechatPayKeyring {
  const first = entries[0];
  if (first === undefined) throw new Error('a WeChat Pay keyring needs at least one key');
  const bySerial = new Map<string, KeyObject>();
  // Certificate serials are hex and WeChat has sent them in either case; PUB_KEY_ID_ is exact.
  const norm = (s: string): string => (s.startsWith('PUB_KEY_ID_') ? s : s.toUpperCase());
  for (const e of entries) bySerial.set(norm(e.serial), e.key);
  const publicKeyEntry = entries.find((e) => e.serial.startsWith('PUB_KEY_ID_'));
  return {
    key: (serial) => bySerial.get(norm(serial.trim())),
    preferredSerial: (publicKeyEntry ?? first).serial,
    serials: entries.map((e) => e.serial),
  };
}
