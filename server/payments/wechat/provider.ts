import { defaultRandom, type RandomBytes } from '../ids';
import type { PaymentProvider } from '../provider';
import type { WechatPayConfig } from './config';
import { createWechatHttp, type PaymentLog } from './http-client';
import { parseWechatNotification, type ReplayGuard } from './notification';
import { orderEndpoints } from './orders';
import { refundEndpoints } from './refunds';

export interface WechatPayDeps {
  /** Defaults to the global fetch (undici). */
  readonly fetch?: typeof globalThis.fetch;
  readonly clock?: () => Date;
  readonly random?: RandomBytes;
  readonly log?: PaymentLog;
  /** Refuses a signed notification delivered twice; see ReplayGuard. */
  readonly replayGuard?: ReplayGuard;
}

/** The PaymentProvider for a direct merchant on WeChat Pay API v3, on node:crypto and fetch only. */
export function createWechatPayV3Provider(
  config: WechatPayConfig,
  deps: WechatPayDeps = {},
): PaymentProvider {
  const clock = deps.clock ?? (() => new Date());
  const http = createWechatHttp(config, {
    fetch: deps.fetch ?? globalThis.fetch,
    clock,
    random: deps.random ?? defaultRandom,
    ...(deps.log !== undefined && { log: deps.log }),
  });
  return {
    ...orderEndpoints(config, http),
    ...refundEndpoints(config, http),
    parseNotification: (input) =>
      parseWechatNotification(input, {
        keyring: config.keyring,
        apiV3Key: config.apiV3Key.reveal(),
        nowMs: clock().getTime(),
        ...(deps.replayGuard !== undefined && { replayGuard: deps.replayGuard }),
      }),
  };
}
