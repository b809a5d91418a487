import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAppUrl,
  navigationVerdict,
  originOf,
  permissionVerdict,
  windowOpenVerdict,
  withCspMeta,
} from './security';

const directive = (csp: string, name: string): string | undefined =>
  csp
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1);

describe('the content security policy', () => {
  it('lets the page connect to its sync server (HTTP and WebSocket) and nowhere else', () => {
    const csp = contentSecurityPolicy({
      serverUrl: 'http://127.0.0.1:43127/',
      deviceHostUrl: null,
    });
    expect(directive(csp, 'connect-src')).toBe(
      "'self' http://127.0.0.1:43127 ws://127.0.0.1:43127",
    );
    expect(directive(csp, 'default-src')).toBe("'none'");
    expect(directive(csp, 'script-src')).toBe("'self'");
    expect(directive(csp, 'object-src')).toBe("'none'");
  });

  it('admits the chain server over TLS and a device host, by origin only', () => {
    const csp = contentSecurityPolicy({
      serverUrl: 'https://pos.chain.example.cn/api',
      deviceHostUrl: 'ws://127.0.0.1:9000/devices?token=secret',
    });
    expect(directive(csp, 'connect-src')).toBe(
      "'self' https://pos.chain.example.cn wss://pos.chain.example.cn ws://127.0.0.1:9000",
    );
    // The device host's token is a secret of the page's address, never of a header.
    expect(csp).not.toContain('secret');
  });

  it('admits no server at all when none is configured', () => {
    const csp = contentSecurityPolicy({ serverUrl: null, deviceHostUrl: null });
    expect(directive(csp, 'connect-src')).toBe("'self'");
  });

  it('replaces the built page meta with the same policy as the header', () => {
    const html = readFileSync(join(import.meta.dirname, '..', 'renderer', 'index.html'), 'utf8');
    const csp = contentSecurityPolicy({ serverUrl: 'http://127.0.0.1:1', deviceHostUrl: null });
    const served = withCspMeta(html, csp);
    expect(served).toContain(`content="${csp.replace("; frame-ancestors 'none'", '')}"`);
    expect(served).not.toContain('connect-src *');
    expect(() => withCspMeta('<html></html>', csp)).toThrow('no Content-Security-Policy meta');
  });
});

describe('the navigation guard', () => {
  const app = 'app://tillpoint/index.html';

  it('keeps every window on the app page', () => {
    expect(navigationVerdict('app://tillpoint/index.html#/checkout', app)).toBe('allow');
    expect(navigationVerdict('app://tillpoint/index.html?role=customer', app)).toBe('allow');
    expect(navigationVerdict('app://other/index.html', app)).toBe('deny');
    expect(navigationVerdict('https://evil.example/', app)).toBe('deny');
    expect(navigationVerdict('file:///etc/passwd', app)).toBe('deny');
    expect(navigationVerdict('javascript:alert(1)', app)).toBe('deny');
    expect(navigationVerdict('not a url', app)).toBe('deny');
  });

  it('opens no window for the page but the customer display, which main opens itself', () => {
    expect(windowOpenVerdict('app://tillpoint/index.html?role=customer', app)).toBe(
      'customer-display',
    );
    expect(windowOpenVerdict('app://tillpoint/index.html', app)).toBe('deny');
    expect(windowOpenVerdict('https://evil.example/?role=customer', app)).toBe('deny');
    expect(windowOpenVerdict('not a url', app)).toBe('deny');
  });

  it('follows the dev server in development, by origin', () => {
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl(undefined, 'http://localhost:5173/')).toBe(false);
  });

  it('compares app:// origins by scheme and host, which Node reports as "null"', () => {
    expect(new URL('app://tillpoint/').origin).toBe('null');
    expect(originOf('app://tillpoint/index.html')).toBe('app://tillpoint');
    expect(originOf('file:///x')).toBeNull();
  });
});

describe('the permission handlers', () => {
  it('let the page reach its server on loopback or the LAN (the CSP says which)', () => {
    for (const permission of ['local-network-access', 'local-network', 'loopback-network'])
      expect(permissionVerdict(permission)).toBe(true);
  });

  it('grant the page nothing else: devices go through main, a till needs no camera or location', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'hid',
      'serial',
      'usb',
      'clipboard-read',
      'openExternal',
    ])
      expect(permissionVerdict(permission)).toBe(false);
  });
});
