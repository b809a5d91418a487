import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import { aNativeOrder } from './helpers';

/**
 * A client written here from the published wire format alone, the way
 * wechatpay-axios-plugin does it (its parameter order in Authorization, its
 * Accept and Content-Type headers, no Wechatpay-Serial), sharing no code with
 * our provider: what an independent client would see.
 */
function independentClient(sim: WechatPaySimulator) {
  const key = createPrivateKey(sim.keys.merchantPrivateKeyPem ?? '');
  const wechatKey = createPublicKey(sim.keys.publicKeyPem);
  return async (method: string, path: string, data?: object, tamper?: (b: string) => string) => {
    const body = data === undefined ? '' : JSON.stringify(data);
    const ts = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const signature = sign(
      'sha256',
      Buffer.from(`${method}\n${path}\n${ts}\n${nonce}\n${body}\n`),
      key,
    ).toString('base64');
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        Accept:
          'application/json, text/plain, application/x-gzip, application/pdf, image/png, image/*;q=0.5',
        'Content-Type': 'application/json; charset=utf-8',
        Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${sim.keys.mchid}",serial_no="${sim.keys.merchantSerial}",timestamp="${ts}",nonce_str="${nonce}",signature="${signature}"`,
      },
      ...(data !== undefined && { body: tamper ? tamper(body) : body }),
    });
    const raw = await res.text();
    const h = (n: string): string => res.headers.get(n) ?? '';
    const verified =
      h('wechatpay-serial') === sim.keys.publicKeyId &&
      verify(
        'sha256',
        Buffer.from(`${h('wechatpay-timestamp')}\n${h('wechatpay-nonce')}\n${raw}\n`),
        wechatKey,
        Buffer.from(h('wechatpay-signature'), 'base64'),
      );
    return {
      status: res.status,
      json: raw === '' ? undefined : (JSON.parse(raw) as Record<string, unknown>),
      verified,
      requestId: h('request-id'),
    };
  };
}

const running: WechatPaySimulator[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
});
async function start(): Promise<WechatPaySimulator> {
  const s = await startWechatPaySimulator();
  running.push(s);
  return s;
}

