import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords and PINs are hashed with scrypt (N=2^14, r=8, p=1, 16-byte salt)
 * and stored as `scrypt$N$r$p$salt$hash` (base64url), so the cost can rise
 * later without breaking stored hashes.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A bearer token: 32 random bytes, base64url (43 characters). Shown once, stored hashed. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens carry 256 bits of entropy, so a plain SHA-256 is enough to store
 * them (no salt or stretching needed) and lets a request find its token by
 * an indexed lookup.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Finds a cashier by store and PIN without trying every scrypt hash of the store. */
export function pinLookup(pepper: string, storeId: string, pin: string): string {
  return createHmac('sha256', pepper).update(`${storeId}\u0000${pin}`).digest('hex');
}

const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 8 characters without look-alikes (no 0/O, 1/I), as core's PairingCode expects. */
export function newPairingCode(): string {
  const bytes = randomBytes(8);
  let code = '';
  for (const b of bytes) code += PAIRING_ALPHABET[b % PAIRING_ALPHABET.length];
  return code;
}
