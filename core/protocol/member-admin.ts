import { z } from 'zod';
import {
  BatchId,
  ClientId,
  DisplayName,
  Instant,
  MemberTier,
  StoreId,
  TerminalId,
  UserId,
} from '../ids';
import { MemberCard, MemberPhone } from '../members';
import { Fen } from '../money';
import { SafeText } from '../text';
import { CodeState } from './changes';
import { MemberId } from './members';
import { SaleState } from './sale';

/**
 * The console's Members screen. Members are the chain's: any manager reads them (a store manager
 * sees their own store's claims, redemptions and sales of a member), only a chain manager adds
 * one, changes a tier or imports. Phones are personal data: lists carry them masked
 * (138****1234); the full number is in one member's detail, for a chain manager only.
 */

const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
const Cursor = SafeText.max(200);

/**
 * GET /v1/manager/members?phone=&tier=&after=&limit=. `phone` is a prefix: the members whose
 * number starts with these digits; all 11 digits find that one number.
 */
export const MembersQuery = z
  .object({
    phone: z
      .string()
      .regex(/^\d{1,11}$/, 'the first digits of a mobile number (1 to 11 digits)')
      .optional(),
    tier: MemberTier.optional(),
    after: Cursor.optional(),
    limit: Limit(200, 50),
  })
  .strict();
export type MembersQuery = z.infer<typeof MembersQuery>;

/** A member as the list shows them: the phone masked. */
export const MemberRow = z
  .object({
    id: MemberId,
    card: MemberCard,
    name: DisplayName,
    tier: MemberTier,
    /** 138****1234 */
    phoneMasked: z.string().max(16),
    /** Bumped by every change; a tier change names the version it was made on. */
    version: z.number().int().min(1),
    createdAt: Instant,
    updatedBy: UserId.nullable(),
    updatedAt: Instant,
  })
  .strict();
export type MemberRow = z.infer<typeof MemberRow>;

export const MembersPage = z
  .object({ members: z.array(MemberRow), next: z.string().nullable() })
  .strict();
export type MembersPage = z.infer<typeof MembersPage>;

/** GET /v1/manager/members/:id: the full phone for a chain manager, null for a store manager. */
export const MemberDetail = MemberRow.extend({ phone: MemberPhone.nullable() }).strict();
export type MemberDetail = z.infer<typeof MemberDetail>;

/**
 * POST /v1/manager/members. `requestId` is the add's idempotency key: a retry whose answer was
 * lost gets the member it made. Without a card the next free TPM- number is given.
 */
export const AddMemberRequest = z
  .object({
    phone: MemberPhone,
    name: DisplayName,
    tier: MemberTier,
    card: MemberCard.optional(),
    requestId: ClientId,
  })
  .strict();
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;

/** POST /v1/manager/members/:id/tier: VERSION_CONFLICT when someone changed the member since. */
export const SetMemberTierRequest = z
  .object({ tier: MemberTier, version: z.number().int().min(1), requestId: ClientId })
  .strict();
export type SetMemberTierRequest = z.infer<typeof SetMemberTierRequest>;

/** POST /v1/manager/members/import-csv: lines `phone,name,tier`. */
export const ImportMembersCsvRequest = z.object({ csv: z.string().max(2_000_000) }).strict();
export type ImportMembersCsvRequest = z.infer<typeof ImportMembersCsvRequest>;

export const MemberRowProblem = z.enum([
  'bad_phone',
  'bad_name',
  'bad_tier',
  'wrong_column_count',
  'repeated_in_file',
  'too_many_rows',
  'no_rows',
]);
export type MemberRowProblem = z.infer<typeof MemberRowProblem>;

export const MemberRowError = z
  .object({
    /** 1-based line of the file (the header, when there is one, is line 1). */
    row: z.number().int().min(0),
    problem: MemberRowProblem,
    /** The cell as read, cut to 80 characters; a phone is masked when it is one. */
    value: z.string().max(80),
    /** For repeated_in_file: the first row with that phone. */
    firstRow: z.number().int().optional(),
  })
  .strict();
export type MemberRowError = z.infer<typeof MemberRowError>;

/**
 * Either every row was stored (errors empty) or none was (imported 0). A phone that is already
 * a member's updates that member's name and tier; `added` of `imported` are new members.
 */
export const ImportMembersCsvResponse = z
  .object({
    imported: z.number().int().min(0),
    added: z.number().int().min(0),
    /** The first 500 bad rows, in file order. */
    errors: z.array(MemberRowError).max(500),
    badRows: z.number().int().min(0),
  })
  .strict();
export type ImportMembersCsvResponse = z.infer<typeof ImportMembersCsvResponse>;

/** GET /v1/manager/members/:id/{claims,redemptions,sales}?after=&limit=, newest first. */
export const MemberHistoryQuery = z
  .object({ after: Cursor.optional(), limit: Limit(200, 20) })
  .strict();
export type MemberHistoryQuery = z.infer<typeof MemberHistoryQuery>;

/**
 * A code claimed on a claim page from a phone of the member's. Claims are made by a phone's
 * device key, not by a member: a key is known to be the member's once a code claimed with it was
 * redeemed for them, and then every claim made with that key is listed.
 */
export const MemberClaim = z
  .object({
    code: SafeText.max(160),
    batchId: BatchId,
    pageId: SafeText.max(64),
    pageTitle: SafeText.max(200),
    storeId: StoreId,
    claimedAt: Instant,
    /** The code's state now. */
    codeState: CodeState.shape.state,
  })
  .strict();
export type MemberClaim = z.infer<typeof MemberClaim>;

export const MemberClaimsPage = z
  .object({ claims: z.array(MemberClaim), next: z.string().nullable() })
  .strict();
export type MemberClaimsPage = z.infer<typeof MemberClaimsPage>;

export const MemberRedemption = z
  .object({
    id: ClientId,
    code: SafeText.max(160),
    batchId: BatchId.nullable(),
    storeId: StoreId,
    terminalId: TerminalId,
    status: z.string().max(32),
    discountFen: Fen,
    at: Instant,
    saleId: ClientId.nullable(),
  })
  .strict();
export type MemberRedemption = z.infer<typeof MemberRedemption>;

export const MemberRedemptionsPage = z
  .object({ redemptions: z.array(MemberRedemption), next: z.string().nullable() })
  .strict();
export type MemberRedemptionsPage = z.infer<typeof MemberRedemptionsPage>;

export const MemberSale = z
  .object({
    id: ClientId,
    storeId: StoreId,
    terminalId: TerminalId,
    state: SaleState,
    at: Instant,
    subtotalFen: Fen,
    discountFen: Fen,
    dueFen: Fen,
  })
  .strict();
export type MemberSale = z.infer<typeof MemberSale>;

export const MemberSalesPage = z
  .object({ sales: z.array(MemberSale), next: z.string().nullable() })
  .strict();
export type MemberSalesPage = z.infer<typeof MemberSalesPage>;
