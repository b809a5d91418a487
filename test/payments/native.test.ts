import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newOutTradeNo } from '../../server/payments/ids';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { aNativeOrder, delivery, startWorld, testClock, type World } from './helpers';

let world: World;
afterEach(async () => {
  await world.close();
});

describe('Native orders against the simulator', () => {
  it('creates an order and returns its code_url', async () => {
    world = await startWorld();
    const r = await world.provider.createNative(aNativeOrder());
    expect(r.ok && r.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  });

  it('sends time_expire as RFC 3339 in +08:00 and the order fields WeChat expects', async () => {
    world = await startWorld();
    const order = aNativeOrder({ expiresAt: new Date('2030-01-01T00:00:00.000Z') });
    const seen: string[] = [];
    const provider = createWechatPayV3Provider(world.config, {
      clock: world.time.clock,
      fetch: async (input, init) => {
        seen.push(String(init?.body));
        return fetch(input, init);
      },
    });
    expect((await provider.createNative(order)).ok).toBe(true);
    const body = JSON.parse(seen[0] ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      out_trade_no: order.outTradeNo,
      time_expire: '2030-01-01T08:00:00+08:00',
      notify_url: world.receiver.url,
      amount: { total: 2_500, currency: 'CNY' },
      scene_info: { payer_client_ip: '127.0.0.1', store_info: { id: 'store-1' } },
    });
  });

  it('reports the order paid, with its vouchers, after the customer scans and pays', async () => {
    world = await startWorld();
    const order = aNativeOrder();
    const created = await world.provider.createNative(order);
    if (!created.ok) throw new Error(created.message);
    const paid = world.sim.control.scan(created.codeUrl, {
      vouchers: [{ amount: 500, stock_id: '9865000', coupon_id: 'C1', wechatpay_contribute: 100 }],
    });
    expect(paid.ok).toBe(true);

    const q = await world.provider.query(order.outTradeNo);
    expect(q.ok && q.transaction).toMatchObject({
      state: 'paid',
      total: 2_500,
      payerTotal: 2_000,
      vouchers: [
        {
          couponId: 'C1',
          stockId: '9865000',
          amount: 500,
          wechatpayContribute: 100,
          merchantContribute: 400,
          otherContribute: 0,
        },
      ],
    });
  });

  it('delivers a TRANSACTION.SUCCESS notification that our parser accepts', async () => {
    world = await startWorld();
    const order = aNativeOrder();
    expect((await world.provider.createNative(order)).ok).toBe(true);
    world.sim.control.payNative(order.outTradeNo, { vouchers: [{ amount: 300, stock_id: 'S-1' }] });
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
    const parsed = world.provider.parseNotification(delivery(world.receiver));
    expect(parsed).toMatchObject({
      ok: true,
      event: 'TRANSACTION.SUCCESS',
      transaction: { outTradeNo: order.outTradeNo, state: 'paid', payerTotal: 2_200 },
    });
    if (parsed.ok && parsed.event === 'TRANSACTION.SUCCESS')
      expect(parsed.transaction.vouchers[0]).toMatchObject({ stockId: 'S-1', amount: 300 });
  });

  it('closes an unpaid order, and closing it again is fine', async () => {
    world = await startWorld();
    const order = aNativeOrder();
    await world.provider.createNative(order);
    expect(await world.provider.close(order.outTradeNo)).toEqual({ ok: true });
    expect(await world.provider.close(order.outTradeNo)).toEqual({ ok: true });
    const q = await world.provider.query(order.outTradeNo);
    expect(q.ok && q.transaction.state).toBe('closed');
    expect(world.sim.control.payNative(order.outTradeNo).ok).toBe(false);
  });

  it('refuses to close a paid order', async () => {
    world = await startWorld();
    const order = aNativeOrder();
    await world.provider.createNative(order);
    world.sim.control.payNative(order.outTradeNo);
    expect(await world.provider.close(order.outTradeNo)).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'ORDERPAID',
    });
  });

  it('answers not_found for an order WeChat never saw', async () => {
    world = await startWorld();
    expect(await world.provider.query(newOutTradeNo())).toMatchObject({
      ok: false,
      kind: 'not_found',
      code: 'ORDER_NOT_EXIST',
    });
  });

  it('gets 401 SIGN_ERROR when our request is signed with another key', async () => {
    world = await startWorld();
    const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cfg = parseWechatPayConfig(
      world.sim.merchantConfig({ notifyUrl: world.receiver.url, privateKey: wrongKey }),
    );
    if (!cfg.ok) throw new Error(cfg.message);
    const provider = createWechatPayV3Provider(cfg.value, { clock: world.time.clock });
    expect(await provider.createNative(aNativeOrder())).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'SIGN_ERROR',
      status: 401,
    });
  });

  it('treats an answer whose signature does not verify as unknown, never as a success', async () => {
    world = await startWorld();
    world.sim.control.addFault({ path: '/v3/pay/transactions/native', mode: 'bad_signature' });
    expect(await world.provider.createNative(aNativeOrder())).toMatchObject({
      ok: false,
      kind: 'unknown',
      code: 'UNVERIFIABLE_RESPONSE',
    });
  });

  it('treats an unsigned answer as unknown', async () => {
    world = await startWorld();
    const order = aNativeOrder();
    await world.provider.createNative(order);
    world.sim.control.addFault({ path: '/v3/pay/transactions/out-trade-no/', mode: 'unsigned' });
    expect(await world.provider.query(order.outTradeNo)).toMatchObject({
      ok: false,
      kind: 'unknown',
      code: 'UNVERIFIABLE_RESPONSE',
    });
  });

  it.each([
    [4, true],
    [6, false],
  ])('accepts an answer from a clock %i minutes ahead: %s', async (minutes, accepted) => {
    const time = testClock();
    world = await startWorld({
      sim: { clock: () => new Date(time.clock().getTime() + minutes * 60_000) },
    });
    const r = await world.provider.createNative(aNativeOrder());
    if (accepted) expect(r.ok).toBe(true);
    // The simulator refuses our request as stale too, but that answer fails our check first.
    else expect(r).toMatchObject({ ok: false, kind: 'unknown', code: 'UNVERIFIABLE_RESPONSE' });
  });

  it('treats a dropped connection as unknown, and the order is there when queried', async () => {
    world = await startWorld();
    const order = aNativeOrder();
    world.sim.control.addFault({ path: '/v3/pay/transactions/native', mode: 'drop_after' });
    expect(await world.provider.createNative(order)).toMatchObject({
      ok: false,
      kind: 'unknown',
      code: 'NETWORK_ERROR',
    });
    const q = await world.provider.query(order.outTradeNo);
    expect(q.ok && q.transaction.state).toBe('unpaid');
  });

  it('refuses bad input without sending anything', async () => {
    world = await startWorld();
    const r = await world.provider.createNative(aNativeOrder({ outTradeNo: 'bad no!' as never }));
    expect(r).toMatchObject({ ok: false, kind: 'invalid', code: 'INVALID_INPUT' });
    expect(world.sim.control.order('bad no!')).toBeUndefined();
  });
});

