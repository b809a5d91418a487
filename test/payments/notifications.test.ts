import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  memoryReplayGuard,
  notificationAnswer,
  parseWechatNotification,
} from '../../server/payments/wechat/notification';
import { signedMessage } from '../../server/payments/wechat/verifying';
import { aNativeOrder, delivery, startWorld, type World } from './helpers';

let world: World;
afterEach(async () => {
  await world.close();
});

/** Pays a fresh Native order and waits for its notification. */
async function paidNotification(): Promise<ReturnType<typeof delivery>> {
  const order = aNativeOrder();
  const created = await world.provider.createNative(order);
  if (!created.ok) throw new Error(created.message);
  world.sim.control.payNative(order.outTradeNo);
  await vi.waitFor(() => expect(world.receiver.received.length).toBeGreaterThan(0));
  return delivery(world.receiver);
}

describe('notifications are refused unless genuine and fresh', () => {
  it('accepts the genuine notification and acknowledges it with 204', async () => {
    world = await startWorld();
    const result = world.provider.parseNotification(await paidNotification());
    expect(result.ok).toBe(true);
    expect(notificationAnswer(result)).toEqual({ status: 204 });
  });

  it('refuses a forged notification signed with another key under WeChat’s serial', async () => {
    world = await startWorld();
    const real = await paidNotification();
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const body = Buffer.from(real.rawBody);
    const ts = String(real.headers['wechatpay-timestamp']);
    const nonce = String(real.headers['wechatpay-nonce']);
    const forged = {
      headers: {
        ...real.headers,
        'wechatpay-signature': sign('sha256', signedMessage(ts, nonce, body), attacker).toString(
          'base64',
        ),
      },
      rawBody: body,
    };
    const result = world.provider.parseNotification(forged);
    expect(result).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    expect(notificationAnswer(result).status).toBe(401);
  });

  it('refuses a notification whose body was altered by one byte', async () => {
    world = await startWorld();
    const real = await paidNotification();
    const altered = Buffer.from(real.rawBody);
    const at = altered.indexOf('"summary"');
    altered[at + 1] = 'S'.charCodeAt(0);
    expect(world.provider.parseNotification({ ...real, rawBody: altered })).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it('refuses the same notification replayed after the 5-minute window', async () => {
    world = await startWorld();
    const real = await paidNotification();
    world.time.advance(5 * 60_000 + 1_000);
    expect(world.provider.parseNotification(real)).toMatchObject({
      ok: false,
      code: 'STALE_TIMESTAMP',
    });
  });

  it('refuses the same signed notification delivered twice when a replay guard is given', async () => {
    world = await startWorld();
    const real = await paidNotification();
    const keys = {
      keyring: world.config.keyring,
      apiV3Key: world.config.apiV3Key.reveal(),
      nowMs: world.time.clock().getTime(),
      replayGuard: memoryReplayGuard(),
    };
    expect(parseWechatNotification(real, keys).ok).toBe(true);
    expect(parseWechatNotification(real, keys)).toMatchObject({ ok: false, code: 'REPLAYED' });
  });

  it('refuses WeChat’s WECHATPAY/SIGNTEST/ probes', async () => {
    world = await startWorld();
    await world.sim.control.probe(world.receiver.url);
    expect(world.provider.parseNotification(delivery(world.receiver))).toMatchObject({
      ok: false,
      code: 'SIGN_TEST_PROBE',
    });
  });

  it('refuses a notification without signature headers', async () => {
    world = await startWorld();
    const real = await paidNotification();
    expect(world.provider.parseNotification({ headers: {}, rawBody: real.rawBody })).toMatchObject({
      ok: false,
      code: 'MISSING_HEADERS',
    });
  });

  it('cannot decrypt a genuine notification with another APIv3 key, and asks WeChat to retry', async () => {
    world = await startWorld();
    const real = await paidNotification();
    const result = parseWechatNotification(real, {
      keyring: world.config.keyring,
      apiV3Key: Buffer.from('0123456789abcdef0123456789abcdef'),
      nowMs: world.time.clock().getTime(),
    });
    expect(result).toMatchObject({ ok: false, code: 'DECRYPT_FAILED' });
    expect(notificationAnswer(result).status).toBe(500);
  });
});

describe('the simulator delivers notifications like WeChat', () => {
  it('retries until the merchant acknowledges', async () => {
    world = await startWorld();
    world.receiver.answers = [500, 503];
    await paidNotification();
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(3));
    await vi.waitFor(() => expect(world.sim.control.notifications()[0]?.acknowledged).toBe(true));
    const attempts = world.sim.control.notifications()[0]?.attempts.map((a) => a.status);
    expect(attempts).toEqual([500, 503, 204]);
    // Each retry is signed afresh, and each still verifies.
    const nonces = new Set(world.receiver.received.map((r) => r.headers['wechatpay-nonce']));
    expect(nonces.size).toBe(3);
    expect(world.provider.parseNotification(delivery(world.receiver, 2)).ok).toBe(true);
  });

  it('drops notifications when told to, leaving the order query as the only evidence', async () => {
    world = await startWorld();
    world.sim.control.setNotifyMode('drop');
    const order = aNativeOrder();
    await world.provider.createNative(order);
    world.sim.control.payNative(order.outTradeNo);
    expect(world.sim.control.notifications()[0]).toMatchObject({ copies: 0, attempts: [] });
    const q = await world.provider.query(order.outTradeNo);
    expect(q.ok && q.transaction.state).toBe('paid');
    expect(world.receiver.received).toHaveLength(0);
  });

  it('duplicates notifications when told to; both carry the same id', async () => {
    world = await startWorld();
    world.sim.control.setNotifyMode('duplicate');
    await paidNotification();
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(2));
    const ids = [0, 1].map((i) => {
      const r = world.provider.parseNotification(delivery(world.receiver, i));
      return r.ok ? r.id : r.code;
    });
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('holds notifications when told to and delivers them together, still verifiable, on release', async () => {
    world = await startWorld();
    world.sim.control.setNotifyMode('hold');
    const orders = [aNativeOrder(), aNativeOrder(), aNativeOrder()];
    for (const order of orders) {
      const created = await world.provider.createNative(order);
      if (!created.ok) throw new Error(created.message);
      world.sim.control.payNative(order.outTradeNo);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(world.receiver.received).toHaveLength(0);
    const res = await fetch(`${world.sim.url}/sim/notifications/release`, {
      method: 'POST',
      body: JSON.stringify({ atOnce: 2 }),
    });
    expect(await res.json()).toEqual({ released: 3 });
    expect(world.receiver.received).toHaveLength(3);
    const paid = world.receiver.received.map((_, i) => {
      const r = world.provider.parseNotification(delivery(world.receiver, i));
      return r.ok && r.event === 'TRANSACTION.SUCCESS' ? r.transaction.outTradeNo : r.ok;
    });
    expect(paid.sort()).toEqual(orders.map((o) => o.outTradeNo).sort());
    expect(await world.sim.control.releaseNotifications(4)).toBe(0);
  });

  it('can be switched by the HTTP control API', async () => {
    world = await startWorld();
    const res = await fetch(`${world.sim.url}/sim/notifications/behaviour`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'drop' }),
    });
    expect(res.status).toBe(200);
    const bad = await fetch(`${world.sim.url}/sim/notifications/behaviour`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'sometimes' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
