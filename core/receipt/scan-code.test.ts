import { describe, expect, it } from 'vitest';
import { scanCodeRow } from './scan-code';

const kind = (data: string, columns: 32 | 48) => scanCodeRow(data, columns).kind;

describe('barcode or QR code on the receipt', () => {
  it('prints Code 128 of up to 14 letters on 58 mm paper, and a QR code beyond', () => {
    expect(kind('TILLPOINT-TEST', 32)).toBe('code128');
    expect(kind('TILLPOINT-TESTS', 32)).toBe('qr');
  });

  it('prints Code 128 of up to 23 letters on 80 mm paper, and a QR code beyond', () => {
    expect(kind('A'.repeat(23), 48)).toBe('code128');
    expect(kind('A'.repeat(24), 48)).toBe('qr');
  });

  it('fits twice as many digits, paired in code set C', () => {
    expect(kind('1'.repeat(28), 32)).toBe('code128');
    expect(kind('1'.repeat(30), 32)).toBe('qr');
    expect(kind('1'.repeat(46), 48)).toBe('code128');
  });

  it('prints a UUID sale id as a QR code on either paper', () => {
    expect(kind('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 48)).toBe('qr');
  });

  it('prints a QR code for data Code 128 cannot hold', () => {
    expect(scanCodeRow('单号-1', 48)).toEqual({ kind: 'qr', data: '单号-1' });
  });

  it('carries the code sets the printer is told to use', () => {
    expect(scanCodeRow('S-4001', 32)).toEqual({
      kind: 'code128',
      data: 'S-4001',
      segments: [
        { set: 'B', text: 'S-' },
        { set: 'C', text: '4001' },
      ],
    });
  });
});
