import { randomBytes, randomUUID } from 'node:crypto';
import { encryptResource } from '../wechat/aead';
import { rfc3339China } from '../wechat/rfc3339';
import { SIGN_TEST_PREFIX } from '../wechat/verifying';
import type { NotifyMode } from './state';

/**
 * Sends notifications as WeChat Pay does (支付/退款结果通知): a POST of the
 * envelope {id, create_time, event_type, resource_type, summary, resource}
 * whose resource is AEAD_AES_256_GCM-encrypted with the APIv3 key, signed
 * like an API answer. Anything but a 2xx within 5 s is a failure and is
 * retried on the schedule (WeChat's is 15s/15s/30s/3m/10m/20m/30m/30m/30m/
 * 60m/3h/3h/3h/6h/6h); each attempt is signed afresh.
 */
export const WECHAT_RETRY_DELAYS_MS = [
  15, 15, 30, 180, 600, 1_200, 1_800, 1_800, 1_800, 3_600, 10_800, 10_800, 10_800, 21_600, 21_600,
].map((s) => s * 1000);

export interface NotificationAttempt {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
}

export interface NotificationRecord {
  readonly id: string;
  readonly eventType: string;
  readonly url: string;
  /** How many deliveries were started (2 when duplicated, 0 when dropped). */
  readonly copies: number;
  readonly attempts: NotificationAttempt[];
  acknowledged: boolean;
}

export interface NotifierDeps {
  readonly clock: () => Date;
  readonly apiV3Key: () => string;
  readonly mode: () => NotifyMode;
  readonly sign: (body: Uint8Array) => Record<string, string>;
  readonly retryDelaysMs: readonly number[];
  readonly fetch: typeof globalThis.fetch;
}

export interface Notifier {
  /** Encrypts `resource`, wraps and sends it to `url` under the current notify mode. */
  send(
    url: string,
    eventType: string,
    summary: string,
    originalType: string,
    resource: object,
  ): string;
  /**
   * Delivers the notifications held back in 'hold' mode, `atOnce` in flight at a time, as they
   * were signed when they were made (a burst arriving together, with WeChat's signing cost spent
   * beforehand: bench/payments.bench.ts times the server, not the simulator). Resolves when each
   * has had its first delivery; failed ones are retried as usual.
   */
  releaseHeld(atOnce: number): Promise<number>;
  /** Sends a WECHATPAY/SIGNTEST/ probe (a deliberately wrong signature) and returns the HTTP status. */
  probe(url: string): Promise<number | string>;
  records(): readonly NotificationRecord[];
  close(): void;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const records: NotificationRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const held: { record: NotificationRecord; body: Buffer; headers: Record<string, string> }[] = [];
  let closed = false;

  async function post(url: string, body: Buffer, headers: Record<string, string>): Promise<number> {
    const res = await deps.fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
        ...headers,
      },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  }

  function deliver(
    record: NotificationRecord,
    body: Buffer,
    attempt: number,
    headers: Record<string, string> = deps.sign(body),
  ): Promise<void> {
    if (closed) return Promise.resolve();
    const at = deps.clock().toISOString();
    return post(record.url, body, headers)
      .then((status) => {
        record.attempts.push({ at, status });
        if (status >= 200 && status < 300) record.acknowledged = true;
        else retry(record, body, attempt);
      })
      .catch((e: unknown) => {
        record.attempts.push({ at, error: e instanceof Error ? e.name : 'error' });
        retry(record, body, attempt);
      });
  }

  function retry(record: NotificationRecord, body: Buffer, attempt: number): void {
    const delay = deps.retryDelaysMs[attempt];
    if (closed || delay === undefined) return;
    const t = setTimeout(() => {
      timers.delete(t);
      void deliver(record, body, attempt + 1);
    }, delay);
    timers.add(t);
  }

  return {
    send(url, eventType, summary, originalType, resource) {
      const nonce = randomBytes(6).toString('hex'); // 12 characters: the GCM IV
      const ciphertext = encryptResource(
        Buffer.from(deps.apiV3Key(), 'utf8'),
        nonce,
        originalType,
        Buffer.from(JSON.stringify(resource), 'utf8'),
      );
      const id = randomUUID();
      const envelope = {
        id,
        create_time: rfc3339China(deps.clock()),
        resource_type: 'encrypt-resource',
        event_type: eventType,
        summary,
        resource: {
          original_type: originalType,
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext,
          associated_data: originalType,
          nonce,
        },
      };
      const body = Buffer.from(JSON.stringify(envelope), 'utf8');
      const mode = deps.mode();
      const copies = mode === 'drop' ? 0 : mode === 'duplicate' ? 2 : 1;
      if (mode === 'hold') {
        const record: NotificationRecord = {
          id,
          eventType,
          url,
          copies: 1,
          attempts: [],
          acknowledged: false,
        };
        records.push(record);
        held.push({ record, body, headers: deps.sign(body) });
        return id;
      }
      const record: NotificationRecord = {
        id,
        eventType,
        url,
        copies,
        attempts: [],
        acknowledged: false,
      };
      records.push(record);
      for (let i = 0; i < copies; i += 1) void deliver(record, body, 0);
      return id;
    },

    async releaseHeld(atOnce) {
      const batch = held.splice(0);
      let next = 0;
      const lane = async (): Promise<void> => {
        for (let h = batch[next++]; h !== undefined; h = batch[next++])
          await deliver(h.record, h.body, 0, h.headers);
      };
      await Promise.all(Array.from({ length: Math.max(1, atOnce) }, lane));
      return batch.length;
    },

    async probe(url) {
      const body = Buffer.from(
        JSON.stringify({ id: randomUUID(), event_type: 'SIGNTEST' }),
        'utf8',
      );
      const headers = deps.sign(body);
      headers['Wechatpay-Signature'] = `${SIGN_TEST_PREFIX}${randomBytes(32).toString('base64')}`;
      try {
        return await post(url, body, headers);
      } catch (e) {
        return e instanceof Error ? e.name : 'error';
      }
    },

    records: () => records,

    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
