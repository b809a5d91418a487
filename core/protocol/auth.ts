import { z } from 'zod';
import { SafeText } from '../text';
import { DisplayName, Instant, StoreId, TerminalId, UserId } from '../ids';
import { Store } from './catalog';

/** One-time codes a manager prints for pairing: 8 characters without look-alikes (no 0/O, 1/I). */
export const PairingCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-HJ-NP-Z2-9]{8}$/, 'a pairing code is 8 letters and digits, e.g. K7M2QX9P');

export const PairRequest = z.object({ pairingCode: PairingCode, name: DisplayName }).strict();
export type PairRequest = z.infer<typeof PairRequest>;

export const PairResponse = z
  .object({
    terminalId: TerminalId,
    /** The terminal's own bearer token; keep it, it is shown once. */
    token: z.string().min(32),
    store: Store,
    /** Ed25519 public key (hex) that verifies the chain's signed voucher codes offline. */
    codePublicKey: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type PairResponse = z.infer<typeof PairResponse>;

export const Role = z.enum(['cashier', 'store_manager', 'chain_manager']);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.discriminatedUnion('kind', [
  /** Cashier PIN on a paired terminal (terminal token in Authorization). */
  z
    .object({
      kind: z.literal('pin'),
      pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits'),
    })
    .strict(),
  /** Manager console login. */
  z
    .object({
      kind: z.literal('password'),
      username: SafeText.min(1).max(64),
      password: SafeText.min(1).max(256),
    })
    .strict(),
]);
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Session = z
  .object({
    token: z.string().min(32),
    user: z
      .object({ id: UserId, name: DisplayName, role: Role, storeId: StoreId.nullable() })
      .strict(),
    expiresAt: Instant,
  })
  .strict();
export type Session = z.infer<typeof Session>;
