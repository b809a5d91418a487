import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';
import { err, ok, type Result } from '../../../core/result';
import { createKeyring, type WechatPayKeyring } from './keyring';
import { Secret } from './secret';

/**
 * A direct merchant's WeChat Pay API v3 settings. Lives on the server only;
 * every secret is a Secret or a KeyObject, so the object prints, inspects and
 * serialises without key material or merchant ids.
 */
export interface WechatPayConfig {
  readonly mchid: Secret<string>;
  readonly appid: Secret<string>;
  /** The serial number of the merchant's API certificate (商户API证书序列号). */
  readonly merchantSerial: Secret<string>;
  readonly privateKey: KeyObject;
  /** The 32-byte APIv3 key that encrypts notification resources. */
  readonly apiV3Key: Secret<Buffer>;
  readonly keyring: WechatPayKeyring;
  readonly notifyUrl: string;
  readonly refundNotifyUrl: string;
  /** https://api.mch.weixin.qq.com, or the simulator's address. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
}

export const WECHAT_PAY_API = 'https://api.mch.weixin.qq.com';

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** https everywhere; plain http only to this machine (the simulator, tests). */
const serviceUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
  } catch {
    return false;
  }
}, 'must be an https:// URL (http:// only to localhost)');

const pemOrFile = { pem: z.string().min(1).optional(), file: z.string().min(1).optional() };

