import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { newOutTradeNo } from '../../server/payments/ids';
import { fen } from '../../core/money';
import type {
  CodePayInput,
  NativeOrderInput,
  PaymentProvider,
} from '../../server/payments/provider';
import {
  startWechatPaySimulator,
  type KeyMode,
  type SimulatorOptions,
  type WechatPaySimulator,
} from '../../server/payments/simulator';
import { parseWechatPayConfig, type WechatPayConfig } from '../../server/payments/wechat/config';
import type { PaymentLog } from '../../server/payments/wechat/http-client';
import {
  createWechatPayV3Provider,
  type WechatPayDeps,
} from '../../server/payments/wechat/provider';

/** A notification endpoint on 127.0.0.1 that records every delivery, raw. */
export interface NotifyReceiver {
  readonly url: string;
  readonly received: { readonly headers: IncomingHttpHeaders; readonly body: Buffer }[];
  /** Statuses to answer with, in order; 204 once they run out. */
  answers: number[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<NotifyReceiver> {
  const received: NotifyReceiver['received'] = [];
  const receiver = { answers: [] as number[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const status = receiver.answers.shift() ?? 204;
      res.writeHead(status).end(status >= 300 ? '{"code":"FAIL","message":"失败"}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The n-th notification the receiver got, as parseNotification takes it. */
export function delivery(
  receiver: NotifyReceiver,
  n = 0,
): { readonly headers: IncomingHttpHeaders; readonly rawBody: Buffer } {
  const d = receiver.received[n];
  if (d === undefined) throw new Error(`no notification #${n} was received`);
  return { headers: d.headers, rawBody: d.body };
}

/** A clock the tests move; `sleep` advances it instead of waiting. */
export function testClock(start = Date.now()): {
  clock: () => Date;
  advance(ms: number): void;
  sleep(ms: number): Promise<void>;
} {
  let now = start;
  return {
    clock: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms) => {
      now += ms;
    },
  };
}

/** Every log line written, as text, for checks that nothing secret was logged. */
export function memoryLog(): { log: PaymentLog; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

export interface World {
  readonly sim: WechatPaySimulator;
  readonly receiver: NotifyReceiver;
  readonly config: WechatPayConfig;
  readonly provider: PaymentProvider;
  readonly time: ReturnType<typeof testClock>;
  close(): Promise<void>;
}

/**
 * The simulator, a notification receiver and our provider configured for
 * them, sharing one test clock.
 */
export async function startWorld(
  options: {
    readonly keyMode?: KeyMode;
    readonly sim?: SimulatorOptions;
    readonly deps?: WechatPayDeps;
  } = {},
): Promise<World> {
  const time = testClock();
  const sim = await startWechatPaySimulator({
    clock: time.clock,
    notifyRetryDelaysMs: [20, 20, 20],
    ...options.sim,
  });
  const receiver = await startReceiver();
  const loaded = parseWechatPayConfig(
    sim.merchantConfig({ notifyUrl: receiver.url, keyMode: options.keyMode ?? 'public-key' }),
  );
  if (!loaded.ok) throw new Error(loaded.message);
  const provider = createWechatPayV3Provider(loaded.value, { clock: time.clock, ...options.deps });
  return {
    sim,
    receiver,
    config: loaded.value,
    provider,
    time,
    close: async () => {
      await sim.close();
      await receiver.close();
    },
  };
}

export const aNativeOrder = (overrides: Partial<NativeOrderInput> = {}): NativeOrderInput => ({
  outTradeNo: newOutTradeNo(),
  description: 'Tillpoint 测试门店 - 咖啡',
  amount: fen(2_500),
  expiresAt: new Date(Date.now() + 5 * 60_000),
  payerClientIp: '127.0.0.1',
  storeId: 'store-1',
  ...overrides,
});

export const aCodePayment = (overrides: Partial<CodePayInput> = {}): CodePayInput => ({
  outTradeNo: newOutTradeNo(),
  description: 'Tillpoint 测试门店 - 午餐',
  amount: fen(3_800),
  authCode: '134567890123456789',
  deviceId: 'till-1',
  storeId: 'store-1',
  ...overrides,
});
