import { z } from 'zod';
import { BatchId, ClientId, StoreId, TerminalId, UserId, VoucherCode } from '../ids';
import { Batch } from '../vouchers';
import { AllowanceLease, AllowanceRequest } from './allowance';
import {
  LogoutRequest,
  LogoutResponse,
  PairRequest,
  PairResponse,
  PasswordLoginRequest,
  PinLoginRequest,
  Session,
} from './auth';
import { Product, StoreGroup } from './catalog';
import { ChangesPage, ChangesQuery, CodeLookup, ServerEvent } from './changes';
import {
  AuditPage,
  AuditQuery,
  AuditVerdict,
  BatchStateChange,
  ConflictsPage,
  ConflictsQuery,
  ConflictView,
  CreateUserRequest,
  ImportCodesRequest,
  ImportCodesResponse,
  IssueCodesRequest,
  PairingCodeRequest,
  PairingCodeResponse,
  ResolveConflictRequest,
  StoreInput,
  TerminalActionRequest,
  TerminalView,
  UserView,
} from './manager';
import {
  AllowancesPage,
  AllowancesQuery,
  DisableUserRequest,
  EnableUserRequest,
  ImportProductsCsvRequest,
  ImportProductsCsvResponse,
  ResetPinRequest,
  SetAllowanceRequest,
  StoreAllowance,
  TerminalList,
  TerminalsQuery,
  UserRow,
  UsersPage,
  UsersQuery,
} from './staff';
import {
  BatchPushRequest,
  BatchPushResponse,
  RedemptionRequest,
  RedemptionResponse,
  SettleRequest,
  SettleResponse,
} from './redemption';
import { BackupReport, BackupRequest } from './ops';
import {
  ByPayment,
  ClosePaymentRequest,
  CodePaymentRequest,
  NativePaymentRequest,
  PaymentView,
  WechatNotifyAnswer,
} from './payment';
import { ByRefund, BySale, RefundRequest, RefundView, SaleView } from './refund';
import { ClaimPagesPage, ClaimPagesQuery, ClaimPageView, PublishClaimPage } from './claims';
import {
  CodeDetail,
  CodesPage,
  CodesQuery,
  ImportCodesCsvRequest,
  ImportCodesCsvResponse,
} from './code-admin';
import {
  AlertsAnswer,
  AlertsQuery,
  BatchReport,
  Dashboard,
  HoursReport,
  ReportCsvParams,
  ReportCsvQuery,
  ReportQuery,
  ReportThresholds,
  SalesReport,
  StoreDayReport,
} from './reports';
import {
  BatchesPage,
  BatchesQuery,
  BatchRow,
  ProductsPage,
  ProductsQuery,
  StoresPage,
  StoresQuery,
  UpdateBatchRequest,
} from './console';
import { MemberId, MemberLookup, MemberLookupQuery } from './members';
import {
  AddMemberRequest,
  ImportMembersCsvRequest,
  ImportMembersCsvResponse,
  MemberClaimsPage,
  MemberDetail,
  MemberHistoryQuery,
  MemberRedemptionsPage,
  MembersPage,
  MemberSalesPage,
  MembersQuery,
  SetMemberTierRequest,
} from './member-admin';
import { SaleRequest, SaleResponse, SalesPushRequest, SalesPushResponse } from './sale';
import { ByShift, CloseShiftRequest, CurrentShift, OpenShiftRequest, ShiftReport } from './shift';

/**
 * The one HTTP contract (DESIGN.md "One contract per boundary"). The server's
 * routes (server/http/route.ts) and the renderer's API client
 * (renderer/data/api-client.ts) are both built from this table: the path,
 * the schemas of params, query, body and answer, and who may call. Neither
 * side types a path string.
 */

export type HttpMethod = 'GET' | 'POST';

/**
 * Who may call, checked before any handler runs:
 * - none: anyone (health, pairing, password login);
 * - terminal: a paired, not unpaired, terminal's token in Authorization; a
 *   cashier session in X-Cashier-Session is checked too when sent;
 * - session: any logged-in user's session token in Authorization;
 * - manager: a store or chain manager's session (a store manager is further
 *   held to their own store by the call itself);
 * - chain_manager: a chain manager's session.
 */
