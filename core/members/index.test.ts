import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesIn, MemberCard, MemberPhone, phoneOf } from './index';

describe('member phone numbers and cards', () => {
  it('accepts mainland mobile numbers only', () => {
    expect(MemberPhone.safeParse('13812345678').success).toBe(true);
    expect(MemberPhone.safeParse('19912345678').success).toBe(true);
    for (const bad of [
      '12812345678',
      '1381234567',
      '138123456789',
      '+8613812345678',
      '1381234567a',
    ])
      expect(MemberPhone.safeParse(bad).success).toBe(false);
  });

  it('reads a typed phone with spaces or dashes', () => {
    expect(phoneOf(' 138 1234-5678 ')).toBe('13812345678');
    expect(phoneOf('10086')).toBeNull();
  });

  it('masks the middle four digits, in text too', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhonesIn('/v1/members/lookup?phone=13812345678&x=1')).toBe(
      '/v1/members/lookup?phone=138****5678&x=1',
    );
    // A longer digit run is not a phone number: left alone.
    expect(maskPhonesIn('6901234000013812345678')).toBe('6901234000013812345678');
  });

  it('knows the member card format', () => {
    expect(MemberCard.safeParse('TPM-00000001').success).toBe(true);
    expect(MemberCard.safeParse('TPM-0001').success).toBe(false);
  });
});
