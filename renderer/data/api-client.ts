import type { z } from 'zod';
import {
  ApiError,
  bearerHeader,
  buildPath,
  CodeLookup,
  ROUTES,
  type AllowanceLease,
  type ApiErrorCode,
  type BatchPushRequest,
  type BatchPushResponse,
  type ChangesPage,
  type LogoutResponse,
  type PairRequest,
  type PairResponse,
  type RedemptionRequest,
  type RedemptionResponse,
  type RouteDef,
  type RouteInput,
  type RouteName,
  type RouteResponse,
  type Routes,
  type Session,
  type SettleResponse,
  type TillQueueDepth,
  tillQueueHeader,
} from '../../core/protocol/index';
import type { ClientId } from '../../core/ids';

/**
 * A failed call. `offline` is true when the server could not be reached or could not answer
 * (network error, timeout, 5xx): the caller may fall back to the offline path. A 4xx is the
 * server's definite answer and is never treated as an outage.
 */
export type ApiFailure = {
  readonly ok: false;
  readonly code: ApiErrorCode | 'NETWORK' | 'TIMEOUT' | 'BAD_RESPONSE';
  readonly message: string;
  readonly status: number | null;
  readonly offline: boolean;
};
export type ApiResult<T> = { readonly ok: true; readonly value: T } | ApiFailure;

export { CodeLookup };