export type RouteAuth = 'none' | 'terminal' | 'session' | 'manager' | 'chain_manager';

/**
 * json: a JSON answer. csv: a text/csv answer (the schema checks the text).
 * text: a plain-text answer in a format of its own (Prometheus metrics).
 * ws: a WebSocket; `response` is the schema of each message and the terminal
 * token travels as ?token= because browsers cannot set headers on a socket.
 */
export type RouteKind = 'json' | 'csv' | 'text' | 'ws';

export interface RouteDef {
  readonly kind: RouteKind;
  readonly method: HttpMethod;
  /** Fastify's syntax: `:name` stands for a path parameter named in `params`. */
  readonly path: `/${string}`;
  readonly auth: RouteAuth;
  /** An object schema with one field per `:name` of the path; null when there are none. */
  readonly params: z.ZodType | null;
  readonly query: z.ZodType | null;
  /** null: the route takes no body (GET). A POST always declares one, `{}` at least. */
  readonly body: z.ZodType | null;
  readonly response: z.ZodType;
  /** The status of a success. */
  readonly status: 200 | 201;
}

type Given = Pick<RouteDef, 'method' | 'path' | 'auth' | 'response'> & Partial<RouteDef>;
type Field<D, K extends keyof RouteDef, Default> = D extends { readonly [P in K]: infer V }
  ? V
  : Default;

/** A route as the table holds it: every field present, the omitted ones at their defaults. */
export type Route<D extends Given> = {
  readonly kind: Field<D, 'kind', 'json'>;
  readonly method: D['method'];
  readonly path: D['path'];
  readonly auth: D['auth'];
  readonly params: Field<D, 'params', null>;
  readonly query: Field<D, 'query', null>;
  readonly body: Field<D, 'body', null>;
  readonly response: D['response'];
  readonly status: Field<D, 'status', 200>;
};

function route<const D extends Given>(d: D): Route<D> {
  return {
    kind: 'json',
    params: null,
    query: null,
    body: null,
    status: 200,
    ...d,
    // The spread fills exactly the fields Route<D> defaults; TypeScript cannot follow a spread through a conditional type.
  } as unknown as Route<D>;
}

/** Liveness and readiness answers. */
export const Health = z.object({ ok: z.literal(true) }).loose();
/** The CSV of issued codes: a header line `code,batch_id,serial`, then one line per code. */
export const CsvText = z.string();
/** Prometheus text exposition format 0.0.4. */
export const MetricsText = z.string();

// A schema's description names it in the server's 400 ("The … is not valid (…)").
const ById = z
  .object({ id: ClientId })
  .strict()
  .describe('redemption id in the path (the UUID the terminal gave the redemption)');
const ByBatch = z.object({ id: BatchId }).strict().describe('batch id in the path');
const ByTerminal = z.object({ id: TerminalId }).strict().describe('terminal id in the path');
const ByUser = z.object({ id: UserId }).strict().describe('user id in the path');
const ByStore = z.object({ id: StoreId }).strict().describe('store id in the path');
const ByMember = z.object({ id: MemberId }).strict().describe('member id in the path');
const ByCode = z.object({ code: VoucherCode }).strict().describe('voucher code in the path');
const EventsQuery = z.object({ token: z.string().max(200) }).strict();

