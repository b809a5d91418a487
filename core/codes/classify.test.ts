import { describe, expect, it } from 'vitest';
import { classifyScan, generateCodeKeys, issueSignedCode } from './index';
import { BatchId } from '../ids';

const keys = generateCodeKeys(new Uint8Array(32).fill(7));
const signed = issueSignedCode(keys.privateKeyHex, {
  batchId: BatchId.parse('spring-2026'),
  serial: 42,
});

describe('classifyScan', () => {
  it.each([
    ['134567890123456789', { kind: 'payment_code', code: '134567890123456789', aim: null }],
    [
      '6901234567892',
      { kind: 'product', barcode: '6901234567892', symbology: 'EAN-13', aim: null },
    ],
    ['96385074', { kind: 'product', barcode: '96385074', symbology: 'EAN-8', aim: null }],
    ['036000291452', { kind: 'product', barcode: '036000291452', symbology: 'UPC-A', aim: null }],
    ['WX-8842-1177', { kind: 'voucher', code: 'WX-8842-1177', signed: null, aim: null }],
    [
      '882233445566778899',
      { kind: 'voucher', code: '882233445566778899', signed: null, aim: null },
    ],
  ])('classifies %s', (raw, expected) => {
    expect(classifyScan(raw, {})).toEqual(expected);
  });

  it('takes TPM- and 8 digits as a member card, before any voucher reading', () => {
    expect(classifyScan('TPM-00000001\r\n')).toEqual({
      kind: 'member_card',
      card: 'TPM-00000001',
      aim: null,
    });
    expect(classifyScan('tpm-00000002')).toMatchObject({
      kind: 'member_card',
      card: 'TPM-00000002',
    });
    // Not the card format: an ordinary voucher code.
    expect(classifyScan('TPM-0001')).toMatchObject({ kind: 'voucher', code: 'TPM-0001' });
  });

  it('takes 18 digits starting 10–15 as a payment code at both ends of the range', () => {
    expect(classifyScan('100000000000000000').kind).toBe('payment_code');
    expect(classifyScan('159999999999999999').kind).toBe('payment_code');
    expect(classifyScan('160000000000000000').kind).toBe('voucher');
    expect(classifyScan('13456789012345678').kind).toBe('voucher'); // 17 digits
  });

  it('strips AIM identifiers and records the symbology', () => {
    expect(classifyScan(']E06901234567892')).toEqual({
      kind: 'product',
      barcode: '6901234567892',
      symbology: 'EAN-13',
      aim: { id: ']E0', symbology: 'EAN-13/UPC-A', family: 'ean_upc' },
    });
    expect(classifyScan(']E496385074')).toMatchObject({
      kind: 'product',
      symbology: 'EAN-8',
      aim: { id: ']E4' },
    });
    expect(classifyScan(']C1134567890123456789')).toMatchObject({
      kind: 'payment_code',
      aim: { symbology: 'Code 128' },
    });
    expect(classifyScan(']Q1WX-8842-1177')).toMatchObject({
      kind: 'voucher',
      code: 'WX-8842-1177',
      aim: { symbology: 'QR Code' },
    });
    expect(classifyScan(']d2WX-8842-1177')).toMatchObject({
      kind: 'voucher',
      aim: { symbology: 'Data Matrix' },
    });
  });

  it('refuses an EAN with a wrong check digit when the scanner says it is an EAN', () => {
    expect(classifyScan(']E06901234567893')).toMatchObject({
      kind: 'unknown',
      reason: 'BAD_CHECK_DIGIT',
    });
  });

  it('takes digits with a wrong check digit as a voucher code when no symbology is known', () => {
    expect(classifyScan('6901234567893')).toMatchObject({ kind: 'voucher', code: '6901234567893' });
  });

  it('never takes a 2D code as a product barcode', () => {
    expect(classifyScan(']Q16901234567892')).toMatchObject({
      kind: 'voucher',
      code: '6901234567892',
    });
  });

  it('strips a configured prefix and suffix, and the CR/LF scanners send', () => {
    const config = { prefix: '@@', suffix: '#' };
    expect(classifyScan('@@WX-8842-1177#\r\n', config)).toMatchObject({
      kind: 'voucher',
      code: 'WX-8842-1177',
    });
    expect(classifyScan('@@]E06901234567892#', config)).toMatchObject({
      kind: 'product',
      aim: { id: ']E0' },
    });
    expect(classifyScan(']E0@@6901234567892#', config)).toMatchObject({
      kind: 'product',
      aim: { id: ']E0' },
    });
  });

  it('upper-cases voucher codes read through a keyboard wedge with Caps Lock on', () => {
    expect(classifyScan('wx-8842-1177')).toMatchObject({ kind: 'voucher', code: 'WX-8842-1177' });
  });

  it.each([
    ['', 'EMPTY'],
    ['\r\n', 'EMPTY'],
    ['hello world', 'UNRECOGNISED'],
    ['AB', 'UNRECOGNISED'],
    [']E0ABC', 'UNRECOGNISED'],
    ['https://example.com/x', 'UNRECOGNISED'],
  ])('refuses %j as %s with a message', (raw, reason) => {
    const result = classifyScan(raw, { locale: 'en' });
    expect(result).toMatchObject({ kind: 'unknown', reason });
    if (result.kind === 'unknown') expect(result.message.length).toBeGreaterThan(10);
  });

  it('returns a verified signed voucher with its batch and serial', () => {
    expect(classifyScan(`]Q1${signed}\r`, { codePublicKeyHex: keys.publicKeyHex })).toEqual({
      kind: 'voucher',
      code: signed,
      signed: { batchId: 'spring-2026', serial: 42 },
      aim: { id: ']Q1', symbology: 'QR Code', family: 'matrix' },
    });
  });

  it('refuses a signed code that fails verification, never returning it as a voucher', () => {
    const other = generateCodeKeys(new Uint8Array(32).fill(9));
    const forged = issueSignedCode(other.privateKeyHex, {
      batchId: BatchId.parse('spring-2026'),
      serial: 42,
    });
    expect(classifyScan(forged, { codePublicKeyHex: keys.publicKeyHex })).toMatchObject({
      kind: 'unknown',
      reason: 'FORGED',
    });
    expect(
      classifyScan(signed.slice(0, -5), { codePublicKeyHex: keys.publicKeyHex }),
    ).toMatchObject({
      kind: 'unknown',
      reason: 'MALFORMED',
    });
  });

  it('refuses a signed code when the terminal has no key to check it with', () => {
    expect(classifyScan(signed)).toMatchObject({ kind: 'unknown', reason: 'NO_PUBLIC_KEY' });
    expect(classifyScan(signed, { codePublicKeyHex: '' })).toMatchObject({
      kind: 'unknown',
      reason: 'NO_PUBLIC_KEY',
    });
  });

  it('writes refusal messages in Chinese by default', () => {
    const result = classifyScan('');
    expect(result.kind === 'unknown' && result.message).toBe('扫描内容为空，请重新扫描。');
  });
});
