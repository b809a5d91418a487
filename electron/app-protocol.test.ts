import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, resolveAppAsset } from './app-protocol';

const ROOT = '/opt/Tillpoint/resources/app.asar/dist/renderer';

describe('the app:// protocol', () => {
  it('serves the renderer files from dist/renderer with their types', () => {
    expect(resolveAppAsset(APP_URL, ROOT)).toEqual({
      path: join(ROOT, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppAsset('app://tillpoint/', ROOT)?.path).toBe(join(ROOT, 'index.html'));
    expect(resolveAppAsset('app://tillpoint/assets/index-x1.js?v=1#/checkout', ROOT)).toEqual({
      path: join(ROOT, 'assets/index-x1.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('never reaches a file outside dist/renderer', () => {
    expect(resolveAppAsset('app://tillpoint/../../../../etc/passwd', ROOT)).toBeNull();
    // The URL parser resolves encoded dot segments itself, at the root.
    expect(resolveAppAsset('app://tillpoint/%2e%2e/%2e%2e/main.js', ROOT)?.path).toBe(
      join(ROOT, 'main.js'),
    );
    expect(resolveAppAsset('app://tillpoint/..%2f..%2fserver%2fcli.js', ROOT)).toBeNull();
    expect(resolveAppAsset('app://tillpoint/x%00.js', ROOT)).toBeNull();
    expect(resolveAppAsset('app://tillpoint/%E0%A4%A', ROOT)).toBeNull();
  });

  it('answers only its own host and the types the renderer ships', () => {
    expect(resolveAppAsset('app://elsewhere/index.html', ROOT)).toBeNull();
    expect(resolveAppAsset('file:///opt/Tillpoint/index.html', ROOT)).toBeNull();
    expect(resolveAppAsset('app://tillpoint/server.db', ROOT)).toBeNull();
  });
});
