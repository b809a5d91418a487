import { z } from 'zod';
import { Instant, StoreId, TerminalId } from '../ids';
import { Fen } from '../money';

/**
 * The offline allowance: how much a terminal may redeem without the server.
 * It bounds what a chain can lose to one code used at two stores during an
 * outage. A new lease replaces the previous one.
 */
export const AllowanceLease = z
  .object({
    leaseId: z.uuid(),
    terminalId: TerminalId,
    storeId: StoreId,
    maxCount: z.number().int().min(0),
    maxValueFen: Fen,
    issuedAt: Instant,
    expiresAt: Instant,
  })
  .strict();
export type AllowanceLease = z.infer<typeof AllowanceLease>;

/** POST /v1/allowance: asks for a fresh lease (the body says nothing yet; send {}). */
export const AllowanceRequest = z.object({}).strict().describe('allowance request (send {})');
export type AllowanceRequest = z.infer<typeof AllowanceRequest>;
