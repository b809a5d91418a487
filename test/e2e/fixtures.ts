import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { serveRenderer, type StaticServer } from '../../scripts/static-server';
import {
  startWechatPaySimulator,
  type WechatPaySimulator,
} from '../../server/payments/simulator/index';
import {
  readDemo,
  startServerProcess,
  type DemoData,
  type ServerProcess,
} from '../helpers/app-server-process';
import { freePort } from '../helpers/free-port';

/** One spec file's world: a fresh sync server (own data dir, port 0) and the built app. */
export interface AppEnv {
  server: ServerProcess;
  app: StaticServer;
  demo: DemoData;
  dataDir: string;
  /** The WeChat Pay simulator the server pays through, when the world was asked for payments. */
  sim: WechatPaySimulator | null;
  /** Restarts the server on the same data dir and port (the app keeps its address). */
  restart(): Promise<void>;
}

const REPO = join(import.meta.dirname, '..', '..');

/**
 * Starts the server and the static app before the file's tests and stops them after. With
 * `payments`, a WeChat Pay simulator is started too and the server is configured to pay through
 * it (its notifications come back to the server's own notify route). `serverArgs` are added to
 * the server's command line (e.g. a low `--approval-limit-fen`).
 */
export function useAppEnv(
  options: { readonly payments?: boolean; readonly serverArgs?: readonly string[] } = {},
): () => AppEnv {
  let env: AppEnv | null = null;
  base.beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-e2e-'));
    let sim: WechatPaySimulator | null = null;
    let port = 0;
    const args: string[] = [...(options.serverArgs ?? [])];
    if (options.payments) {
      // Retried for ~40 s: a notification sent while a test has the server down still arrives.
      sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [2_000, 5_000, 10_000, 20_000] });
      port = await freePort();
      const file = join(dataDir, 'wechatpay.json');
      const config = sim.merchantConfig({
        notifyUrl: `http://127.0.0.1:${port}/v1/payments/wechat/notify`,
      });
      await writeFile(file, JSON.stringify(config), { mode: 0o600 });
      args.push('--wechatpay-config', file);
    }
    const server = await startServerProcess(dataDir, port, args);
    const app = await serveRenderer({
      root: join(REPO, 'dist', 'renderer'),
      serverUrl: server.url,
    });
    const e: AppEnv = {
      server,
      app,
      demo: await readDemo(dataDir),
      dataDir,
      sim,
      restart: async () => {
        const at = Number(new URL(e.server.url).port);
        if (e.server.child.exitCode === null && e.server.child.signalCode === null)
          await e.server.stop();
        e.server = await startServerProcess(dataDir, at, args);
      },
    };
    env = e;
  });
  base.afterAll(async () => {
    if (!env) return;
    if (env.server.child.exitCode === null && env.server.child.signalCode === null)
      await env.server.stop();
    await env.app.close();
    await env.sim?.close();
    await rm(env.dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!env) throw new Error('the app environment is not started');
    return env;
  };
}

export const test = base;
export { expect };

/**
 * Pairs a fresh browser context with a store's one-time code and logs its cashier in.
 * `query` goes on the app's address (e.g. `?deviceHost=ws://…`).
 */
export async function pairAndLogin(
  page: Page,
  env: AppEnv,
  storeIndex = 0,
  query = '',
): Promise<{ storeId: string }> {
  const pairing = env.demo.pairingCodes[storeIndex];
  if (!pairing) throw new Error(`demo.json has no pairing code #${storeIndex}`);
  const cashier = env.demo.cashiers.find((c) => c.storeId === pairing.storeId);
  if (!cashier) throw new Error(`demo.json has no cashier for ${pairing.storeId}`);
  await page.goto(`${env.app.url}${query}`);
  await page.getByTestId('pair-code').fill(pairing.code);
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('login-pin').fill(cashier.pin);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('status-bar')).toBeVisible();
  return { storeId: pairing.storeId };
}

/** Types a code the way a keyboard-wedge scanner does: a burst of keys a few ms apart, then Enter. */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  await page.evaluate((code) => {
    for (const key of [...code, 'Enter'])
      window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, text);
}

/** Waits until the result panel shows a new result for `code`, and returns it. */
export async function resultFor(page: Page, code: string) {
  const result = page.locator(`[data-testid="result"][data-code="${code}"]`);
  await expect(result).toBeVisible();
  return result;
}

/** Signs demo manager #`index` in to the console (0: the chain manager, 1: sh-001's store manager). */
export async function signInConsole(page: Page, e: AppEnv, index: number): Promise<void> {
  const m = e.demo.managers[index];
  if (!m) throw new Error(`the demo has no manager #${index}`);
  await page.goto(`${e.server.url}/manager/`);
  await page.locator('input[name="username"]').fill(m.username);
  await page.locator('input[name="password"]').fill(m.password);
  await page.getByRole('button', { name: /登录|Sign in/ }).click();
  await expect(page.locator('.top .who')).toBeVisible();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(REPO, 'test-results', 'screens', `${name}.png`) });
}
