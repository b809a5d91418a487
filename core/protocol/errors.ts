import { z } from 'zod';

/**
 * Every error that crosses a process boundary: a stable code a program can
 * switch on, and a message that tells a person what was wrong and what to do.
 */
export const API_ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'WRONG_STORE',
  'NOT_FOUND',
  'CONFLICT',
  /** The record was changed by someone else since the version the edit was made on; reload. */
  'VERSION_CONFLICT',
  /** The same idempotency key (client id) was sent again with a different request. */
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'PAIRING_CODE_INVALID',
  'LOGIN_FAILED',
  /** PIN sign-in on this terminal is locked after repeated wrong PINs; a manager unlocks it. */
  'CASHIER_LOCKED',
  /** A refund, or a payment above the approval limit, needs a store manager's approval. */
  'APPROVAL_REQUIRED',
  /** The approval's username and password are not those of a manager of this store. */
  'APPROVAL_REFUSED',
  /** The refund asks for more than the sale has left to refund. */
  'REFUND_EXCEEDS_REFUNDABLE',
  'INTERNAL',
  'UNAVAILABLE',
  /**
   * The server was restored from a backup since this cursor was given out: it
   * may lack records the terminal saw accepted. Push every record again (the
   * server answers those it has with their stored outcome) and pull from an
   * empty cursor.
   */
  'FEED_RESET',
] as const;
export const ApiErrorCode = z.enum(API_ERROR_CODES);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiError = z
  .object({
    code: ApiErrorCode,
    message: z.string().min(1),
    /** Which fields were wrong, for VALIDATION_FAILED: path -> problem. */
    issues: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();
export type ApiError = z.infer<typeof ApiError>;
