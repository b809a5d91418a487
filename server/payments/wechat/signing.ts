import { sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Request signing of API v3 (签名生成): SHA256withRSA, PKCS#1 v1.5, over
 * `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, where URL is the path with its
 * query string and BODY is the exact bytes sent ('' for a GET). The message
 * and header formats are wechatpay-go's core/consts (SignatureMessageFormat,
 * HeaderAuthorizationFormat).
 */
export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export function requestMessage(
  method: string,
  pathAndQuery: string,
  timestamp: number,
  nonce: string,
  body: string,
): string {
  return `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** Base64 SHA256withRSA (PKCS#1 v1.5) signature of a UTF-8 message or raw bytes. */
export function rsaSign(message: string | Uint8Array, key: KeyObject): string {
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return sign('sha256', bytes, key).toString('base64');
}

const signInPool = promisify(
  (
    algorithm: string,
    data: Uint8Array,
    key: KeyObject,
    done: (error: Error | null, signature: Buffer) => void,
  ) => {
    sign(algorithm, data, key, done);
  },
);

/**
 * rsaSign on libuv's thread pool: an RSA-2048 signature costs about a millisecond of CPU, which
 * on the event loop would hold up every request the server is answering meanwhile (a burst of
 * WeChat Pay notifications, each followed by a signed order query, measured in
 * bench/payments.bench.ts).
 */
export async function rsaSignOffThread(
  message: string | Uint8Array,
  key: KeyObject,
): Promise<string> {
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return (await signInPool('sha256', bytes, key)).toString('base64');
}

export interface AuthorizationParts {
  readonly mchid: string;
  readonly serialNo: string;
  readonly timestamp: number;
  readonly nonce: string;
  readonly signature: string;
}

export function authorizationHeader(p: AuthorizationParts): string {
  return (
    `${AUTH_SCHEME} mchid="${p.mchid}",nonce_str="${p.nonce}",signature="${p.signature}",` +
    `timestamp="${p.timestamp}",serial_no="${p.serialNo}"`
  );
}

/**
 * Reads an Authorization header back into its parts (the simulator's side).
 * Parameters may come in any order (wechatpay-axios-plugin puts serial_no
 * second), quoted or not.
 */
export function parseAuthorization(header: string | undefined): AuthorizationParts | undefined {
  if (header === undefined) return undefined;
  const prefix = `${AUTH_SCHEME} `;
  if (!header.startsWith(prefix)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(prefix.length).split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (m?.[1] !== undefined && m[2] !== undefined) fields.set(m[1], m[2]);
  }
  const mchid = fields.get('mchid');
  const serialNo = fields.get('serial_no');
  const nonce = fields.get('nonce_str');
  const signature = fields.get('signature');
  const timestamp = Number(fields.get('timestamp'));
  if (!mchid || !serialNo || !nonce || !signature || !Number.isSafeInteger(timestamp))
    return undefined;
  return { mchid, serialNo, nonce, signature, timestamp };
}
