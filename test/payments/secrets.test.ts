import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settleCodePayment } from '../../server/payments/code-payment';
import { newOutRefundNo } from '../../server/payments/ids';
import { parseWechatPayConfig, wechatPayConfigFromEnv } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { fen } from '../../core/money';
import { aCodePayment, aNativeOrder, delivery, memoryLog, startWorld, type World } from './helpers';

let world: World;
afterEach(async () => {
  await world.close();
});

/** Every secret text of the world's merchant, including a line from inside each PEM. */
function secretsOf(w: World): string[] {
  const k = w.sim.keys;
  const pemLine = (pem: string): string => pem.split('\n')[3] ?? pem;
  return [
    k.mchid,
    k.appid,
    k.merchantSerial,
    k.apiV3Key,
    pemLine(k.merchantPrivateKeyPem ?? ''),
    pemLine(k.publicKeyPem),
  ];
}

function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const s of secrets) expect(text).not.toContain(s);
}

describe('merchant secrets never reach logs, errors or answers', () => {
  it('keeps them out of every log line and result of a full day of payments', async () => {
    const { log, lines } = memoryLog();
    world = await startWorld({ deps: { log } });
    const results: unknown[] = [];
    const p = createWechatPayV3Provider(world.config, { clock: world.time.clock, log });

    const order = aNativeOrder();
    results.push(await p.createNative(order));
    world.sim.control.payNative(order.outTradeNo, { vouchers: [{ amount: 100 }] });
    results.push(await p.query(order.outTradeNo));
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
    results.push(p.parseNotification(delivery(world.receiver)));
    results.push(
      await p.refund({
        outTradeNo: order.outTradeNo,
        outRefundNo: newOutRefundNo(),
        refund: fen(100),
        total: fen(2_500),
      }),
    );

    world.sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
    results.push(
      await settleCodePayment(p, aCodePayment(), {
        sleep: world.time.sleep,
        clock: world.time.clock,
        log,
      }),
    );
    world.sim.control.addFault({ path: '/v3/pay/transactions/native', mode: 'drop_before' });
    results.push(await p.createNative(aNativeOrder()));
    world.sim.control.addFault({ path: '/v3/pay/transactions/native', mode: 'bad_signature' });
    results.push(await p.createNative(aNativeOrder()));

    expect(lines.length).toBeGreaterThan(5);
    const secrets = secretsOf(world);
    expectNoSecret(lines.join('\n'), secrets);
    expectNoSecret(JSON.stringify(results), secrets);
    expectNoSecret(inspect(results, { depth: 10 }), secrets);
  });

  it('keeps them out of refunds: retried, refused, queried and notified', async () => {
    const { log, lines } = memoryLog();
    world = await startWorld({ deps: { log } });
    const results: unknown[] = [];
    const p = createWechatPayV3Provider(world.config, { clock: world.time.clock, log });
    const order = aNativeOrder();
    results.push(await p.createNative(order));
    world.sim.control.payNative(order.outTradeNo);
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(1));
    const input = {
      outTradeNo: order.outTradeNo,
      outRefundNo: newOutRefundNo(),
      refund: fen(1_000),
      total: fen(2_500),
      reason: '顾客退货',
    };
    world.sim.control.addFault({ path: '/v3/refund/domestic/refunds', mode: 'drop_after' });
    for (let i = 0; i < 3; i++) results.push(await p.refund(input));
    results.push(await p.queryRefund(input.outRefundNo));
    // More than is left: WeChat refuses, verified.
    results.push(await p.refund({ ...input, outRefundNo: newOutRefundNo(), refund: fen(2_000) }));
    await vi.waitFor(() => expect(world.receiver.received).toHaveLength(2));
    results.push(p.parseNotification(delivery(world.receiver, 1)));

    expect(world.sim.control.refunds()).toHaveLength(1);
    expect(results.at(-1)).toMatchObject({ ok: true, event: 'REFUND.SUCCESS' });
    const secrets = secretsOf(world);
    expectNoSecret(lines.join('\n'), secrets);
    expectNoSecret(JSON.stringify(results), secrets);
    expectNoSecret(inspect(results, { depth: 10 }), secrets);
  });

  it('scrubs merchant ids from WeChat error messages that echo them', async () => {
    world = await startWorld();
    const input = world.sim.merchantConfig({ notifyUrl: world.receiver.url });
    const wrong = parseWechatPayConfig({ ...input, appid: 'wx0000000000000bad' });
    if (!wrong.ok) throw new Error(wrong.message);
    const r = await createWechatPayV3Provider(wrong.value, {
      clock: world.time.clock,
    }).createNative(aNativeOrder());
    expect(r).toMatchObject({ ok: false, kind: 'refused', code: 'APPID_MCHID_NOT_MATCH' });
    const message = r.ok ? '' : r.message;
    expect(message).toContain('[redacted]');
    expectNoSecret(message, [...secretsOf(world), 'wx0000000000000bad']);
  });

  it('prints, inspects and serialises the configuration without secrets', async () => {
    world = await startWorld();
    const c = world.config;
    const shown = [
      JSON.stringify(c),
      inspect(c, { depth: 10 }),
      String(c.apiV3Key),
      JSON.stringify({ key: c.apiV3Key, mchid: c.mchid }),
      inspect({ privateKey: c.privateKey, mchid: c.mchid }),
    ].join('\n');
    expectNoSecret(shown, secretsOf(world));
    expect(c.mchid.reveal()).toBe(world.sim.keys.mchid);
  });
});

