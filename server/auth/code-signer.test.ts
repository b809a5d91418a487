import { describe, expect, it } from 'vitest';
import { generateCodeKeys, issueSignedCode, verifySignedCode } from '../../core/codes';
import type { BatchId } from '../../core/ids';
import { nodeCodeSigner } from './code-signer';

const keys = generateCodeKeys(Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 3));
const batchId = 'demo-cash' as BatchId;

describe('the native code signer', () => {
  it('issues the very codes the portable signer issues, and they verify', () => {
    const signer = nodeCodeSigner(keys.privateKeyHex);
    for (const serial of [0, 1, 127, 128, 99_999, Number.MAX_SAFE_INTEGER]) {
      const code = issueSignedCode(signer, { batchId, serial });
      expect(code).toBe(issueSignedCode(keys.privateKeyHex, { batchId, serial }));
      expect(verifySignedCode(keys.publicKeyHex, code)).toMatchObject({
        ok: true,
        value: { batchId, serial },
      });
    }
  });

  it('refuses a key that is not 64 hex digits', () => {
    expect(() => nodeCodeSigner('nothex')).toThrow(TypeError);
  });
});
