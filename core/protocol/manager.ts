import { z } from 'zod';
import { SafeText } from '../text';
import {
  BatchId,
  ClientId,
  DisplayName,
  Instant,
  StoreId,
  TerminalId,
  UserId,
  VoucherCode,
} from '../ids';
import { Fen } from '../money';
import { Reason } from '../reasons';
import { Store } from './catalog';
import { PairingCode } from './auth';
import { TillQueueReport } from './ops';

/**
 * Bodies of the manager endpoints (/v1/manager/..., /v1/audit/verify). Every
 * call needs a manager session; a store manager acts only for their store.
 */

/** A store's offline allowance settings (issue defaults: 200 redemptions, ¥5,000, 24 h). */
export const OfflineSettings = z
  .object({
    maxCount: z.number().int().min(0).max(100_000),
    maxValueFen: Fen,
    hours: z.number().int().min(1).max(168),
  })
  .strict();
export type OfflineSettings = z.infer<typeof OfflineSettings>;

export const DEFAULT_OFFLINE_SETTINGS = { maxCount: 200, maxValueFen: 500_000, hours: 24 } as const;

/** POST /v1/manager/stores: creates or replaces a store. */
export const StoreInput = Store.extend({ offline: OfflineSettings.optional() }).strict();
export type StoreInput = z.infer<typeof StoreInput>;

/** POST /v1/manager/batches/:id/state */
export const BatchStateChange = z
  .object({
    state: z.enum(['active', 'paused', 'revoked']),
    /** Why, in the manager's words; kept in the audit log. */
    reason: SafeText.max(500).optional(),
  })
  .strict();
export type BatchStateChange = z.infer<typeof BatchStateChange>;

/** POST /v1/manager/batches/:id/codes: issues signed codes, answered as CSV (code,batch_id,serial). */
export const IssueCodesRequest = z
  .object({
    count: z.number().int().min(1).max(100_000),
    /** When the codes count as claimed (needed by "N days after claim" validity). */
    claimedAt: Instant.nullable(),
  })
  .strict();
export type IssueCodesRequest = z.infer<typeof IssueCodesRequest>;

/** POST /v1/manager/batches/:id/import: unsigned codes from elsewhere (e.g. a group-buy platform). */
export const ImportCodesRequest = z
  .object({ codes: z.array(VoucherCode).min(1).max(10_000), claimedAt: Instant.nullable() })
  .strict();
export type ImportCodesRequest = z.infer<typeof ImportCodesRequest>;

export const ImportCodesResponse = z
  .object({ imported: z.number().int(), duplicates: z.array(VoucherCode) })
  .strict();
export type ImportCodesResponse = z.infer<typeof ImportCodesResponse>;

/** POST /v1/manager/pairing-codes */
export const PairingCodeRequest = z
  .object({ storeId: StoreId, ttlHours: z.number().int().min(1).max(720).default(72) })
  .strict();
export type PairingCodeRequest = z.infer<typeof PairingCodeRequest>;

export const PairingCodeResponse = z
  .object({ code: PairingCode, storeId: StoreId, expiresAt: Instant })
  .strict();
export type PairingCodeResponse = z.infer<typeof PairingCodeResponse>;

const Password = SafeText.min(10, 'a password has at least 10 characters').max(256);
const Username = z.string().regex(/^[a-z0-9._-]{3,64}$/, 'a username is 3-64 of a-z 0-9 . _ -');

/** POST /v1/manager/users */
export const CreateUserRequest = z.discriminatedUnion('role', [
  z
    .object({
      role: z.literal('cashier'),
      id: UserId,
      name: DisplayName,
      storeId: StoreId,
      pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits'),
    })
    .strict(),
  z
    .object({
      role: z.literal('store_manager'),
      id: UserId,
      name: DisplayName,
      storeId: StoreId,
      username: Username,
      password: Password,
    })
    .strict(),
  z
    .object({
      role: z.literal('chain_manager'),
      id: UserId,
      name: DisplayName,
      username: Username,
      password: Password,
    })
    .strict(),
]);
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UserView = z
  .object({
    id: UserId,
    name: DisplayName,
    role: z.enum(['cashier', 'store_manager', 'chain_manager']),
    storeId: StoreId.nullable(),
  })
  .strict();