describe('the simulator speaks the WeChat Pay v3 wire format', () => {
  it('serves an independent client: Native order, payment, query, all answers signed', async () => {
    const sim = await start();
    const call = independentClient(sim);
    const order = {
      appid: sim.keys.appid,
      mchid: sim.keys.mchid,
      description: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: '1217752501201407033233368018',
      time_expire: '2099-06-08T10:34:56+08:00',
      notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
      amount: { total: 100, currency: 'CNY' },
      scene_info: { payer_client_ip: '14.23.150.211', store_info: { id: '0001' } },
    };
    const created = await call('POST', '/v3/pay/transactions/native', order);
    expect(created).toMatchObject({
      status: 200,
      verified: true,
      json: { code_url: expect.any(String) },
    });
    expect(created.requestId).not.toBe('');

    sim.control.setNotifyMode('drop');
    expect(sim.control.scan(String(created.json?.['code_url'])).ok).toBe(true);
    const q = await call(
      'GET',
      `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${sim.keys.mchid}`,
    );
    expect(q).toMatchObject({
      status: 200,
      verified: true,
      json: {
        trade_state: 'SUCCESS',
        trade_type: 'NATIVE',
        amount: { total: 100, payer_total: 100 },
      },
    });
    const closed = await call(
      'POST',
      `/v3/pay/transactions/out-trade-no/${order.out_trade_no}/close`,
      {
        mchid: sim.keys.mchid,
      },
    );
    expect(closed).toMatchObject({ status: 400, verified: true, json: { code: 'ORDERPAID' } });
  });

  it('answers a request whose body changed after signing with a signed 401 SIGN_ERROR', async () => {
    const sim = await start();
    const call = independentClient(sim);
    const r = await call(
      'POST',
      '/v3/pay/transactions/native',
      { appid: sim.keys.appid, mchid: sim.keys.mchid },
      (b) => b.replace('}', ',"amount":{"total":1}}'),
    );
    expect(r).toMatchObject({ status: 401, verified: true, json: { code: 'SIGN_ERROR' } });
    expect(typeof r.json?.['message']).toBe('string');
  });

  it('answers an unsigned request with 401 SIGN_ERROR', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/v3/refund/domestic/refunds/R123456`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('answers PARAM_ERROR naming the field when a required field is missing', async () => {
    const sim = await start();
    const call = independentClient(sim);
    const r = await call('POST', '/v3/pay/transactions/codepay', {
      appid: sim.keys.appid,
      mchid: sim.keys.mchid,
      description: 'x',
      out_trade_no: 'P1234567',
      amount: { total: 1, currency: 'CNY' },
      scene_info: { device_id: 'till-1' },
    });
    expect(r).toMatchObject({ status: 400, verified: true, json: { code: 'PARAM_ERROR' } });
    expect(String(r.json?.['message'])).toContain('payer');
  });
});

describe('the simulator’s fault injection and call log', () => {
  it('spoils a path `times` times over /sim/faults, hangs after the work, and logs every call', async () => {
    const sim = await start();
    const client = independentClient(sim);
    const control = (method: string, path: string, body?: object) =>
      fetch(`${sim.url}${path}`, {
        method,
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as unknown }));
    const order = aNativeOrder();
    const created = await client('POST', '/v3/pay/transactions/native', {
      appid: sim.keys.appid,
      mchid: sim.keys.mchid,
      description: order.description,
      out_trade_no: order.outTradeNo,
      notify_url: 'https://example.com/notify',
      amount: { total: 100, currency: 'CNY' },
    });
    expect(created.status).toBe(200);
    const query = `/v3/pay/transactions/out-trade-no/${order.outTradeNo}?mchid=${sim.keys.mchid}`;
    const faults = await control('POST', '/sim/faults', {
      path: '/v3/pay/transactions/out-trade-no/',
      mode: 'server_error',
      times: 2,
    });
    expect(faults.status).toBe(200);
    expect((await client('GET', query)).status).toBe(500);
    expect((await client('GET', query)).status).toBe(500);
    expect((await client('GET', query)).status).toBe(200);

    await control('POST', '/sim/faults', {
      path: '/v3/pay/transactions/out-trade-no/',
      mode: 'hang_after',
    });
    const hung = await Promise.race([
      client('GET', query).then(
        () => 'answered',
        () => 'cut', // when the simulator closes after the test
      ),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 300)),
    ]);
    expect(hung).toBe('no answer');

    const calls = await control('GET', '/sim/calls');
    expect(calls.status).toBe(200);
    expect(
      (calls.json as { method: string; outcome: unknown }[]).map((c) => [c.method, c.outcome]),
    ).toEqual([
      ['POST', 200],
      ['GET', 500],
      ['GET', 500],
      ['GET', 200],
      ['GET', 'hung'],
    ]);
    expect(sim.control.calls()).toHaveLength(5);
  });
});

describe('the simulator CLI', () => {
  it('starts, writes a merchant configuration our loader accepts, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-sim-cli-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/payments/simulator/cli.ts', '--config-dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (lines.length === 2) resolve();
        });
        void exited.then((code) => reject(new Error(`the CLI exited (${code}) early`)));
      });
      const url = /^WECHATPAY_SIMULATOR_LISTENING (\S+)$/.exec(lines[0] ?? '')?.[1];
      const file = /^WECHATPAY_SIMULATOR_CONFIG (\S+)$/.exec(lines[1] ?? '')?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(file).toBeDefined();
      expect(statSync(file ?? '').mode & 0o077).toBe(0);
      const text = readFileSync(file ?? '', 'utf8');
      expect(text).not.toContain('PRIVATE KEY');
      const config = parseWechatPayConfig(JSON.parse(text));
      if (!config.ok) throw new Error(config.message);
      const r = await createWechatPayV3Provider(config.value).createNative(aNativeOrder());
      expect(r.ok).toBe(true);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