export const ROUTES = {
  health: route({ method: 'GET', path: '/healthz', auth: 'none', response: Health }),
  ready: route({ method: 'GET', path: '/readyz', auth: 'none', response: Health }),
  /**
   * Prometheus metrics. Not a user's route: it is answered to loopback callers, or with
   * "Authorization: Bearer <metrics.token>" from the config (server/ops/metrics-access.ts).
   */
  metrics: route({
    kind: 'text',
    method: 'GET',
    path: '/metrics',
    auth: 'none',
    response: MetricsText,
  }),

  /** Trades a one-time pairing code for the terminal's own token. */
  pair: route({
    method: 'POST',
    path: '/v1/terminals/pair',
    auth: 'none',
    body: PairRequest,
    response: PairResponse,
  }),
  /** A manager's username and password. */
  loginPassword: route({
    method: 'POST',
    path: '/v1/sessions',
    auth: 'none',
    body: PasswordLoginRequest,
    response: Session,
  }),
  /** A cashier's PIN on a paired terminal. */
  loginPin: route({
    method: 'POST',
    path: '/v1/sessions/pin',
    auth: 'terminal',
    body: PinLoginRequest,
    response: Session,
  }),
  /** Ends the session whose token is the bearer (a manager's, or a cashier's from the PIN login). */
  logout: route({
    method: 'POST',
    path: '/v1/sessions/logout',
    auth: 'session',
    body: LogoutRequest,
    response: LogoutResponse,
  }),

  redeem: route({
    method: 'POST',
    path: '/v1/redemptions',
    auth: 'terminal',
    body: RedemptionRequest,
    response: RedemptionResponse,
  }),
  pushBatch: route({
    method: 'POST',
    path: '/v1/redemptions/batch',
    auth: 'terminal',
    body: BatchPushRequest,
    response: BatchPushResponse,
  }),
  /** One finished sale, written to the till's queue first; a repeat gets the stored answer. */
  recordSale: route({
    method: 'POST',
    path: '/v1/sales',
    auth: 'terminal',
    body: SaleRequest,
    response: SaleResponse,
  }),
  /** Sales queued while the server could not be reached, pushed in order. */
  pushSales: route({
    method: 'POST',
    path: '/v1/sales/batch',
    auth: 'terminal',
    body: SalesPushRequest,
    response: SalesPushResponse,
  }),
  /** A sale of this terminal's store as it stands: state, refunds, the WeChat vouchers used. */
  sale: route({
    method: 'GET',
    path: '/v1/sales/:id',
    auth: 'terminal',
    params: BySale,
    response: SaleView,
  }),
  /** 原路退款 of a sale, approved by a store manager; a repeat of the refundId continues it. */
  createRefund: route({
    method: 'POST',
    path: '/v1/refunds',
    auth: 'terminal',
    body: RefundRequest,
    response: RefundView,
  }),
  /** The refund's state; one still waiting for WeChat is asked again. */
  refund: route({
    method: 'GET',
    path: '/v1/refunds/:id',
    auth: 'terminal',
    params: ByRefund,
    response: RefundView,
  }),
  /** Opens a shift on this till with its float; a repeat of the id gets the stored shift. */
  openShift: route({
    method: 'POST',
    path: '/v1/shifts',
    auth: 'terminal',
    body: OpenShiftRequest,
    response: ShiftReport,
  }),
  /** Closes the shift with the counted cash; the report is computed and stored once. */
  closeShift: route({
    method: 'POST',
    path: '/v1/shifts/:id/close',
    auth: 'terminal',
    params: ByShift,
    body: CloseShiftRequest,
    response: ShiftReport,
  }),
  /** This till's open shift, if any: what a till that lost its local state resumes. */
  currentShift: route({
    method: 'GET',
    path: '/v1/shifts/current',
    auth: 'terminal',
    response: CurrentShift,
  }),
  /** A shift of this till: the stored report once closed, the figures up to now while open. */
  shiftReport: route({
    method: 'GET',
    path: '/v1/shifts/:id',
    auth: 'terminal',
    params: ByShift,
    response: ShiftReport,
  }),
  /** Places (or, for a known paymentId, returns) the WeChat Native order of a sale's tender. */
  createNativePayment: route({
    method: 'POST',
    path: '/v1/payments/native',
    auth: 'terminal',
    body: NativePaymentRequest,
    response: PaymentView,
  }),
  /**
   * Charges the customer's payment code (付款码) for a sale's pending `wechat_code` tender. Answers
   * at once: paid, declined (with the reason), user_paying or unknown — the server then follows the
   * payment itself (polls, reverses at 45 s) and the till polls its state.
   */
  createCodePayment: route({
    method: 'POST',
    path: '/v1/payments/code',
    auth: 'terminal',
    body: CodePaymentRequest,
    response: PaymentView,
  }),
  /** The payment's state; the till polls it while the QR code is shown. */
  payment: route({
    method: 'GET',
    path: '/v1/payments/:id',
    auth: 'terminal',
    params: ByPayment,
    response: PaymentView,
  }),
  /** Closes an unpaid Native order; closing a closed one is fine. */
  closePayment: route({
    method: 'POST',
    path: '/v1/payments/:id/close',
    auth: 'terminal',
    params: ByPayment,
    body: ClosePaymentRequest,
    response: PaymentView,
  }),
  /**
   * WeChat Pay's notifications (支付通知). Registered by hand (server/routes/payments.ts): the
   * signature covers the raw body bytes, so it is not parsed as JSON; answered 204 or `{code: FAIL}`.
   */
  wechatNotify: route({
    method: 'POST',
    path: '/v1/payments/wechat/notify',
    auth: 'none',
    body: z.unknown(),
    response: WechatNotifyAnswer.optional(),
  }),
  /** The final outcome of one of this terminal's unanswered redemptions, never redeeming it. */
  settle: route({
    method: 'POST',
    path: '/v1/redemptions/:id/settle',
    auth: 'terminal',
    params: ById,
    body: SettleRequest,
    response: SettleResponse,
  }),
  changes: route({
    method: 'GET',
    path: '/v1/changes',
    auth: 'terminal',
    query: ChangesQuery,
    response: ChangesPage,
  }),
  allowance: route({
    method: 'POST',
    path: '/v1/allowance',
    auth: 'terminal',
    body: AllowanceRequest,
    response: AllowanceLease,
  }),
  lookupCode: route({
    method: 'GET',
    path: '/v1/codes/:code',
    auth: 'terminal',
    params: ByCode,
    response: CodeLookup,
  }),
  /** A member by card barcode or phone; 404 when none. Look-ups are counted per terminal. */
  lookupMember: route({
    method: 'GET',
    path: '/v1/members/lookup',
    auth: 'terminal',
    query: MemberLookupQuery,
    response: MemberLookup,
  }),
  /** {type:'hello'} on connect, {type:'changes'} when the feed moves. Close 4401: token refused. */
  events: route({
    kind: 'ws',
    method: 'GET',
    path: '/v1/events',
    auth: 'terminal',
    query: EventsQuery,
    response: ServerEvent,
  }),

  createPairingCode: route({
    method: 'POST',
    path: '/v1/manager/pairing-codes',
    auth: 'manager',
    body: PairingCodeRequest,
    response: PairingCodeResponse,
    status: 201,
  }),
  createUser: route({
    method: 'POST',
    path: '/v1/manager/users',
    auth: 'manager',
    body: CreateUserRequest,
    response: UserView,
    status: 201,
  }),
  /** Users of the stores the manager manages (a chain manager: every user), in id order. */
  users: route({
    method: 'GET',
    path: '/v1/manager/users',
    auth: 'manager',
    query: UsersQuery,
    response: UsersPage,
  }),
  /** A cashier's new PIN (audited); their open sessions end. */
  resetPin: route({
    method: 'POST',
    path: '/v1/manager/users/:id/pin',
    auth: 'manager',
    params: ByUser,
    body: ResetPinRequest,
    response: UserRow,
  }),
  /** The user can no longer sign in (audited); their open sessions end. */
  disableUser: route({
    method: 'POST',
    path: '/v1/manager/users/:id/disable',
    auth: 'manager',
    params: ByUser,
    body: DisableUserRequest,
    response: UserRow,
  }),
  /** A disabled user can sign in again (audited). */
  enableUser: route({
    method: 'POST',
    path: '/v1/manager/users/:id/enable',
    auth: 'manager',
    params: ByUser,
    body: EnableUserRequest,
    response: UserRow,
  }),
  /**
   * Members (会员) of the chain, phones masked, in id order; `phone` is a prefix. Any manager
   * reads them; adding, a tier change and the import are a chain manager's.
   */
  members: route({
    method: 'GET',
    path: '/v1/manager/members',
    auth: 'manager',
    query: MembersQuery,
    response: MembersPage,
  }),
  /** Adds a member (on the feed to every till; audited); a repeat of the requestId gets it back. */
  addMember: route({
    method: 'POST',
    path: '/v1/manager/members',
    auth: 'chain_manager',
    body: AddMemberRequest,
    response: MemberDetail,
    status: 201,
  }),
  /** The console's import: all or nothing, every bad row reported (an answer, not an error). */
  importMembersCsv: route({
    method: 'POST',
    path: '/v1/manager/members/import-csv',
    auth: 'chain_manager',
    body: ImportMembersCsvRequest,
    response: ImportMembersCsvResponse,
  }),
  /** One member; the full phone for a chain manager only. */
  member: route({
    method: 'GET',
    path: '/v1/manager/members/:id',
    auth: 'manager',
    params: ByMember,
    response: MemberDetail,
  }),
  /** Changes a member's tier; VERSION_CONFLICT when they changed since the version sent. */
  setMemberTier: route({
    method: 'POST',
    path: '/v1/manager/members/:id/tier',
    auth: 'chain_manager',
    params: ByMember,
    body: SetMemberTierRequest,
    response: MemberDetail,
  }),
  /** The member's claims, newest first (a store manager: on their store's claim pages). */
  memberClaims: route({
    method: 'GET',
    path: '/v1/manager/members/:id/claims',
    auth: 'manager',
    params: ByMember,
    query: MemberHistoryQuery,
    response: MemberClaimsPage,
  }),
  /** The member's redemptions, newest first (a store manager: at their store). */
  memberRedemptions: route({
    method: 'GET',
    path: '/v1/manager/members/:id/redemptions',
    auth: 'manager',
    params: ByMember,
    query: MemberHistoryQuery,
    response: MemberRedemptionsPage,
  }),
  /** The member's sales, newest first (a store manager: at their store). */
  memberSales: route({
    method: 'GET',
    path: '/v1/manager/members/:id/sales',
    auth: 'manager',
    params: ByMember,
    query: MemberHistoryQuery,
    response: MemberSalesPage,
  }),
  createBatch: route({
    method: 'POST',
    path: '/v1/manager/batches',
    auth: 'chain_manager',
    body: Batch,
    response: Batch,
    status: 201,
  }),
  /** The console's batch list: filters, cursor paging, code counts (a store manager sees what applies to their store). */
  batches: route({
    method: 'GET',
    path: '/v1/manager/batches',
    auth: 'manager',
    query: BatchesQuery,
    response: BatchesPage,
  }),
  batch: route({
    method: 'GET',
    path: '/v1/manager/batches/:id',
    auth: 'manager',
    params: ByBatch,
    response: BatchRow,
  }),
  /** Replaces a batch's rules; VERSION_CONFLICT when it changed since the version sent. */
  updateBatch: route({
    method: 'POST',
    path: '/v1/manager/batches/:id',
    auth: 'chain_manager',
    params: ByBatch,
    body: UpdateBatchRequest,
    response: BatchRow,
  }),
  stores: route({
    method: 'GET',
    path: '/v1/manager/stores',
    auth: 'manager',
    query: StoresQuery,
    response: StoresPage,
  }),
  products: route({
    method: 'GET',
    path: '/v1/manager/products',
    auth: 'manager',
    query: ProductsQuery,
    response: ProductsPage,
  }),
  setBatchState: route({
    method: 'POST',
    path: '/v1/manager/batches/:id/state',
    auth: 'chain_manager',
    params: ByBatch,
    body: BatchStateChange,
    response: Batch,
  }),
  issueCodes: route({
    kind: 'csv',
    method: 'POST',
    path: '/v1/manager/batches/:id/codes',
    auth: 'chain_manager',
    params: ByBatch,
    body: IssueCodesRequest,
    response: CsvText,
  }),
  importCodes: route({
    method: 'POST',
    path: '/v1/manager/batches/:id/import',
    auth: 'chain_manager',
    params: ByBatch,
    body: ImportCodesRequest,
    response: ImportCodesResponse,
  }),
  /** The console's import: all or nothing, every bad row reported (an answer, not an error). */
  importCodesCsv: route({
    method: 'POST',
    path: '/v1/manager/batches/:id/import-csv',
    auth: 'chain_manager',
    params: ByBatch,
    body: ImportCodesCsvRequest,
    response: ImportCodesCsvResponse,
  }),
  /** Codes page by page in code order, of one batch and one state when asked (chain-wide). */
  codes: route({
    method: 'GET',
    path: '/v1/manager/codes',
    auth: 'chain_manager',
    query: CodesQuery,
    response: CodesPage,
  }),
  /** One code with its batch, claim, redemptions (and their sales) and conflicts. */
  codeDetail: route({
    method: 'GET',
    path: '/v1/manager/codes/:code',
    auth: 'manager',
    params: ByCode,
    response: CodeDetail,
  }),
  upsertStoreGroup: route({
    method: 'POST',
    path: '/v1/manager/store-groups',
    auth: 'chain_manager',
    body: StoreGroup,
    response: StoreGroup,
  }),
  upsertStore: route({
    method: 'POST',
    path: '/v1/manager/stores',
    auth: 'chain_manager',
    body: StoreInput,
    response: StoreInput,
  }),
  upsertProduct: route({
    method: 'POST',
    path: '/v1/manager/products',
    auth: 'chain_manager',
    body: Product,
    response: Product,
  }),
  /** The console's import: all or nothing, every bad row reported (an answer, not an error). */
  importProductsCsv: route({
    method: 'POST',
    path: '/v1/manager/products/import-csv',
    auth: 'chain_manager',
    body: ImportProductsCsvRequest,
    response: ImportProductsCsvResponse,
  }),
  /** Each store's offline allowance with its version (a store manager: their own store). */
  allowances: route({
    method: 'GET',
    path: '/v1/manager/allowances',
    auth: 'manager',
    query: AllowancesQuery,
    response: AllowancesPage,
  }),
  /** Sets a store's offline allowance (audited); its tills hear of it on the change feed. */
  setAllowance: route({
    method: 'POST',
    path: '/v1/manager/stores/:id/allowance',
    auth: 'chain_manager',
    params: ByStore,
    body: SetAllowanceRequest,
    response: StoreAllowance,
  }),
  terminals: route({
    method: 'GET',
    path: '/v1/manager/terminals',
    auth: 'manager',
    query: TerminalsQuery,
    response: TerminalList,
  }),
  /** Ends a PIN lock-out on a till (audited). */
  unlockPin: route({
    method: 'POST',
    path: '/v1/manager/terminals/:id/unlock-pin',
    auth: 'manager',
    params: ByTerminal,
    body: TerminalActionRequest,
    response: TerminalView,
  }),
  /** Unpairs a till (audited): its token, and the cashier sessions opened on it, stop at once. */
  unpairTerminal: route({
    method: 'POST',
    path: '/v1/manager/terminals/:id/unpair',
    auth: 'manager',
    params: ByTerminal,
    body: TerminalActionRequest,
    response: TerminalView,
  }),
  conflicts: route({
    method: 'GET',
    path: '/v1/manager/conflicts',
    auth: 'manager',
    query: ConflictsQuery,
    response: ConflictsPage,
  }),
  resolveConflict: route({
    method: 'POST',
    path: '/v1/manager/conflicts/:id/resolve',
    auth: 'manager',
    params: ById,
    body: ResolveConflictRequest,
    response: ConflictView,
  }),
  audit: route({
    method: 'GET',
    path: '/v1/manager/audit',
    auth: 'manager',
    query: AuditQuery,
    response: AuditPage,
  }),
  verifyAudit: route({
    method: 'GET',
    path: '/v1/audit/verify',
    auth: 'chain_manager',
    response: AuditVerdict,
  }),

  /** Reports (DESIGN.md "Manager console and reports"); a store manager sees their store only. */
  batchReport: route({
    method: 'GET',
    path: '/v1/manager/reports/batches/:id',
    auth: 'manager',
    params: ByBatch,
    query: ReportQuery,
    response: BatchReport,
  }),
  storeDayReport: route({
    method: 'GET',
    path: '/v1/manager/reports/store-days',
    auth: 'manager',
    query: ReportQuery,
    response: StoreDayReport,
  }),
  salesReport: route({
    method: 'GET',
    path: '/v1/manager/reports/sales',
    auth: 'manager',
    query: ReportQuery,
    response: SalesReport,
  }),
  hoursReport: route({
    method: 'GET',
    path: '/v1/manager/reports/hours',
    auth: 'manager',
    query: ReportQuery,
    response: HoursReport,
  }),
  /** The CSV of one report table: the same rows as the JSON answer with the same filters. */
  reportCsv: route({
    kind: 'csv',
    method: 'GET',
    path: '/v1/manager/reports/csv/:table',
    auth: 'manager',
    params: ReportCsvParams,
    query: ReportCsvQuery,
    response: CsvText,
  }),
  alerts: route({
    method: 'GET',
    path: '/v1/manager/alerts',
    auth: 'manager',
    query: AlertsQuery,
    response: AlertsAnswer,
  }),
  /** The alert thresholds, a chain-wide setting. */
  setAlertThresholds: route({
    method: 'POST',
    path: '/v1/manager/alerts/thresholds',
    auth: 'chain_manager',
    body: ReportThresholds,
    response: ReportThresholds,
  }),
  /** Publishes a claim page for a batch; the customer-facing page is /claim/:id (server-rendered HTML). */
  publishClaimPage: route({
    method: 'POST',
    path: '/v1/manager/claim-pages',
    auth: 'chain_manager',
    body: PublishClaimPage,
    response: ClaimPageView,
    status: 201,
  }),
  /** The published claim pages with their links and counts, newest first, paged. */
  claimPages: route({
    method: 'GET',
    path: '/v1/manager/claim-pages',
    auth: 'manager',
    query: ClaimPagesQuery,
    response: ClaimPagesPage,
  }),
  dashboard: route({
    method: 'GET',
    path: '/v1/manager/dashboard',
    auth: 'manager',
    response: Dashboard,
  }),
  /**
   * Backs the SQLite store up now into the configured backup folder and
   * verifies the copy (server/ops/backup.ts). PostgreSQL: 409, use pg_dump
   * (docs/postgresql-backups.md).
   */
  backup: route({
    method: 'POST',
    path: '/v1/manager/backups',
    auth: 'chain_manager',
    body: BackupRequest,
    response: BackupReport,
  }),
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof ROUTES;
export type RouteName = keyof Routes;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a handler receives, parsed. */
export type RouteParams<R extends RouteDef> = Out<R['params']>;
export type RouteQuery<R extends RouteDef> = Out<R['query']>;
export type RouteBody<R extends RouteDef> = Out<R['body']>;
export type RouteResponse<R extends RouteDef> = z.output<R['response']>;

/**
 * What a caller sends: params and query as the handler sees them (query
 * values are sent as text), the body as the schema accepts it (defaults may
 * be left out). Fields a route does not take are absent.
 */
export type RouteInput<R extends RouteDef> = (R['params'] extends z.ZodType
  ? { readonly params: Out<R['params']> }
  : unknown) &
  (R['query'] extends z.ZodType ? { readonly query: Out<R['query']> } : unknown) &
  (R['body'] extends z.ZodType ? { readonly body: In<R['body']> } : unknown);

/** The `:name` segments of a path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
}

/** The path with each `:name` replaced by its value, URI-encoded. */
export function buildPath(path: string, params: Readonly<Record<string, unknown>> | null): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null)
      throw new Error(`path parameter ${name} of ${path} is missing`);
    return encodeURIComponent(String(value));
  });
}
