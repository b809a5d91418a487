import { newNonce, type RandomBytes } from '../ids';
import type { Failure } from '../provider';
import type { WechatPayConfig } from './config';
import { redact } from './secret';
import { authorizationHeader, requestMessage, rsaSignOffThread } from './signing';
import { header, HEADER, verifySigned } from './verifying';
import { WireError } from './wire';

/** The log we write to: pino's `(object, message)` form; never given a secret. */
export interface PaymentLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface WechatHttpDeps {
  readonly fetch: typeof globalThis.fetch;
  readonly clock: () => Date;
  readonly random: RandomBytes;
  readonly log?: PaymentLog;
}

/** A verified 2xx answer; anything else is a Failure value. */
export type HttpOutcome =
  | {
      readonly ok: true;
      readonly status: number;
      readonly body: unknown;
      readonly requestId?: string;
    }
  | Failure;

export interface WechatHttp {
  call(
    method: 'GET' | 'POST',
    path: string,
    options?: { readonly query?: Readonly<Record<string, string>>; readonly body?: object },
  ): Promise<HttpOutcome>;
}

const NOT_FOUND_CODES = new Set(['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS', 'NOT_FOUND']);

/**
 * Signed requests to the v3 API over fetch, and verification of every answer
 * on its raw bytes. Whatever cannot be verified is `unknown`, never a success
 * and never a refusal; 5xx and 429 are `unknown` too (the operation may have
 * happened). Messages from WeChat are stripped of our merchant ids.
 */
export function createWechatHttp(config: WechatPayConfig, deps: WechatHttpDeps): WechatHttp {
  const mchid = config.mchid.reveal();
  const scrub = (text: string): string =>
    redact(text, [mchid, config.appid.reveal(), config.merchantSerial.reveal()]);

  return {
    async call(method, path, options = {}) {
      const search = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
      const url = new URL(`${config.baseUrl}${path}${search}`);
      const body = options.body === undefined ? '' : JSON.stringify(options.body);
      const timestamp = Math.floor(deps.clock().getTime() / 1000);
      const nonce = newNonce(deps.random);
      const signature = await rsaSignOffThread(
        requestMessage(method, `${url.pathname}${url.search}`, timestamp, nonce, body),
        config.privateKey,
      );
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: authorizationHeader({
          mchid,
          serialNo: config.merchantSerial.reveal(),
          timestamp,
          nonce,
          signature,
        }),
        'User-Agent': 'Tillpoint (node:crypto; WeChat Pay API v3)',
        // Which WeChat Pay key we expect answers signed with (wechatpay-go sends this too).
        'Wechatpay-Serial': config.keyring.preferredSerial,
      };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      const logFields = { method, path };

      let res: Response;
      let raw: Uint8Array;
      try {
        res = await deps.fetch(url, {
          method,
          headers,
          ...(options.body !== undefined && { body }),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        raw = new Uint8Array(await res.arrayBuffer());
      } catch (e) {
        const timedOut =
          e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        deps.log?.warn(
          { ...logFields, error: timedOut ? 'timeout' : 'network' },
          'wechatpay call failed',
        );
        return timedOut
          ? {
              ok: false,
              kind: 'unknown',
              code: 'TIMEOUT',
              message: `WeChat Pay did not answer ${method} ${path} in time`,
            }
          : {
              ok: false,
              kind: 'unknown',
              code: 'NETWORK_ERROR',
              message: `WeChat Pay could not be reached for ${method} ${path}`,
            };
      }

      const requestId = header(res.headers, HEADER.requestId);
      const withId = requestId === undefined ? {} : { requestId };
      const verified = verifySigned(res.headers, raw, config.keyring, deps.clock().getTime());
      deps.log?.info(
        {
          ...logFields,
          status: res.status,
          ...withId,
          verified: verified.ok ? true : verified.code,
        },
        'wechatpay call',
      );
      if (!verified.ok)
        return {
          ok: false,
          kind: 'unknown',
          code: 'UNVERIFIABLE_RESPONSE',
          message: `the answer to ${method} ${path} (HTTP ${res.status}) failed verification: ${verified.message}`,
          ...withId,
        };

      const text = Buffer.from(raw).toString('utf8');
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        return {
          ok: false,
          kind: 'unknown',
          code: 'MALFORMED_RESPONSE',
          message: `the answer to ${method} ${path} (HTTP ${res.status}) is not JSON`,
          ...withId,
        };
      }
      if (res.status >= 200 && res.status < 300)
        return { ok: true, status: res.status, body: json, ...withId };

      const error = WireError.safeParse(json);
      const code = error.success ? error.data.code : `HTTP_${res.status}`;
      const message = scrub(
        `WeChat Pay answered ${method} ${path} with HTTP ${res.status} ${code}` +
          (error.success && error.data.message ? `: ${error.data.message}` : ''),
      );
      if (res.status >= 500)
        return { ok: false, kind: 'unknown', code: 'SERVER_ERROR', message, ...withId };
      if (res.status === 429)
        return { ok: false, kind: 'unknown', code: 'RATE_LIMITED', message, ...withId };
      if (res.status < 400)
        return { ok: false, kind: 'unknown', code: 'MALFORMED_RESPONSE', message, ...withId };
      const kind = res.status === 404 && NOT_FOUND_CODES.has(code) ? 'not_found' : 'refused';
      return { ok: false, kind, code, message, status: res.status, ...withId };
    },
  };
}