export interface ApiClientOptions {
  readonly baseUrl: string;
  /** The terminal's bearer token, read on each call (it arrives with pairing). */
  readonly terminalToken: () => string | null;
  /** The cashier's session token for the audit log, when someone is logged in. */
  readonly sessionToken: () => string | null;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** JSON and CSV routes; the WebSocket is opened by URL (eventsUrl). */
type CallableName = { [K in RouteName]: Routes[K]['kind'] extends 'ws' ? never : K }[RouteName];

/** The cashier app's view of the sync server's HTTP contract; every response is validated. */
export interface ApiClient {
  readonly baseUrl: string;
  /** Any route of core/protocol's ROUTES, by name: the path, auth and answer's schema come from the table. */
  call<K extends CallableName>(
    name: K,
    input: RouteInput<Routes[K]>,
    timeoutMs?: number,
  ): Promise<ApiResult<RouteResponse<Routes[K]>>>;
  health(): Promise<ApiResult<true>>;
  pair(request: PairRequest): Promise<ApiResult<PairResponse>>;
  loginWithPin(pin: string): Promise<ApiResult<Session>>;
  redeem(request: RedemptionRequest): Promise<ApiResult<RedemptionResponse>>;
  pushBatch(request: BatchPushRequest): Promise<ApiResult<BatchPushResponse>>;
  /** The final outcome of an unanswered redemption, never redeeming it (settle.ts). */
  settle(id: ClientId): Promise<ApiResult<SettleResponse>>;
  changes(since: string, limit: number): Promise<ApiResult<ChangesPage>>;
  /** `requestId`: one per renewal, the same on each retry of it (protocol/allowance.ts). */
  allowance(requestId: string): Promise<ApiResult<AllowanceLease>>;
  lookupCode(code: string): Promise<ApiResult<CodeLookup>>;
  /** Ends the cashier's session (sessionToken) on the server: the token stops working at once. */
  logout(): Promise<ApiResult<LogoutResponse>>;
  /** The URL of the event stream (ROUTES.events) for a terminal token. */
  eventsUrl(terminalToken: string): URL;
  /**
   * The queue as last counted (queue-depth.ts): every later terminal call carries it in the
   * X-Till-Queue header, so the server sees it on the pushes and pulls made anyway.
   */
  reportQueue(depth: TillQueueDepth): void;
}

const DEFAULT_TIMEOUT_MS = 3_000;
/** A push of 500 items may take longer than one scan; it is still bounded. */
const PUSH_TIMEOUT_MS = 10_000;

export function normaliseServerUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

type Loose = { readonly params?: unknown; readonly query?: unknown; readonly body?: unknown };

/** The query string of a route's query object: every defined value as text. */
function queryString(query: unknown): string {
  if (query === undefined || query === null) return '';
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, unknown>))
    if (v !== undefined && v !== null) search.set(k, String(v));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = normaliseServerUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let queue: string | null = null;

  function headersFor(def: RouteDef, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    if (hasBody) headers['Content-Type'] = 'application/json';
    const session = options.sessionToken();
    switch (def.auth) {
      case 'none':
        break;
      case 'terminal': {
        const token = options.terminalToken();
        if (token) headers['Authorization'] = bearerHeader(token);
        if (session) headers['X-Cashier-Session'] = session;
        if (queue !== null) headers['X-Till-Queue'] = queue;
        break;
      }
      case 'session':
      case 'manager':
      case 'chain_manager':
        if (session) headers['Authorization'] = bearerHeader(session);
        break;
    }
    return headers;
  }

  async function send<R extends RouteDef>(
    def: R,
    input: Loose,
    timeout: number,
  ): Promise<ApiResult<RouteResponse<R>>> {
    const path = buildPath(def.path, (input.params ?? null) as Record<string, unknown> | null);
    const url = `${baseUrl}${path}${queryString(input.query)}`;
    const where = `${def.method} ${def.path}`;
    const hasBody = def.body !== null;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: def.method,
        headers: headersFor(def, hasBody),
        ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return {
        ok: false,
        code: timedOut ? 'TIMEOUT' : 'NETWORK',
        message: timedOut
          ? `The server at ${baseUrl} did not answer within ${timeout / 1000} s.`
          : `Cannot reach the server at ${baseUrl}: ${describe(error)}`,
        status: null,
        offline: true,
      };
    }
    let data: unknown;
    try {
      data =
        (def.kind === 'csv' || def.kind === 'text') && response.ok
          ? await response.text()
          : await response.json();
    } catch (error) {
      // The body broke off (the line was cut after the headers): an outage, not a protocol error.
      const cut = !(error instanceof SyntaxError);
      return {
        ok: false,
        code: response.status >= 500 ? 'UNAVAILABLE' : cut ? 'NETWORK' : 'BAD_RESPONSE',
        message: `The server answered ${where} with HTTP ${response.status} but no readable JSON (${describe(error)}).`,
        status: response.status,
        offline: response.status >= 500 || cut,
      };
    }
    if (!response.ok) {
      const parsed = ApiError.safeParse(data);
      const offline = response.status >= 500;
      if (parsed.success)
        return {
          ok: false,
          code: parsed.data.code,
          message: parsed.data.message,
          status: response.status,
          offline,
        };
      return {
        ok: false,
        code: offline ? 'UNAVAILABLE' : 'BAD_RESPONSE',
        message: `The server answered ${where} with HTTP ${response.status} and an error body this app does not understand.`,
        status: response.status,
        offline,
      };
    }
    const parsed = (def.response as z.ZodType<RouteResponse<R>>).safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const at = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : '';
      return {
        ok: false,
        code: 'BAD_RESPONSE',
        message: `The server's answer to ${where} does not match the protocol (${at}). Check that the app and server versions match.`,
        status: response.status,
        offline: false,
      };
    }
    return { ok: true, value: parsed.data };
  }

  const call: ApiClient['call'] = (name, input, timeout = timeoutMs) =>
    send(ROUTES[name], input as Loose, timeout);

  return {
    baseUrl,
    call,
    health: async () => {
      const r = await call('health', {});
      return r.ok ? { ok: true, value: true } : r;
    },
    pair: (request) => call('pair', { body: request }),
    loginWithPin: (pin) => call('loginPin', { body: { kind: 'pin', pin } }),
    redeem: (request) => call('redeem', { body: request }),
    pushBatch: (request) => call('pushBatch', { body: request }, PUSH_TIMEOUT_MS),
    settle: (id) => call('settle', { params: { id }, body: {} }),
    changes: (since, limit) => call('changes', { query: { since, limit } }, PUSH_TIMEOUT_MS),
    allowance: (requestId) => call('allowance', { body: { requestId } }),
    // The code is checked by the server; a string that is not a VoucherCode gets its 400.
    lookupCode: (code) =>
      call('lookupCode', { params: { code: code as CodeLookup['code']['code'] } }),
    logout: () => call('logout', { body: {} }),
    reportQueue: (depth) => {
      queue = tillQueueHeader(depth);
    },
    eventsUrl: (terminalToken) => {
      const url = new URL(`${baseUrl}${ROUTES.events.path}`);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('token', terminalToken);
      return url;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
