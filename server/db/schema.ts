import type { Generated } from 'kysely';

/**
 * The server's tables as Kysely sees them. Instants are ISO-8601 UTC text and
 * JSON documents are text on both SQLite and PostgreSQL, so one set of queries
 * serves both. Money columns hold integer fen.
 */
export interface Database {
  server_keys: ServerKeyTable;
  store_groups: StoreGroupTable;
  stores: StoreTable;
  products: ProductTable;
  terminals: TerminalTable;
  pairing_codes: PairingCodeTable;
  users: UserTable;
  sessions: SessionTable;
  batches: BatchTable;
  codes: CodeTable;
  redemptions: RedemptionTable;
  conflicts: ConflictTable;
  leases: LeaseTable;
  sales: SaleTable;
  sale_tenders: SaleTenderTable;
  sale_replacements: SaleReplacementTable;
  payments: PaymentTable;
  payment_notifications: PaymentNotificationTable;
  refunds: RefundTable;
  refund_parts: RefundPartTable;
  changes: ChangeTable;
  audit_log: AuditTable;
  auth_limits: AuthLimitTable;
  report_batch_day: ReportBatchDayTable;
  report_store_day: ReportStoreDayTable;
  report_tender_day: ReportTenderDayTable;
  report_batch_hour: ReportBatchHourTable;
  report_settings: ReportSettingTable;
  claim_pages: ClaimPageTable;
  claims: ClaimTable;
  shifts: ShiftTable;
  audit_checkpoints: AuditCheckpointTable;
  pruned_records: PrunedRecordsTable;
  members: MemberTable;
}

export interface ServerKeyTable {
  name: string;
  value: string;
}

export interface StoreGroupTable {
  id: string;
  name: string;
}

export interface StoreTable {
  id: string;
  name: string;
  time_zone: string;
  /** JSON array of store group ids. */
  group_ids: string;
  offline_max_count: number;
  offline_max_value_fen: number;
  offline_hours: number;
  /** Bumped by every change of the three offline_ settings (migration 0015). */
  offline_version: Generated<number>;
  offline_updated_by: string | null;
  offline_updated_at: string | null;
  offline_request_id: string | null;
}

export interface ProductTable {
  sku: string;
  /** The Product document as JSON. */
  doc: string;
  price_fen: number;
}

export interface TerminalTable {
  id: string;
  store_id: string;
  name: string;
  token_hash: string;
  paired_at: string;
  revoked_at: string | null;
  /** The last request it made, at most a minute stale (auth/last-seen.ts). */
  last_seen_at: string | null;
}

export interface PairingCodeTable {
  code_hash: string;
  store_id: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  terminal_id: string | null;
}

export interface UserTable {
  id: string;
  name: string;
  role: string;
  store_id: string | null;
  username: string | null;
  password_hash: string | null;
  /** HMAC of store id and PIN under the server pepper: finds the cashier without scanning hashes. */
  pin_lookup: string | null;
  pin_hash: string | null;
  created_at: string;
  /** Since when they cannot sign in (migration 0015). */
  disabled_at: string | null;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: string | null;
  last_request_id: string | null;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  terminal_id: string | null;
  created_at: string;
  expires_at: string;
}

export interface BatchTable {
  id: string;
  /** The Batch document as JSON; `state` inside it mirrors the column. */
  doc: string;
  state: string;
  /** Bumped on every change, so a parsed copy can be reused while it matches. */
  version: number;
  next_serial: number;
  created_at: string;
  /** The user who last changed the batch (null before the console's migration 0009). */
  updated_by: string | null;
  updated_at: string | null;
  /** The console's request id of that change: a retried save gets the stored batch back. */
  last_request_id: string | null;
}

export interface CodeTable {
  code: string;
  batch_id: string;
  state: string;
  signed: number;
  claimed_at: string | null;
  redeemed_at: string | null;
  redeemed_store_id: string | null;
  redeemed_terminal_id: string | null;
  redemption_id: string | null;
}