/** The plain form, as read from a JSON file or built from the environment. */
export const WechatPayConfigInput = z
  .object({
    mchid: z.string().regex(/^\d{6,32}$/, 'must be the digits of the merchant id'),
    appid: z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'must be the AppID, e.g. wx…'),
    merchantSerial: z
      .string()
      .regex(/^[0-9A-Fa-f]{8,64}$/, 'must be the hex serial number of the merchant certificate'),
    privateKey: z.string().min(1).optional(),
    privateKeyFile: z.string().min(1).optional(),
    apiV3Key: z.string().optional(),
    apiV3KeyFile: z.string().min(1).optional(),
    wechatPayPublicKeyId: z
      .string()
      .regex(/^PUB_KEY_ID_[0-9A-Za-z_]+$/, 'must look like PUB_KEY_ID_…')
      .optional(),
    wechatPayPublicKey: z.string().min(1).optional(),
    wechatPayPublicKeyFile: z.string().min(1).optional(),
    /** Platform certificates (PEM; serial read from each) or, with `serial`, bare public keys. */
    platformCertificates: z
      .array(
        z.object({
          serial: z
            .string()
            .regex(/^[0-9A-Fa-f]{8,64}$/, 'must be a hex certificate serial')
            .optional(),
          ...pemOrFile,
        }),
      )
      .optional(),
    notifyUrl: serviceUrl,
    refundNotifyUrl: serviceUrl.optional(),
    baseUrl: serviceUrl.optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();
export type WechatPayConfigInput = z.input<typeof WechatPayConfigInput>;

export type ReadTextFile = (path: string) => string;
const defaultReadFile: ReadTextFile = (path) => readFileSync(path, 'utf8');

type Loaded<T> = Result<T, 'CONFIG_INVALID'>;
const invalid = (message: string): Loaded<never> =>
  err('CONFIG_INVALID', `WeChat Pay configuration: ${message}`);

/** Either the inline value or the file's content; never both, never the value in a message. */
function oneOf(
  inline: string | undefined,
  file: string | undefined,
  name: string,
  readFile: ReadTextFile,
): Loaded<string | undefined> {
  if (inline !== undefined && file !== undefined)
    return invalid(`give ${name} or ${name}File, not both`);
  if (file === undefined) return ok(inline);
  try {
    return ok(readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'read error';
    return invalid(`${name}File ${JSON.stringify(file)} could not be read (${code})`);
  }
}

function rsaPrivateKey(pem: string): KeyObject | undefined {
  try {
    const key = createPrivateKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return key.asymmetricKeyType === 'rsa' && bits >= 2048 ? key : undefined;
  } catch {
    return undefined;
  }
}

function rsaPublicKey(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa' ? key : undefined;
  } catch {
    return undefined;
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/** Platform certificates from PEM text: each certificate's own serial, or the given one for a bare key. */
function platformKeys(
  pem: string,
  serial: string | undefined,
  at: string,
): Loaded<{ serial: string; key: KeyObject }[]> {
  const out: { serial: string; key: KeyObject }[] = [];
  for (const m of pem.matchAll(PEM_BLOCK)) {
    const block = m[0];
    if (m[1] === 'CERTIFICATE') {
      try {
        const cert = new X509Certificate(block);
        if (serial !== undefined && serial.toUpperCase() !== cert.serialNumber.toUpperCase())
          return invalid(`${at}: the serial given does not match the certificate's`);
        out.push({ serial: cert.serialNumber.toUpperCase(), key: cert.publicKey });
      } catch {
        return invalid(`${at} holds a certificate that cannot be read`);
      }
    } else {
      const key = rsaPublicKey(block);
      if (key === undefined) return invalid(`${at} holds a block that is not an RSA public key`);
      if (serial === undefined)
        return invalid(`${at}: a bare public key needs its serial (a certificate carries its own)`);
      out.push({ serial: serial.toUpperCase(), key });
    }
  }
  if (out.length === 0) return invalid(`${at} holds no PEM certificate or public key`);
  return ok(out);
}

/** An issue in words that cannot quote the input: our own rule texts, or the kind of problem. */
function safeIssue(i: z.core.$ZodIssue): string {
  switch (i.code) {
    case 'invalid_format':
    case 'custom':
      return i.message;
    case 'invalid_type':
      return `expected ${i.expected}`;
    case 'unrecognized_keys':
      return `unknown field(s) ${i.keys.join(', ')}`;
    default:
      return i.code;
  }
}

/**
 * Validates a plain configuration object (from a file or the environment) and
 * loads its keys. `…File` fields name files holding the PEM or key text. The
 * error message says which field is wrong and why, and never repeats a value.
 */
export function parseWechatPayConfig(
  input: unknown,
  readFile: ReadTextFile = defaultReadFile,
): Loaded<WechatPayConfig> {
  const parsed = WechatPayConfigInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => {
      const path = i.path.map(String).join('.') || '(root)';
      // Our own messages (regex, refine) describe the rule; zod's generic ones could quote input.
      return `${path}: ${safeIssue(i)}`;
    });
    return invalid(issues.join('; '));
  }
  const c = parsed.data;

  const privatePem = oneOf(c.privateKey, c.privateKeyFile, 'privateKey', readFile);
  if (!privatePem.ok) return privatePem;
  if (privatePem.value === undefined) return invalid('privateKey or privateKeyFile is required');
  const privateKey = rsaPrivateKey(privatePem.value);
  if (privateKey === undefined)
    return invalid('privateKey is not a PEM RSA private key of at least 2048 bits');

  const v3 = oneOf(c.apiV3Key, c.apiV3KeyFile, 'apiV3Key', readFile);
  if (!v3.ok) return v3;
  const apiV3Key = Buffer.from((v3.value ?? '').trim(), 'utf8');
  if (apiV3Key.length !== 32) return invalid('apiV3Key must be the 32-character APIv3 key');

  const entries: { serial: string; key: KeyObject }[] = [];
  const pubPem = oneOf(
    c.wechatPayPublicKey,
    c.wechatPayPublicKeyFile,
    'wechatPayPublicKey',
    readFile,
  );
  if (!pubPem.ok) return pubPem;
  if ((pubPem.value === undefined) !== (c.wechatPayPublicKeyId === undefined))
    return invalid('wechatPayPublicKeyId and wechatPayPublicKey go together');
  if (pubPem.value !== undefined && c.wechatPayPublicKeyId !== undefined) {
    const key = rsaPublicKey(pubPem.value);
    if (key === undefined) return invalid('wechatPayPublicKey is not a PEM RSA public key');
    entries.push({ serial: c.wechatPayPublicKeyId, key });
  }
  for (const [i, cert] of (c.platformCertificates ?? []).entries()) {
    const at = `platformCertificates.${i}`;
    const pem = oneOf(cert.pem, cert.file, `${at}.pem`, readFile);
    if (!pem.ok) return pem;
    if (pem.value === undefined) return invalid(`${at} needs pem or file`);
    const keys = platformKeys(pem.value, cert.serial, at);
    if (!keys.ok) return keys;
    entries.push(...keys.value);
  }
  if (entries.length === 0)
    return invalid(
      'give the WeChat Pay public key (wechatPayPublicKeyId + wechatPayPublicKey) or platformCertificates',
    );

  const config: WechatPayConfig = {
    mchid: new Secret(c.mchid),
    appid: new Secret(c.appid),
    merchantSerial: new Secret(c.merchantSerial.toUpperCase()),
    privateKey,
    apiV3Key: new Secret(apiV3Key),
    keyring: createKeyring(entries),
    notifyUrl: c.notifyUrl,
    refundNotifyUrl: c.refundNotifyUrl ?? c.notifyUrl,
    baseUrl: (c.baseUrl ?? WECHAT_PAY_API).replace(/\/+$/, ''),
    timeoutMs: c.timeoutMs ?? 10_000,
  };
  const summary = `WechatPayConfig { baseUrl: ${config.baseUrl}, keys: ${config.keyring.serials.length} }`;
  Object.defineProperty(config, inspect.custom, { value: () => summary });
  Object.defineProperty(config, 'toJSON', { value: () => summary });
  return ok(Object.freeze(config));
}

/**
 * The same configuration from environment variables: WECHATPAY_MCHID,
 * WECHATPAY_APPID, WECHATPAY_MERCHANT_SERIAL, WECHATPAY_PRIVATE_KEY[_FILE],
 * WECHATPAY_APIV3_KEY[_FILE], WECHATPAY_PUBLIC_KEY_ID,
 * WECHATPAY_PUBLIC_KEY[_FILE], WECHATPAY_PLATFORM_CERTS_FILE (a PEM bundle of
 * platform certificates), WECHATPAY_NOTIFY_URL, WECHATPAY_REFUND_NOTIFY_URL,
 * WECHATPAY_BASE_URL, WECHATPAY_TIMEOUT_MS.
 */
export function wechatPayConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadTextFile = defaultReadFile,
): Loaded<WechatPayConfig> {
  const v = (name: string): string | undefined => {
    const value = env[`WECHATPAY_${name}`];
    return value === undefined || value === '' ? undefined : value;
  };
  const timeout = v('TIMEOUT_MS');
  const certs = v('PLATFORM_CERTS_FILE');
  const input: Record<string, unknown> = {
    mchid: v('MCHID'),
    appid: v('APPID'),
    merchantSerial: v('MERCHANT_SERIAL'),
    privateKey: v('PRIVATE_KEY'),
    privateKeyFile: v('PRIVATE_KEY_FILE'),
    apiV3Key: v('APIV3_KEY'),
    apiV3KeyFile: v('APIV3_KEY_FILE'),
    wechatPayPublicKeyId: v('PUBLIC_KEY_ID'),
    wechatPayPublicKey: v('PUBLIC_KEY'),
    wechatPayPublicKeyFile: v('PUBLIC_KEY_FILE'),
    platformCertificates: certs === undefined ? undefined : [{ file: certs }],
    notifyUrl: v('NOTIFY_URL'),
    refundNotifyUrl: v('REFUND_NOTIFY_URL'),
    baseUrl: v('BASE_URL'),
    timeoutMs: timeout === undefined ? undefined : Number(timeout),
  };
  const present = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  );
  return parseWechatPayConfig(present, readFile);
}
