import { describe, expect, it } from 'vitest';
import { readLaunchArgument, launchArgument } from '../core/desktop/launch-arg';
import { serverPlan, windowLaunch, windowUrl } from './launch';

describe('the launch configuration main hands each window', () => {
  it('gives the cashier window the server and the device bridge', () => {
    expect(windowLaunch('cashier', 'http://127.0.0.1:43127')).toEqual({
      serverUrl: 'http://127.0.0.1:43127',
      deviceMode: 'ipc',
      deviceHostUrl: null,
      role: 'cashier',
    });
  });

  it('gives the customer display the server and no devices', () => {
    expect(windowLaunch('customer', 'https://pos.chain.example.cn')).toEqual({
      serverUrl: 'https://pos.chain.example.cn',
      deviceMode: 'none',
      deviceHostUrl: null,
      role: 'customer',
    });
  });

  it('reaches the preload intact through the renderer command line', () => {
    const config = windowLaunch('customer', 'http://127.0.0.1:43127');
    expect(readLaunchArgument(['electron', '--type=renderer', launchArgument(config)])).toEqual(
      config,
    );
  });

  it('refuses to hand a window a server address that is not http(s)', () => {
    expect(() => windowLaunch('cashier', 'file:///etc/passwd')).toThrow();
  });

  it('loads one page, with the role in its address for the customer display', () => {
    expect(windowUrl('app://tillpoint/index.html', 'cashier')).toBe('app://tillpoint/index.html');
    expect(windowUrl('app://tillpoint/index.html', 'customer')).toBe(
      'app://tillpoint/index.html?role=customer',
    );
  });
});

describe('which server the app uses', () => {
  it('starts its own bundled server unless a chain server is configured', () => {
    expect(serverPlan({})).toEqual({ ok: true, value: { kind: 'bundled' } });
    expect(serverPlan({ TILLPOINT_CHAIN_URL: '  ' })).toEqual({
      ok: true,
      value: { kind: 'bundled' },
    });
  });

  it('uses the chain server and starts none in chain mode', () => {
    expect(serverPlan({ TILLPOINT_CHAIN_URL: 'https://pos.chain.example.cn' })).toEqual({
      ok: true,
      value: { kind: 'chain', url: 'https://pos.chain.example.cn' },
    });
  });

  it('says so when the chain server address is unusable', () => {
    expect(serverPlan({ TILLPOINT_CHAIN_URL: 'pos.chain.example.cn' })).toMatchObject({
      ok: false,
      code: 'BAD_CHAIN_URL',
    });
  });
});