describe('WeChat Pay keys: public key, platform certificate, or both', () => {
  it.each(['public-key', 'platform-certificate', 'both'] as const)(
    'verifies answers with only the %s configured',
    async (keyMode) => {
      world = await startWorld({ keyMode });
      expect((await world.provider.createNative(aNativeOrder())).ok).toBe(true);
    },
  );

  it('accepts notifications signed with either key during a migration', async () => {
    world = await startWorld({ keyMode: 'both' });
    for (const signWith of ['platform-certificate', 'public-key'] as const) {
      world.sim.control.setSignWith(signWith);
      const order = aNativeOrder();
      await world.provider.createNative(order);
      world.sim.control.payNative(order.outTradeNo);
    }
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(2));
    const serials = world.receiver.received.map((n) => n.headers['wechatpay-serial']);
    expect(serials).toEqual([world.sim.keys.platformSerial, world.sim.keys.publicKeyId]);
    for (const n of world.receiver.received)
      expect(world.provider.parseNotification({ headers: n.headers, rawBody: n.body }).ok).toBe(
        true,
      );
  });

  it('refuses a notification signed by a key it is not configured with', async () => {
    world = await startWorld({ keyMode: 'public-key' });
    world.sim.control.setSignWith('platform-certificate');
    const order = aNativeOrder();
    await world.provider.createNative(order);
    world.sim.control.payNative(order.outTradeNo);
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
    expect(world.provider.parseNotification(delivery(world.receiver))).toMatchObject({
      ok: false,
      code: 'UNKNOWN_SERIAL',
    });
  });
});
