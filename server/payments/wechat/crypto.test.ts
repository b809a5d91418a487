import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthCode, newNonce, newOutRefundNo, newOutTradeNo, OutTradeNo } from '../ids';
import { decryptResource, encryptResource } from './aead';
import { createKeyring } from './keyring';
import { rfc3339China } from './rfc3339';
import { redact } from './secret';
import { authorizationHeader, parseAuthorization, requestMessage, rsaSign } from './signing';
import { signedMessage, verifySigned } from './verifying';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyring = createKeyring([{ serial: 'PUB_KEY_ID_0114', key: publicKey }]);
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

function signedHeaders(body: Buffer, ts = Math.floor(NOW / 1000), serial = 'PUB_KEY_ID_0114') {
  const nonce = 'n0nce';
  return {
    'Wechatpay-Timestamp': String(ts),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(signedMessage(String(ts), nonce, body), privateKey),
    'Wechatpay-Serial': serial,
  };
}

describe('request signing', () => {
  it('signs METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n with SHA256withRSA', () => {
    const message = requestMessage(
      'GET',
      '/v3/pay/transactions/out-trade-no/P1?mchid=1',
      1,
      'N',
      '',
    );
    expect(message).toBe('GET\n/v3/pay/transactions/out-trade-no/P1?mchid=1\n1\nN\n\n');
    const signature = rsaSign(message, privateKey);
    expect(
      verify('sha256', Buffer.from(message), publicKey, Buffer.from(signature, 'base64')),
    ).toBe(true);
  });

  it('writes the Authorization header WeChat documents and reads it back in any order', () => {
    const parts = {
      mchid: '1900000109',
      serialNo: 'ABC123',
      timestamp: 1554208460,
      nonce: 'N',
      signature: 's+/=',
    };
    const header = authorizationHeader(parts);
    expect(header).toBe(
      'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="N",signature="s+/=",timestamp="1554208460",serial_no="ABC123"',
    );
    expect(parseAuthorization(header)).toEqual(parts);
    const axiosOrder =
      'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",serial_no="ABC123",timestamp="1554208460",nonce_str="N",signature="s+/="';
    expect(parseAuthorization(axiosOrder)).toEqual(parts);
    expect(parseAuthorization('Bearer x')).toBeUndefined();
  });
});

describe('answer verification', () => {
  const body = Buffer.from('{"code_url":"weixin://wxpay/bizpayurl?pr=x"}');

  it('accepts a signature over the raw bytes', () => {
    expect(verifySigned(signedHeaders(body), body, keyring, NOW)).toMatchObject({ ok: true });
  });

  it('refuses the same signature over other bytes', () => {
    const other = Buffer.from(body.toString().replace('x', 'y'));
    expect(verifySigned(signedHeaders(body), other, keyring, NOW)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it.each([
    [-301, false],
    [-299, true],
    [299, true],
    [301, false],
  ])('with the timestamp %i s off, accepts: %s', (offset, accepted) => {
    const r = verifySigned(
      signedHeaders(body, Math.floor(NOW / 1000) + offset),
      body,
      keyring,
      NOW,
    );
    expect(r.ok ? true : r.code).toBe(accepted ? true : 'STALE_TIMESTAMP');
  });

  it('refuses a serial it has no key for', () => {
    expect(
      verifySigned(signedHeaders(body, undefined, 'ABCDEF'), body, keyring, NOW),
    ).toMatchObject({
      ok: false,
      code: 'UNKNOWN_SERIAL',
    });
  });

  it('chooses the key by serial among public key and certificates, certificate serials in any case', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const both = createKeyring([
      { serial: '5157F09EFDC096DE', key: other.publicKey },
      { serial: 'PUB_KEY_ID_0114', key: publicKey },
    ]);
    expect(both.preferredSerial).toBe('PUB_KEY_ID_0114');
    expect(both.key('5157f09efdc096de')).toBe(other.publicKey);
    expect(verifySigned(signedHeaders(body), body, both, NOW).ok).toBe(true);
    const h = signedHeaders(body, undefined, '5157F09EFDC096DE');
    expect(verifySigned(h, body, both, NOW)).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
  });

  it('refuses WECHATPAY/SIGNTEST/ probes before looking at anything else', () => {
    const h = { ...signedHeaders(body), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/abc' };
    expect(verifySigned(h, body, keyring, NOW)).toMatchObject({
      ok: false,
      code: 'SIGN_TEST_PROBE',
    });
  });
});

describe('AEAD_AES_256_GCM', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');

  it('decrypts what was encrypted with the same nonce and associated data', () => {
    const c = encryptResource(key, 'abcdefghijkl', 'transaction', Buffer.from('{"a":1}'));
    expect(decryptResource(key, 'abcdefghijkl', 'transaction', c)?.toString()).toBe('{"a":1}');
  });

  it('refuses other associated data, a changed tag, or a short ciphertext', () => {
    const c = encryptResource(key, 'abcdefghijkl', 'transaction', Buffer.from('{"a":1}'));
    expect(decryptResource(key, 'abcdefghijkl', 'refund', c)).toBeUndefined();
    const bytes = Buffer.from(c, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(
      decryptResource(key, 'abcdefghijkl', 'transaction', bytes.toString('base64')),
    ).toBeUndefined();
    expect(decryptResource(key, 'abcdefghijkl', 'transaction', 'AAAA')).toBeUndefined();
  });
});

describe('identifiers and formats', () => {
  it('makes out_trade_no and out_refund_no within 6–32 of [A-Za-z0-9_-], never the same twice', () => {
    const nos = new Set(Array.from({ length: 200 }, () => newOutTradeNo()));
    expect(nos.size).toBe(200);
    for (const no of nos) expect(no).toMatch(/^[A-Za-z0-9_-]{6,32}$/);
    expect(newOutRefundNo()).toMatch(/^R[A-Za-z0-9_-]{22}$/);
    expect(OutTradeNo.safeParse('abc').success).toBe(false);
    expect(OutTradeNo.safeParse('a'.repeat(33)).success).toBe(false);
  });

  it('accepts 18-digit payment codes starting 10–15 only', () => {
    expect(AuthCode.safeParse('134567890123456789').success).toBe(true);
    expect(AuthCode.safeParse('104567890123456789').success).toBe(true);
    expect(AuthCode.safeParse('164567890123456789').success).toBe(false);
    expect(AuthCode.safeParse('13456789012345678').success).toBe(false);
    expect(AuthCode.safeParse('284567890123456789').success).toBe(false);
  });

  it('writes instants as RFC 3339 in +08:00', () => {
    expect(rfc3339China(new Date('2018-06-08T02:34:56.789Z'))).toBe('2018-06-08T10:34:56+08:00');
    expect(rfc3339China(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01T00:00:00+08:00');
  });

  it('makes 32-character alphanumeric nonces', () => {
    expect(newNonce()).toMatch(/^[0-9A-Za-z]{32}$/);
  });

  it('redacts every occurrence of a secret', () => {
    expect(redact('mchid 1900000109 and again 1900000109', ['1900000109'])).toBe(
      'mchid [redacted] and again [redacted]',
    );
  });
});
