import { describe, expect, it } from 'vitest';
import { hasValidCheckDigit } from './gtin';

describe('GS1 check digits', () => {
  it.each(['6901234567892', '4006381333931', '96385074', '036000291452', '012345678905'])(
    'accepts %s',
    (code) => {
      expect(hasValidCheckDigit(code)).toBe(true);
    },
  );

  it.each(['6901234567893', '96385075', '036000291453', '12A4', ''])('rejects %j', (code) => {
    expect(hasValidCheckDigit(code)).toBe(false);
  });

  it('catches every single-digit error in a valid code', () => {
    const valid = '6901234567892';
    for (let i = 0; i < valid.length; i++)
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        expect(hasValidCheckDigit(valid.slice(0, i) + d + valid.slice(i + 1))).toBe(false);
      }
  });
});
