import { randomBytes } from 'node:crypto';
import { generateCodeKeys } from '../../core/codes';
import type { Storage } from '../db/storage';

/** The secrets a server instance needs; shared by every instance through the database. */
export interface ServerKeys {
  /** Ed25519 key pair (hex) for signed voucher codes; the public half goes to terminals. */
  readonly codePrivateKeyHex: string;
  readonly codePublicKeyHex: string;
  /** HMAC key for PIN look-ups. */
  readonly pinPepper: string;
}

/**
 * Loads the keys, generating them on first start. Insert-if-absent then read
 * back, so two instances starting together on one PostgreSQL agree on one key.
 */
export async function loadServerKeys(storage: Storage): Promise<ServerKeys> {
  const generated = generateCodeKeys(new Uint8Array(randomBytes(32)));
  const fresh: Record<string, string> = {
    code_private_key: generated.privateKeyHex,
    code_public_key: generated.publicKeyHex,
    pin_pepper: randomBytes(32).toString('hex'),
  };
  await storage.write(async (w) => {
    await w.trx
      .insertInto('server_keys')
      .values(Object.entries(fresh).map(([name, value]) => ({ name, value })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  });
  const rows = await storage.db.selectFrom('server_keys').selectAll().execute();
  const get = (name: string): string => {
    const value = rows.find((r) => r.name === name)?.value;
    if (value === undefined) throw new Error(`server key ${name} is missing from server_keys`);
    return value;
  };
  return {
    codePrivateKeyHex: get('code_private_key'),
    codePublicKeyHex: get('code_public_key'),
    pinPepper: get('pin_pepper'),
  };
}
