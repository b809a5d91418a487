import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WechatPayConfigInput } from '../wechat/config';
import { handleApi } from './api-routes';
import type { SimContext } from './context';
import { createControl, type SimControl } from './control';
import { handleControl } from './control-routes';
import { readBody } from './http-io';
import { generateSimulatorKeys, type MerchantIdentity, type SimulatorKeys } from './keys';
import { createNotifier, WECHAT_RETRY_DELAYS_MS } from './notifier';
import { signatureHeaders } from './signer';
import { createSimState, type SimState } from './state';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The merchant's identity and, to use its own keypair, its public key. */
  readonly merchant?: MerchantIdentity;
  /** The simulator's clock (answers' timestamps, request freshness, expiry). */
  readonly clock?: () => Date;
  /** Which key signs when a request does not ask; default the 微信支付公钥. */
  readonly signWith?: SimState['signWith'];
  /** Notification retry delays; default WeChat's 15 s … 6 h schedule. */
  readonly notifyRetryDelaysMs?: readonly number[];
}

/** Which WeChat Pay keys a merchant configuration trusts. */
export type KeyMode = 'public-key' | 'platform-certificate' | 'both';

export interface WechatPaySimulator {
  /** http://127.0.0.1:PORT — the merchant's baseUrl. */
  readonly url: string;
  readonly keys: SimulatorKeys;
  readonly control: SimControl;
  /**
   * A merchant configuration for parseWechatPayConfig pointing at this
   * simulator (needs the generated merchant key unless `privateKey` is given).
   */
  merchantConfig(options: {
    readonly notifyUrl: string;
    readonly refundNotifyUrl?: string;
    readonly keyMode?: KeyMode;
    readonly privateKey?: string;
    /** Name the key's file instead of inlining it (the CLI writes one). */
    readonly privateKeyFile?: string;
  }): WechatPayConfigInput;
  close(): Promise<void>;
}

/**
 * A local WeChat Pay API v3 for a direct merchant, on 127.0.0.1 by default,
 * with its own keys made now: checks request signatures, signs answers,
 * sends encrypted, signed notifications, and takes "customer" actions on
 * /sim/… (see server/payments/README.md).
 */
export async function startWechatPaySimulator(
  options: SimulatorOptions = {},
): Promise<WechatPaySimulator> {
  const { keys, signing } = generateSimulatorKeys(options.merchant);
  const clock = options.clock ?? (() => new Date());
  const state = createSimState(options.signWith ?? 'public-key');
  const notifier = createNotifier({
    clock,
    apiV3Key: () => keys.apiV3Key,
    mode: () => state.notify,
    // ctx is defined below; the notifier only signs after start-up.
    sign: (body) => signatureHeaders(ctx, body),
    retryDelaysMs: options.notifyRetryDelaysMs ?? WECHAT_RETRY_DELAYS_MS,
    fetch: globalThis.fetch,
  });
  const ctx: SimContext = { keys, signing, state, clock, notifier };
  const control = createControl(ctx);

  const timers = new Set<NodeJS.Timeout>();
  const schedule = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const path = new URL(req.url ?? '/', 'http://simulator').pathname;
        if (path.startsWith('/sim/'))
          return handleControl(control, req.method ?? 'GET', path, body.toString('utf8'), res);
        return handleApi(ctx, req, res, body, schedule);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;

  return {
    url,
    keys,
    control,
    merchantConfig({
      notifyUrl,
      refundNotifyUrl,
      keyMode = 'public-key',
      privateKey,
      privateKeyFile,
    }) {
      const pem = privateKey ?? keys.merchantPrivateKeyPem;
      if (pem === undefined && privateKeyFile === undefined)
        throw new Error('the merchant brought its own key: pass privateKey to merchantConfig');
      const publicKey = keyMode !== 'platform-certificate';
      const platform = keyMode !== 'public-key';
      return {
        mchid: keys.mchid,
        appid: keys.appid,
        merchantSerial: keys.merchantSerial,
        ...(privateKeyFile !== undefined ? { privateKeyFile } : { privateKey: pem }),
        apiV3Key: keys.apiV3Key,
        ...(publicKey && {
          wechatPayPublicKeyId: keys.publicKeyId,
          wechatPayPublicKey: keys.publicKeyPem,
        }),
        ...(platform && {
          platformCertificates: [{ serial: keys.platformSerial, pem: keys.platformPublicKeyPem }],
        }),
        notifyUrl,
        ...(refundNotifyUrl !== undefined && { refundNotifyUrl }),
        baseUrl: url,
      };
    },
    async close() {
      notifier.close();
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