export interface RedemptionTable {
  id: string;
  code: string;
  batch_id: string | null;
  store_id: string;
  terminal_id: string;
  cashier_id: string | null;
  status: string;
  discount_fen: number;
  /** Store-local date (YYYY-MM-DD) of the redemption: the key of daily caps. */
  day: string;
  customer_id: string | null;
  lease_id: string | null;
  at: string;
  recorded_at: string;
  /** The serialized RedemptionResponse, returned byte for byte on a replay. */
  response: string;
  /** Hash of the request (offline decision aside); null for NOT_RECEIVED settlements. */
  request_hash: string | null;
  /** The sale this redemption was applied to, once that sale is recorded. */
  sale_id: string | null;
  /** When a refund of its whole sale gave the code back (status 'returned', migration 0019). */
  returned_at: string | null;
  /** That refund's id (of the refunding terminal). */
  returned_refund_id: string | null;
}

export interface SaleTable {
  terminal_id: string;
  id: string;
  store_id: string;
  cashier_id: string | null;
  shift_id: string | null;
  at: string;
  day: string;
  recorded_at: string;
  state: string;
  subtotal_fen: number;
  discount_fen: number;
  due_fen: number;
  paid_fen: number;
  change_fen: number;
  /** The sale as the server priced it: lines, vouchers, tenders (JSON). */
  doc: string;
  /** SaleFlag[] as JSON: what a manager should review. */
  flags: string;
  offline: number;
  request_hash: string;
  /** The serialized SaleResponse, returned byte for byte on a replay. */
  response: string;
  /** The member (or other customer id) the till named (migration 0020): a member's sales by it. */
  customer_id: string | null;
}

export interface SaleTenderTable {
  terminal_id: string;
  sale_id: string;
  seq: number;
  store_id: string;
  day: string;
  kind: string;
  amount_fen: number;
  change_fen: number;
  payment_id: string | null;
  state: string;
}

/** One sale replacing another of its terminal (migration 0023, sales/replace.ts). */
export interface SaleReplacementTable {
  terminal_id: string;
  replaced_id: string;
  replacing_id: string;
  /** open (voided by the replacement) or absent (not recorded yet: a late push is voided). */
  replaced_state: string;
  created_at: string;
}

/** A WeChat payment attempt (migration 0006). */
export interface PaymentTable {
  terminal_id: string;
  id: string;
  sale_id: string;
  store_id: string;
  method: string;
  amount_fen: number;
  out_trade_no: string;
  state: string;
  held: number;
  hold_reason: string | null;
  code_url: string | null;
  expires_at: string | null;
  transaction_id: string | null;
  payer: string | null;
  promotion: string | null;
  notified: string | null;
  notified_at: string | null;
  queried_state: string | null;
  queried_at: string | null;
  paid_at: string | null;
  request_hash: string;
  created_at: string;
  updated_at: string;
  /** Why it ended so (PaymentReason, migration 0007), e.g. NOTENOUGH, TIMEOUT. */
  reason: string | null;
  /** The automatic refund of a payment that landed after we gave up: made once, reused. */
  out_refund_no: string | null;
  /** Which server instance is settling it, until when (reconcile.ts). */
  lease_owner: string | null;
  lease_until: string | null;
}

/** A notification applied once (WeChat re-sends until acknowledged). */
export interface PaymentNotificationTable {
  id: string;
  event: string;
  out_trade_no: string | null;
  received_at: string;
}

/** A refund request (migration 0008). */
export interface RefundTable {
  terminal_id: string;
  id: string;
  sale_terminal_id: string;
  sale_id: string;
  store_id: string;
  amount_fen: number;
  reason: string;
  lines: string | null;
  approved_by: string;
  requested_by: string | null;
  request_hash: string;
  created_at: string;
}

/** What one tender of the sale gives back for a refund (migration 0008). */
export interface RefundPartTable {
  terminal_id: string;
  refund_id: string;
  seq: number;
  sale_terminal_id: string;
  sale_id: string;
  store_id: string;
  kind: string;
  tender_seq: number;
  payment_id: string | null;
  out_trade_no: string | null;
  out_refund_no: string | null;
  amount_fen: number;
  total_fen: number | null;
  state: string;
  wechat_refund_id: string | null;
  provider_code: string | null;
  queried_at: string | null;
  settled_at: string | null;
  updated_at: string;
}

