import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js';
import { BatchId, VoucherCode } from '../ids';
import { err, ok, type Result } from '../result';
import { decodeBase32, encodeBase32 } from './base32';

/**
 * Vouchers the chain issues itself carry an Ed25519 signature, so a terminal
 * holding only the public key can tell a genuine code from a forged one with
 * no network (DESIGN.md "Codes that the scanner reads").
 *
 * Text form: "TP1-" + Crockford base32 of
 *   [batch id length: 1 byte][batch id: ASCII bytes][serial: unsigned LEB128][signature: 64 bytes]
 * The signature covers "TP1" followed by everything before it. Batch ids are
 * case-sensitive slugs, so they travel as bytes, not as upper-cased text. The
 * whole code is upper-case letters, digits and one dash (QR alphanumeric mode,
 * Code 128) and at most 160 characters: batch ids up to 24 bytes with any
 * serial up to Number.MAX_SAFE_INTEGER.
 */
export const SIGNED_CODE_PREFIX = 'TP1-';
export const MAX_SIGNED_BATCH_ID_BYTES = 24;

const DOMAIN = [0x54, 0x50, 0x31]; // "TP1"
const SIGNATURE_BYTES = 64;

export interface SignedPayload {
  readonly batchId: BatchId;
  readonly serial: number;
}

export type VerifyFailure = 'NOT_SIGNED' | 'MALFORMED' | 'FORGED';

const asciiBytes = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

function leb128(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return out;
}

function payloadBytes({ batchId, serial }: SignedPayload): Uint8Array {
  const id = asciiBytes(batchId);
  return Uint8Array.from([id.length, ...id, ...leb128(serial)]);
}

const signedMessage = (payload: Uint8Array): Uint8Array => Uint8Array.from([...DOMAIN, ...payload]);

/** A key pair from 32 secret random bytes (the caller brings the randomness: core has none). */
export function generateCodeKeys(seed32: Uint8Array): {
  privateKeyHex: string;
  publicKeyHex: string;
} {
  if (seed32.length !== 32)
    throw new RangeError(`a signing key needs 32 random bytes, got ${seed32.length}`);
  const secret = Uint8Array.from(seed32);
  return {
    privateKeyHex: bytesToHex(secret),
    publicKeyHex: bytesToHex(ed25519.getPublicKey(secret)),
  };
}

/** True when `hex` is a usable Ed25519 public key (check terminal configuration with it). */
export function isValidPublicKeyHex(hex: string): boolean {
  try {
    return (
      /^[0-9a-f]{64}$/i.test(hex) &&
      ed25519.utils.isValidPublicKey(hexToBytes(hex.toLowerCase()), false)
    );
  } catch {
    return false;
  }
}

/**
 * Ed25519 signature (64 bytes) of `message` with the chain's code key. The server passes its
 * platform's native signer: the same bytes (Ed25519 is deterministic), a tenth of the time of
 * the portable one when it signs 100,000 codes in a row.
 */
export type CodeSigner = (message: Uint8Array) => Uint8Array;

/**
 * Issues one signed voucher code. Only the server, which holds the private
 * key (as hex, or as a signer holding it), calls this. Throws on a programming
 * error: a malformed key, a batch id that is not a slug of at most 24 bytes, or
 * a serial that is not a whole number in 0..MAX_SAFE_INTEGER.
 */
export function issueSignedCode(
  key: string | CodeSigner,
  payload: SignedPayload,
): VoucherCode {
  if (typeof key === 'string' && !/^[0-9a-f]{64}$/i.test(key))
    throw new TypeError('the private key must be 64 hex digits');
  const batchId = BatchId.parse(payload.batchId);
  if (batchId.length > MAX_SIGNED_BATCH_ID_BYTES)
    throw new RangeError(
      `batch id "${batchId}" is longer than ${MAX_SIGNED_BATCH_ID_BYTES} characters; signed codes cannot carry it`,
    );
  if (!Number.isSafeInteger(payload.serial) || payload.serial < 0)
    throw new RangeError(
      `serial ${payload.serial} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
    );
  const body = payloadBytes({ batchId, serial: payload.serial });
  const message = signedMessage(body);
  const signature =
    typeof key === 'string' ? ed25519.sign(message, hexToBytes(key.toLowerCase())) : key(message);
  if (signature.length !== SIGNATURE_BYTES)
    throw new RangeError(`a signature is ${SIGNATURE_BYTES} bytes, the signer gave ${signature.length}`);
  const bytes = new Uint8Array(body.length + SIGNATURE_BYTES);
  bytes.set(body);
  bytes.set(signature, body.length);
  return VoucherCode.parse(SIGNED_CODE_PREFIX + encodeBase32(bytes));
}

type Parsed = { payload: SignedPayload; body: Uint8Array; signature: Uint8Array };

function parse(bytes: Uint8Array): Parsed | null {
  const idLength = bytes[0];
  if (idLength === undefined || idLength === 0 || idLength > MAX_SIGNED_BATCH_ID_BYTES) return null;
  const id = String.fromCharCode(...bytes.subarray(1, 1 + idLength));
  const batchId = BatchId.safeParse(id);
  if (!batchId.success || id.length !== idLength) return null;
  let serial = 0;
  let scale = 1;
  let i = 1 + idLength;
  for (;;) {
    const b = bytes[i];
    if (b === undefined || i - 1 - idLength >= 8) return null;
    i += 1;
    serial += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) {
      // Minimal encoding only: a trailing zero group would give one serial two forms.
      if (b === 0 && i - 1 > 1 + idLength) return null;
      break;
    }
  }
  if (!Number.isSafeInteger(serial) || bytes.length - i !== SIGNATURE_BYTES) return null;
  return {
    payload: { batchId: batchId.data, serial },
    body: bytes.subarray(0, i),
    signature: bytes.subarray(i),
  };
}

/**
 * Verifies a code against the chain's public key. NOT_SIGNED: not in the
 * signed format at all (e.g. a code imported from a platform, looked up by the
 * server instead). MALFORMED: starts like a signed code but is truncated or
 * garbled. FORGED: well formed, but the signature does not verify (altered or
 * made without the private key). Verification is strict RFC 8032 (no ZIP-215
 * leniency), so a signature has exactly one accepted encoding.
 * Throws TypeError when publicKeyHex is not a public key (configuration error;
 * check it with isValidPublicKeyHex when loading settings).
 */
export function verifySignedCode(
  publicKeyHex: string,
  code: string,
): Result<SignedPayload, VerifyFailure> {
  if (!isValidPublicKeyHex(publicKeyHex))
    throw new TypeError('the code public key must be 64 hex digits of an Ed25519 key');
  if (!code.startsWith(SIGNED_CODE_PREFIX))
    return err('NOT_SIGNED', 'This code is not a Tillpoint-signed code.');
  const bytes = decodeBase32(code.slice(SIGNED_CODE_PREFIX.length));
  const parsed = bytes === null ? null : parse(bytes);
  if (parsed === null)
    return err(
      'MALFORMED',
      'This signed code is incomplete or garbled; scan it again or ask the customer to refresh it.',
    );
  let genuine = false;
  try {
    genuine = ed25519.verify(
      parsed.signature,
      signedMessage(parsed.body),
      hexToBytes(publicKeyHex.toLowerCase()),
      {
        zip215: false,
      },
    );
  } catch {
    genuine = false;
  }
  return genuine
    ? ok(parsed.payload)
    : err('FORGED', 'The signature of this code does not verify; it may be forged.');
}
