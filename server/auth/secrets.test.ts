import { describe, expect, it } from 'vitest';
import {
  hashSecret,
  hashToken,
  newPairingCode,
  newToken,
  pinLookup,
  verifySecret,
} from './secrets';
import { PairingCode } from '../../core/protocol';

describe('secrets', () => {
  it('verifies the right secret and refuses a wrong one', async () => {
    const stored = await hashSecret('correct horse');
    expect(stored.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('correct horsf', stored)).toBe(false);
    expect(await verifySecret('correct horse', 'not-a-hash')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashSecret('1234')).not.toBe(await hashSecret('1234'));
  });

  it('makes 256-bit tokens and stores only their digest', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });

  it('keys PIN look-ups by store', () => {
    expect(pinLookup('pepper', 'sh-001', '1234')).not.toBe(pinLookup('pepper', 'gz-001', '1234'));
    expect(pinLookup('pepper', 'sh-001', '1234')).toBe(pinLookup('pepper', 'sh-001', '1234'));
  });

  it('makes pairing codes the protocol accepts', () => {
    for (let i = 0; i < 50; i++) expect(PairingCode.safeParse(newPairingCode()).success).toBe(true);
  });
});
