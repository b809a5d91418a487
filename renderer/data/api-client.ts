import { z } from 'zod';
import {
  AllowanceLease,
  ApiError,
  type ApiErrorCode,
  type BatchPushRequest,
  BatchPushResponse,
  ChangesPage,
  CodeState,
  PairResponse,
  type PairRequest,
  type RedemptionRequest,
  RedemptionResponse,
  Session,
  SettleResponse,
} from '../../core/protocol/index';
import type { ClientId } from '../../core/ids';
import { Batch } from '../../core/vouchers';

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

export const CodeLookup = z.object({ code: CodeState, batch: Batch }).strict();
export type CodeLookup = z.infer<typeof CodeLookup>;

const Health = z.object({ ok: z.literal(true) }).loose();

export interface ApiClientOptions {
  readonly baseUrl: string;
  /** The terminal's bearer token, read on each call (it arrives with pairing). */
  readonly terminalToken: () => string | null;
  /** The cashier's session token for the audit log, when someone is logged in. */
  readonly sessionToken: () => string | null;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** The cashier app's view of the sync server's HTTP contract; every response is validated. */
export interface ApiClient {
  readonly baseUrl: string;
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
}

const DEFAULT_TIMEOUT_MS = 3_000;
/** A push of 500 items may take longer than one scan; it is still bounded. */
const PUSH_TIMEOUT_MS = 10_000;

export function normaliseServerUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = normaliseServerUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body: unknown,
    auth: 'terminal' | 'none',
    timeout = timeoutMs,
  ): Promise<ApiResult<z.infer<S>>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth === 'terminal') {
      const token = options.terminalToken();
      if (token) headers['Authorization'] = `Bearer ${token}`;
      const session = options.sessionToken();
      if (session) headers['X-Cashier-Session'] = session;
    }
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      // The body broke off (the line was cut after the headers): an outage, not a protocol error.
      const cut = !(error instanceof SyntaxError);
      return {
        ok: false,
        code: response.status >= 500 ? 'UNAVAILABLE' : cut ? 'NETWORK' : 'BAD_RESPONSE',
        message: `The server answered ${method} ${path} with HTTP ${response.status} but no readable JSON (${describe(error)}).`,
        status: response.status,
        offline: response.status >= 500 || cut,
      };
    }
    if (!response.ok) {
      const parsed = ApiError.safeParse(json);
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
        message: `The server answered ${method} ${path} with HTTP ${response.status} and an error body this app does not understand.`,
        status: response.status,
        offline,
      };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : '';
      return {
        ok: false,
        code: 'BAD_RESPONSE',
        message: `The server's answer to ${method} ${path} does not match the protocol (${where}). Check that the app and server versions match.`,
        status: response.status,
        offline: false,
      };
    }
    return { ok: true, value: parsed.data };
  }

  return {
    baseUrl,
    health: async () => {
      const r = await call('GET', '/healthz', Health, undefined, 'none');
      return r.ok ? { ok: true, value: true } : r;
    },
    pair: (request) => call('POST', '/v1/terminals/pair', PairResponse, request, 'none'),
    loginWithPin: (pin) => call('POST', '/v1/sessions', Session, { kind: 'pin', pin }, 'terminal'),
    redeem: (request) => call('POST', '/v1/redemptions', RedemptionResponse, request, 'terminal'),
    pushBatch: (request) =>
      call(
        'POST',
        '/v1/redemptions/batch',
        BatchPushResponse,
        request,
        'terminal',
        PUSH_TIMEOUT_MS,
      ),
    settle: (id) =>
      call(
        'POST',
        `/v1/redemptions/${encodeURIComponent(id)}/settle`,
        SettleResponse,
        {},
        'terminal',
      ),
    changes: (since, limit) =>
      call(
        'GET',
        `/v1/changes?since=${encodeURIComponent(since)}&limit=${limit}`,
        ChangesPage,
        undefined,
        'terminal',
        PUSH_TIMEOUT_MS,
      ),
    allowance: (requestId) =>
      call('POST', '/v1/allowance', AllowanceLease, { requestId }, 'terminal'),
    lookupCode: (code) =>
      call('GET', `/v1/codes/${encodeURIComponent(code)}`, CodeLookup, undefined, 'terminal'),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
