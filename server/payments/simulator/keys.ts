import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomInt,
} from 'node:crypto';

/**
 * The simulator's identities and keys, made at start-up and never written to
 * the repository: the merchant (mchid, appid, API certificate serial and
 * keypair — generated, or the merchant's own public key), the APIv3 key, and
 * WeChat Pay's signing keys in both forms a merchant may configure: a 微信支付公钥
 * (`PUB_KEY_ID_…`) and a platform certificate key (hex serial).
 */
export interface SimulatorKeys {
  readonly mchid: string;
  readonly appid: string;
  readonly merchantSerial: string;
  readonly merchantPublicKey: KeyObject;
  /** PEM of the merchant private key when the simulator generated it; absent when given ours. */
  readonly merchantPrivateKeyPem?: string;
  readonly apiV3Key: string;
  readonly publicKeyId: string;
  readonly publicKeyPem: string;
  readonly platformSerial: string;
  readonly platformPublicKeyPem: string;
}

export interface SimulatorSigningKeys {
  readonly publicKey: KeyObject; // private half of the 微信支付公钥
  readonly platform: KeyObject; // private half of the platform certificate
}

export interface MerchantIdentity {
  readonly mchid?: string;
  readonly appid?: string;
  readonly merchantSerial?: string;
  /** The merchant's public key (PEM), when it brings its own keypair. */
  readonly merchantPublicKeyPem?: string;
  readonly apiV3Key?: string;
}

const rsa = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('rsa', { modulusLength: 2048 });

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');
const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const alnum = (n: number): string => Array.from({ length: n }, () => ALNUM[randomInt(62)]).join('');

export function generateSimulatorKeys(merchant: MerchantIdentity = {}): {
  keys: SimulatorKeys;
  signing: SimulatorSigningKeys;
} {
  const wechat = rsa();
  const platform = rsa();
  let merchantPublicKey: KeyObject;
  let merchantPrivateKeyPem: string | undefined;
  if (merchant.merchantPublicKeyPem !== undefined) {
    merchantPublicKey = createPublicKey(merchant.merchantPublicKeyPem);
  } else {
    const pair = rsa();
    merchantPublicKey = pair.publicKey;
    merchantPrivateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  const pem = (k: KeyObject): string => k.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keys: {
      mchid: merchant.mchid ?? `19${digits(8)}`,
      appid: merchant.appid ?? `wx${randomBytes(8).toString('hex')}`,
      merchantSerial: (merchant.merchantSerial ?? hex(20)).toUpperCase(),
      merchantPublicKey,
      ...(merchantPrivateKeyPem !== undefined && { merchantPrivateKeyPem }),
      apiV3Key: merchant.apiV3Key ?? alnum(32),
      publicKeyId: `PUB_KEY_ID_01${digits(26)}`,
      publicKeyPem: pem(wechat.publicKey),
      platformSerial: hex(20),
      platformPublicKeyPem: pem(platform.publicKey),
    },
    signing: { publicKey: wechat.privateKey, platform: platform.privateKey },
  };
}