export interface ConflictTable {
  redemption_id: string;
  code: string;
  batch_id: string | null;
  store_id: string;
  terminal_id: string;
  reason: string;
  winner_redemption_id: string | null;
  discount_fen: number;
  at: string;
  created_at: string;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

export interface LeaseTable {
  lease_id: string;
  terminal_id: string;
  store_id: string;
  max_count: number;
  max_value_fen: number;
  used_count: number;
  used_value_fen: number;
  issued_at: string;
  expires_at: string;
  /** When a newer lease replaced this one (ledger/lease.ts: what it still takes after that). */
  replaced_at: string | null;
  /** The terminal's id for the renewal that issued it; null for leases older than migration 0004. */
  request_id: string | null;
  /** When the lease after its replacement was issued: from then on only what was made before its replacement counts. */
  retired_at: string | null;
}

export interface ChangeTable {
  seq: Generated<number>;
  /** The batch a batch or code change belongs to; null for catalog rows every terminal gets. */
  batch_id: string | null;
  doc: string;
  created_at: string;
}

export interface AuditTable {
  seq: Generated<number>;
  at: string;
  actor: string | null;
  terminal_id: string | null;
  store_id: string | null;
  action: string;
  subject: string;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** One counter of server/auth/limits.ts: how often `subject` did `what` since `window_start`. */
export interface AuthLimitTable {
  what: string;
  subject: string;
  window_start: string;
  count: number;
}

/** Report aggregates (migration 0011; columns in server/reports/aggregate-tables.ts). */
export interface ReportBatchDayTable {
  batch_id: string;
  store_id: string;
  day: string;
  views: number;
  claims: number;
  redemptions: number;
  discount_fen: number;
  cycle0: number;
  cycle1: number;
  cycle2: number;
  cycle3: number;
  cycle4to7: number;
  cycle_over7: number;
  voucher_sales: number;
  voucher_sales_fen: number;
}

/**
 * report_batch_day summed over batches, a row per store and day, kept by the same upserts
 * (migration 0018; reports/aggregate-tables.ts STORE_DAY).
 */
export type ReportStoreDayTable = Omit<ReportBatchDayTable, 'batch_id'>;

export interface ReportTenderDayTable {
  store_id: string;
  day: string;
  tender: string;
  sales: number;
  amount_fen: number;
  refunds: number;
  refund_fen: number;
}

export interface ReportBatchHourTable {
  batch_id: string;
  store_id: string;
  day: string;
  hour: number;
  claims: number;
  redemptions: number;
}

export interface ReportSettingTable {
  name: string;
  /** JSON. */
  value: string;
}

/** A published claim page (migration 0012). */
export interface ClaimPageTable {
  id: string;
  batch_id: string;
  store_id: string;
  title: string;
  total_stock: number;
  daily_stock: number | null;
  per_customer: number;
  claimed: number;
  created_by: string;
  created_at: string;
}

export interface ClaimTable {
  page_id: string;
  code: string;
  batch_id: string;
  /** SHA-256 of the customer's device key. */
  customer: string;
  claimed_at: string;
  day: string;
}

/** A till's shift (migration 0013). */
export interface ShiftTable {
  terminal_id: string;
  id: string;
  store_id: string;
  cashier_id: string | null;
  opened_at: string;
  float_fen: number;
  /** Hash of the opening request: the same id with another float is refused. */
  open_hash: string;
  closed_at: string | null;
  closed_by: string | null;
  counted_fen: number | null;
  close_hash: string | null;
  /** The ShiftReport as JSON, once closed. */
  report: string | null;
}

/** The last audit entry a prune removed (migration 0014): the chain continues from its hash. */
export interface AuditCheckpointTable {
  seq: number;
  hash: string;
  at: string;
  /** Entries this prune removed. */
  pruned: number;
}

/** One prune of records older than retention (migration 0014): what went, and the cutoff. */
export interface PrunedRecordsTable {
  at: string;
  /** Records before this instant may be gone. */
  cutoff: string;
  claims: number;
  notifications: number;
  audit: number;
}

export interface MemberTable {
  id: string;
  /** Mainland mobile number, 11 digits; never logged in full. */
  phone: string;
  /** The member card's barcode (TPM- and 8 digits). */
  card: string;
  name: string;
  tier: string;
  created_at: string;
  updated_at: string;
  version: number;
  /** Who changed the member last (migration 0020); null for members written before it or by the seed. */
  updated_by: string | null;
  /** The request id of that change: a retry of it gets the stored member. */
  last_request_id: string | null;
}
