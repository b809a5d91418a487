import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchId, VoucherCode } from '../ids';
import { decodeBase32, encodeBase32 } from './base32';
import {
  generateCodeKeys,
  isValidPublicKeyHex,
  issueSignedCode,
  MAX_SIGNED_BATCH_ID_BYTES,
  SIGNED_CODE_PREFIX,
  verifySignedCode,
} from './signed';

const keys = generateCodeKeys(new Uint8Array(32).fill(1));
const batch = (s: string): BatchId => BatchId.parse(s);
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ-';

const arbBatchId = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/)
  .filter((s) => s.length >= 1 && s.length <= MAX_SIGNED_BATCH_ID_BYTES)
  .map(batch);
const arbSerial = fc.oneof(
  fc.nat(),
  fc.constantFrom(0, 127, 128, 16_383, 16_384, Number.MAX_SAFE_INTEGER),
);

describe('Crockford base32', () => {
  it('round-trips any bytes and has one text form per byte string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]*$/);
        expect(decodeBase32(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses non-canonical text: unknown letters, set padding bits, a stray extra character', () => {
    expect(decodeBase32('O0')).toBeNull();
    expect(decodeBase32('01')).toBeNull(); // one byte uses 8 of 10 bits; the last 2 must be 0
    expect(decodeBase32('000')).toBeNull(); // 15 bits: one byte and 7 spare bits is one character too many
  });
});

describe('signed voucher codes', () => {
  it('issues a compact upper-case code that verifies to its batch and serial', () => {
    const code = issueSignedCode(keys.privateKeyHex, {
      batchId: batch('Spring.Sale-2026'),
      serial: 123_456,
    });
    expect(code.startsWith(SIGNED_CODE_PREFIX)).toBe(true);
    expect(VoucherCode.safeParse(code).success).toBe(true);
    expect(code).toMatch(/^[0-9A-Z-]+$/); // QR alphanumeric mode
    expect(verifySignedCode(keys.publicKeyHex, code)).toEqual({
      ok: true,
      value: { batchId: 'Spring.Sale-2026', serial: 123_456 },
    });
  });

  it('keeps batch ids case-sensitive', () => {
    const lower = issueSignedCode(keys.privateKeyHex, { batchId: batch('abc'), serial: 1 });
    const upper = issueSignedCode(keys.privateKeyHex, { batchId: batch('ABC'), serial: 1 });
    expect(lower).not.toBe(upper);
    expect(verifySignedCode(keys.publicKeyHex, lower)).toMatchObject({ value: { batchId: 'abc' } });
  });

  it('fits 160 characters with the longest batch id and the largest serial', () => {
    const code = issueSignedCode(keys.privateKeyHex, {
      batchId: batch('X'.repeat(MAX_SIGNED_BATCH_ID_BYTES)),
      serial: Number.MAX_SAFE_INTEGER,
    });
    expect(code.length).toBeLessThanOrEqual(160);
  });

  it('refuses to issue what it cannot encode', () => {
    expect(() =>
      issueSignedCode(keys.privateKeyHex, { batchId: batch('X'.repeat(25)), serial: 1 }),
    ).toThrow(RangeError);
    expect(() => issueSignedCode(keys.privateKeyHex, { batchId: batch('B1'), serial: -1 })).toThrow(
      RangeError,
    );
    expect(() =>
      issueSignedCode(keys.privateKeyHex, { batchId: batch('B1'), serial: 1.5 }),
    ).toThrow(RangeError);
    expect(() => issueSignedCode('nothex', { batchId: batch('B1'), serial: 1 })).toThrow(TypeError);
  });

  it('tells a code not in the signed format from a garbled one', () => {
    expect(verifySignedCode(keys.publicKeyHex, 'WX-8842-1177')).toMatchObject({
      ok: false,
      code: 'NOT_SIGNED',
    });
    expect(verifySignedCode(keys.publicKeyHex, 'TP1-')).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
    expect(verifySignedCode(keys.publicKeyHex, 'TP1-ILOU')).toMatchObject({
      ok: false,
      code: 'MALFORMED',
    });
  });

  it('refuses a code signed with another key as forged', () => {
    const other = generateCodeKeys(new Uint8Array(32).fill(2));
    const code = issueSignedCode(other.privateKeyHex, { batchId: batch('B1'), serial: 7 });
    expect(verifySignedCode(keys.publicKeyHex, code)).toMatchObject({ ok: false, code: 'FORGED' });
  });

  it('refuses every truncation of a code', () => {
    const code = issueSignedCode(keys.privateKeyHex, { batchId: batch('B1'), serial: 7 });
    for (let n = SIGNED_CODE_PREFIX.length; n < code.length; n++)
      expect(verifySignedCode(keys.publicKeyHex, code.slice(0, n))).toMatchObject({
        ok: false,
        code: 'MALFORMED',
      });
  });

  it('verifies any issued code, and refuses it after any single-character change', () => {
    fc.assert(
      fc.property(
        arbBatchId,
        arbSerial,
        fc.nat(),
        fc.integer({ min: 1, max: ALPHABET.length - 1 }),
        (batchId, serial, position, shift) => {
          const code = issueSignedCode(keys.privateKeyHex, { batchId, serial });
          expect(verifySignedCode(keys.publicKeyHex, code)).toEqual({
            ok: true,
            value: { batchId, serial },
          });
          const i = position % code.length;
          const replacement =
            ALPHABET[(ALPHABET.indexOf(code[i] ?? '0') + shift) % ALPHABET.length] ?? '0';
          const altered = code.slice(0, i) + replacement + code.slice(i + 1);
          expect(altered).not.toBe(code);
          expect(verifySignedCode(keys.publicKeyHex, altered).ok).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('derives the same keys from the same seed and validates public keys', () => {
    expect(generateCodeKeys(new Uint8Array(32).fill(1))).toEqual(keys);
    expect(isValidPublicKeyHex(keys.publicKeyHex)).toBe(true);
    expect(isValidPublicKeyHex('00')).toBe(false);
    expect(() => generateCodeKeys(new Uint8Array(16))).toThrow(RangeError);
  });
});