export type UserView = z.infer<typeof UserView>;

export const ConflictResolution = z.enum(['accept_loss', 'void']);
export type ConflictResolution = z.infer<typeof ConflictResolution>;

/** An offline redemption the server could not accept, kept for a manager to resolve. */
export const ConflictView = z
  .object({
    redemptionId: ClientId,
    code: VoucherCode,
    batchId: BatchId.nullable(),
    storeId: StoreId,
    terminalId: TerminalId,
    reason: Reason,
    winnerRedemptionId: ClientId.nullable(),
    discountFen: Fen,
    at: Instant,
    createdAt: Instant,
    resolution: ConflictResolution.nullable(),
    resolvedBy: UserId.nullable(),
    resolvedAt: Instant.nullable(),
  })
  .strict();
export type ConflictView = z.infer<typeof ConflictView>;

/** GET /v1/manager/conflicts?state=&storeId=&limit=&after= */
export const ConflictsQuery = z
  .object({
    state: z.enum(['open', 'resolved', 'all']).default('open'),
    storeId: StoreId.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The `next` of the previous page. */
    after: SafeText.max(200).optional(),
  })
  .strict();
export type ConflictsQuery = z.infer<typeof ConflictsQuery>;

export const ConflictsPage = z
  .object({ conflicts: z.array(ConflictView), next: z.string().nullable() })
  .strict();
export type ConflictsPage = z.infer<typeof ConflictsPage>;

/** POST /v1/manager/conflicts/:redemptionId/resolve */
export const ResolveConflictRequest = z
  .object({
    resolution: ConflictResolution,
    /** The manager's note on the decision; kept in the audit log. */
    note: SafeText.max(500).optional(),
  })
  .strict();
export type ResolveConflictRequest = z.infer<typeof ResolveConflictRequest>;

/**
 * GET /v1/manager/audit?after=&limit=&storeId=&actor=&action=&from=&to=: the entries that match
 * every filter given, in chain order; `after` is the `next` of the previous page.
 */
export const AuditQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1_000).default(200),
    storeId: StoreId.optional(),
    /** Exactly as entries name it: a user id, `terminal:<id>`, `system:<what>`. */
    actor: SafeText.min(1).max(200).optional(),
    /** One kind of entry, e.g. `batch.created`. */
    action: SafeText.min(1).max(100).optional(),
    /** Entries at or after this instant. */
    from: Instant.optional(),
    /** Entries before this instant. */
    to: Instant.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  });
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z
  .object({
    seq: z.number().int().min(1),
    at: Instant,
    actor: z.string().nullable(),
    terminalId: z.string().nullable(),
    storeId: z.string().nullable(),
    action: z.string(),
    subject: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z
  .object({ entries: z.array(AuditEntry), next: z.number().int().nullable() })
  .strict();
export type AuditPage = z.infer<typeof AuditPage>;

/** GET /v1/audit/verify */
export const AuditVerdict = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    /** Verified from this checkpoint on: entries at or below it were pruned (retention). */
    since: z.number().int().optional(),
    firstBroken: z.object({ seq: z.number().int(), problem: z.string() }).strict().optional(),
  })
  .strict();
export type AuditVerdict = z.infer<typeof AuditVerdict>;

/** A paired (or unpaired) till, as the console lists it. */
export const TerminalView = z
  .object({
    id: TerminalId,
    storeId: StoreId,
    name: DisplayName,
    pairedAt: Instant,
    /** When it was unpaired; its token has been refused since. */
    revokedAt: Instant.nullable(),
    /** Cashier PIN sign-in is locked after repeated wrong PINs until a manager unlocks it. */
    pinLocked: z.boolean(),
    /**
     * What the till last said its queue holds (X-Till-Queue), as heard by the server instance
     * answering; absent before it has said anything since that instance started.
     */
    queue: TillQueueReport.optional(),
  })
  .strict();
export type TerminalView = z.infer<typeof TerminalView>;

/** POST /v1/manager/terminals/:id/unpair and …/unlock-pin: the id is in the path; send {}. */
export const TerminalActionRequest = z.object({}).strict().describe('request (send {})');
export type TerminalActionRequest = z.infer<typeof TerminalActionRequest>;