describe('the configuration loader', () => {
  it('loads from the environment with …_FILE variants for the PEM keys', async () => {
    world = await startWorld();
    const k = world.sim.keys;
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-config-'));
    try {
      writeFileSync(join(dir, 'key.pem'), k.merchantPrivateKeyPem ?? '');
      writeFileSync(join(dir, 'pub.pem'), k.publicKeyPem);
      writeFileSync(join(dir, 'v3.txt'), `${k.apiV3Key}\n`);
      const loaded = wechatPayConfigFromEnv({
        WECHATPAY_MCHID: k.mchid,
        WECHATPAY_APPID: k.appid,
        WECHATPAY_MERCHANT_SERIAL: k.merchantSerial,
        WECHATPAY_PRIVATE_KEY_FILE: join(dir, 'key.pem'),
        WECHATPAY_APIV3_KEY_FILE: join(dir, 'v3.txt'),
        WECHATPAY_PUBLIC_KEY_ID: k.publicKeyId,
        WECHATPAY_PUBLIC_KEY_FILE: join(dir, 'pub.pem'),
        WECHATPAY_NOTIFY_URL: world.receiver.url,
        WECHATPAY_BASE_URL: world.sim.url,
      });
      if (!loaded.ok) throw new Error(loaded.message);
      const r = await createWechatPayV3Provider(loaded.value, {
        clock: world.time.clock,
      }).createNative(aNativeOrder());
      expect(r.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a mchid that is not digits', { mchid: '19-SECRET-VALUE-77' }, 'mchid'],
    ['an APIv3 key of the wrong length', { apiV3Key: 'short-SECRET-VALUE' }, 'apiV3Key'],
    ['a private key that is not PEM', { privateKey: 'NOT-A-PEM-SECRET-VALUE' }, 'privateKey'],
    ['a plain-http notify URL', { notifyUrl: 'http://SECRET-VALUE.example.com/n' }, 'notifyUrl'],
    ['an unknown field', { apiKey: 'SECRET-VALUE' }, 'apiKey'],
  ])('refuses %s, naming the field and not the value', async (_what, change, field) => {
    world = await startWorld();
    const input = { ...world.sim.merchantConfig({ notifyUrl: world.receiver.url }), ...change };
    const r = parseWechatPayConfig(input);
    expect(r).toMatchObject({ ok: false, code: 'CONFIG_INVALID' });
    const message = r.ok ? '' : r.message;
    expect(message).toContain(field);
    expect(message).not.toContain('SECRET-VALUE');
    expectNoSecret(message, secretsOf(world));
  });

  it('refuses a configuration with no WeChat Pay key to verify answers', async () => {
    world = await startWorld();
    const input: Record<string, unknown> = world.sim.merchantConfig({
      notifyUrl: world.receiver.url,
    });
    const r = parseWechatPayConfig(
      Object.fromEntries(
        Object.entries(input).filter(([k]) => !k.startsWith('wechatPayPublicKey')),
      ),
    );
    expect(r.ok || r.message).toMatch(/public key|platformCertificates/);
  });

  it('names a missing key file without reading anything else', async () => {
    world = await startWorld();
    const r = parseWechatPayConfig(
      world.sim.merchantConfig({
        notifyUrl: world.receiver.url,
        privateKeyFile: '/nonexistent/key.pem',
      }),
    );
    expect(r.ok || r.message).toContain('/nonexistent/key.pem');
    expect(r.ok || r.message).toContain('ENOENT');
  });
});
