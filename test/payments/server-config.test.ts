import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentsFromEnvironment } from '../../server/payments/from-environment';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { memoryLog } from './helpers';

let sim: WechatPaySimulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

describe('the server’s WeChat Pay configuration', () => {
  it('is absent when neither a file nor WECHATPAY_* variables are given', () => {
    expect(paymentsFromEnvironment({ PATH: '/usr/bin' }, undefined, memoryLog().log)).toBe(
      undefined,
    );
  });

  it('builds a provider from the JSON file named by WECHATPAY_CONFIG_FILE', async () => {
    sim = await startWechatPaySimulator();
    dir = mkdtempSync(join(tmpdir(), 'tillpoint-wxconf-'));
    const file = join(dir, 'wechatpay.json');
    writeFileSync(file, JSON.stringify(sim.merchantConfig({ notifyUrl: 'http://127.0.0.1:1/n' })));
    const payments = paymentsFromEnvironment(
      { WECHATPAY_CONFIG_FILE: file },
      undefined,
      memoryLog().log,
    );
    expect(typeof payments?.provider).toBe('object');
  });

  it('refuses half a configuration, naming what is wrong and not the values given', () => {
    const key = 'k'.repeat(32);
    expect(() =>
      paymentsFromEnvironment(
        { WECHATPAY_MCHID: '1900000109', WECHATPAY_APIV3_KEY: key },
        undefined,
        memoryLog().log,
      ),
    ).toThrow(/WeChat Pay configuration: .*appid/i);
    let message = 'no error';
    try {
      paymentsFromEnvironment({ WECHATPAY_APIV3_KEY: key }, undefined, memoryLog().log);
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/WeChat Pay configuration: /);
    expect(message).not.toContain(key);
  });
});
