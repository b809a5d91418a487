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

/** POST /v1/sessions/pin: a cashier's PIN on a paired terminal (terminal token in Authorization). */
export const PinLoginRequest = z
  .object({
    kind: z.literal('pin'),
    pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits'),
  })
  .strict();
export type PinLoginRequest = z.infer<typeof PinLoginRequest>;

/** POST /v1/sessions: a manager console login. */
export const PasswordLoginRequest = z
  .object({
    kind: z.literal('password'),
    username: SafeText.min(1).max(64),
    password: SafeText.min(1).max(256),
  })
  .strict()
  .describe('password login (a cashier PIN goes to POST /v1/sessions/pin)');
export type PasswordLoginRequest = z.infer<typeof PasswordLoginRequest>;

export const LoginRequest = z.discriminatedUnion('kind', [PinLoginRequest, PasswordLoginRequest]);
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

/** POST /v1/sessions/logout: the session in Authorization ends; its token is refused from then on. */
export const LogoutRequest = z.object({}).strict().describe('logout request (send {})');
export type LogoutRequest = z.infer<typeof LogoutRequest>;

export const LogoutResponse = z.object({ ended: z.literal(true) }).strict();
export type LogoutResponse = z.infer<typeof LogoutResponse>;

/**
 * Bearer tokens as the server makes them (32 random bytes, base64url: 43
 * characters); the range leaves room to lengthen them later.
 */
const TOKEN = /^[A-Za-z0-9_-]{32,128}$/;
const BEARER = /^Bearer ([A-Za-z0-9_-]{32,128})$/;

/** The one spelling of the Authorization header: "Bearer", one space, the token. */
export function bearerHeader(token: string): string {
  return `Bearer ${token}`;
}

/**
 * The token of an Authorization header, or null unless it is spelled exactly
 * as bearerHeader writes it. Strict on purpose: anything counted per token
 * must not be reachable under a second spelling of the same token.
 */
export function parseBearerHeader(header: string | undefined): string | null {
  if (header === undefined) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

/** Whether a bare token (the X-Cashier-Session header, the events ?token=) has the token shape. */
export function isTokenShaped(token: string): boolean {
  return TOKEN.test(token);
}
