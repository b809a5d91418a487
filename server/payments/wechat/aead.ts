import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for notification resources (and
 * wechatpay-go utils/aes.go): key = the 32-byte APIv3 key, IV = the `nonce`
 * text's bytes (12 characters), AAD = `associated_data`, and `ciphertext` is
 * base64 of the encrypted bytes followed by the 16-byte tag.
 */
const TAG_BYTES = 16;

export function decryptResource(
  apiV3Key: Buffer,
  nonce: string,
  associatedData: string,
  ciphertextB64: string,
): Buffer | undefined {
  const data = Buffer.from(ciphertextB64, 'base64');
  if (data.length <= TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

/** The simulator's side: base64(ciphertext ‖ tag). */
export function encryptResource(
  apiV3Key: Buffer,
  nonce: string,
  associatedData: string,
  plaintext: Uint8Array,
): string {
  const cipher = createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'), {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
}
