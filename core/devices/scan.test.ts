import { describe, expect, it } from 'vitest';
import { splitAim, symbologyFromAim } from './scan';

describe('AIM symbology identifiers', () => {
  it('splits a leading AIM id from the data', () => {
    expect(splitAim(']E06901234567892')).toEqual({ aim: ']E0', value: '6901234567892' });
    expect(splitAim('6901234567892')).toEqual({ aim: null, value: '6901234567892' });
    expect(splitAim(']E0')).toEqual({ aim: null, value: ']E0' });
  });

  it('names the symbology', () => {
    expect(symbologyFromAim(']E0')).toBe('ean13');
    expect(symbologyFromAim(']E4')).toBe('ean8');
    expect(symbologyFromAim(']C0')).toBe('code128');
    expect(symbologyFromAim(']C1')).toBe('gs1_128');
    expect(symbologyFromAim(']Q1')).toBe('qr');
    expect(symbologyFromAim(']d2')).toBe('data_matrix');
    expect(symbologyFromAim(null)).toBe('unknown');
    expect(symbologyFromAim(']X0')).toBe('unknown');
  });
});
