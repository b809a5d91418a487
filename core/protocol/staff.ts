import { z } from 'zod';
import { ClientId, DisplayName, Instant, StoreId, UserId } from '../ids';
import { Fen } from '../money';
import { SafeText } from '../text';
import { OfflineSettings, TerminalView, UserView } from './manager';

/**
 * The console's Staff and tills, Products import and Offline allowance screens. Every change
 * names the version it was made on (VERSION_CONFLICT when someone saved since) and carries a
 * `requestId`, the change's idempotency key: a retry whose answer was lost gets the stored row.
 */

const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
const Cursor = SafeText.max(200);
const Versioned = { version: z.number().int().min(1), requestId: ClientId };

/** GET /v1/manager/users?storeId=&after=&limit= (a store manager gets their own store's). */
export const UsersQuery = z
  .object({ storeId: StoreId.optional(), after: Cursor.optional(), limit: Limit(500, 100) })
  .strict();
export type UsersQuery = z.infer<typeof UsersQuery>;

/** A user as the Staff screen lists them. */
export const UserRow = UserView.extend({
  username: z.string().max(64).nullable(),
  /** Since when they cannot sign in; their sessions ended then. */
  disabledAt: Instant.nullable(),
  version: z.number().int().min(1),
  updatedBy: UserId.nullable(),
  updatedAt: Instant.nullable(),
}).strict();
export type UserRow = z.infer<typeof UserRow>;

export const UsersPage = z
  .object({ users: z.array(UserRow), next: z.string().nullable() })
  .strict();
export type UsersPage = z.infer<typeof UsersPage>;

/** POST /v1/manager/users/:id/pin: a cashier's new PIN; the sessions they have open end. */
export const ResetPinRequest = z
  .object({ pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits'), ...Versioned })
  .strict();
export type ResetPinRequest = z.infer<typeof ResetPinRequest>;

/** POST /v1/manager/users/:id/disable: they cannot sign in any more; their sessions end. */
export const DisableUserRequest = z
  .object({ reason: SafeText.max(500).optional(), ...Versioned })
  .strict();
export type DisableUserRequest = z.infer<typeof DisableUserRequest>;

/** POST /v1/manager/users/:id/enable: a disabled user can sign in again. */
export const EnableUserRequest = z.object(Versioned).strict();
export type EnableUserRequest = z.infer<typeof EnableUserRequest>;

/** A till as the Staff and tills screen lists it: when it was last heard from, what it holds. */
export const TerminalStatus = TerminalView.extend({
  /** The last request it made (written at most once a minute); null: none since pairing. */
  lastSeenAt: Instant.nullable(),
  /** Its current offline allowance and what it has drawn on it, as far as it has pushed. */
  allowance: z
    .object({
      maxCount: z.number().int().min(0),
      usedCount: z.number().int().min(0),
      maxValueFen: Fen,
      usedValueFen: Fen,
      expiresAt: Instant,
    })
    .strict()
    .nullable(),
  /** Redemptions it made offline and pushed from its queue. */
  queuedRedemptions: z.number().int().min(0),
  /** Of those, the ones the server could not accept (kept for review). */
  conflicts: z.number().int().min(0),
}).strict();
export type TerminalStatus = z.infer<typeof TerminalStatus>;

/** GET /v1/manager/terminals?storeId=&after=&limit= (a store manager sees their own store's). */
export const TerminalsQuery = z
  .object({ storeId: StoreId.optional(), after: Cursor.optional(), limit: Limit(500, 200) })
  .strict();
export type TerminalsQuery = z.infer<typeof TerminalsQuery>;

export const TerminalList = z
  .object({ terminals: z.array(TerminalStatus), next: z.string().nullable() })
  .strict();
export type TerminalList = z.infer<typeof TerminalList>;

/** POST /v1/manager/products/import-csv: lines `sku,name,barcode,category,price`. */
export const ImportProductsCsvRequest = z.object({ csv: z.string().max(2_000_000) }).strict();
export type ImportProductsCsvRequest = z.infer<typeof ImportProductsCsvRequest>;

export const ProductRowProblem = z.enum([
  'bad_sku',
  'bad_name',
  'bad_barcode',
  'bad_category',
  'bad_price',
  'wrong_column_count',
  'repeated_in_file',
  'too_many_rows',
  'no_rows',
]);
export type ProductRowProblem = z.infer<typeof ProductRowProblem>;

export const ProductRowError = z
  .object({
    /** 1-based line of the file (the header, when there is one, is line 1). */
    row: z.number().int().min(0),
    problem: ProductRowProblem,
    /** The cell as read, cut to 80 characters. */
    value: z.string().max(80),
    /** For repeated_in_file: the first row with that SKU. */
    firstRow: z.number().int().optional(),
  })
  .strict();
export type ProductRowError = z.infer<typeof ProductRowError>;

/** Either every row was stored (errors empty) or none was (imported 0). */
export const ImportProductsCsvResponse = z
  .object({
    imported: z.number().int().min(0),
    /** The first 500 bad rows, in file order. */
    errors: z.array(ProductRowError).max(500),
    badRows: z.number().int().min(0),
  })
  .strict();
export type ImportProductsCsvResponse = z.infer<typeof ImportProductsCsvResponse>;

/** A store's offline allowance as the Offline allowance screen edits it. */
export const StoreAllowance = z
  .object({
    storeId: StoreId,
    storeName: DisplayName,
    offline: OfflineSettings,
    version: z.number().int().min(1),
    updatedBy: UserId.nullable(),
    updatedAt: Instant.nullable(),
  })
  .strict();
export type StoreAllowance = z.infer<typeof StoreAllowance>;

/** GET /v1/manager/allowances?after=&limit= (a store manager gets their own store). */
export const AllowancesQuery = z
  .object({ after: Cursor.optional(), limit: Limit(1_000, 200) })
  .strict();
export type AllowancesQuery = z.infer<typeof AllowancesQuery>;

export const AllowancesPage = z
  .object({ allowances: z.array(StoreAllowance), next: z.string().nullable() })
  .strict();
export type AllowancesPage = z.infer<typeof AllowancesPage>;

/** POST /v1/manager/stores/:id/allowance: the tills hear of it on the change feed and renew. */
export const SetAllowanceRequest = z.object({ offline: OfflineSettings, ...Versioned }).strict();
export type SetAllowanceRequest = z.infer<typeof SetAllowanceRequest>;
