import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { SerialPort } from 'serialport';
import { closePeer, openPeer, writePeer } from '../devices/fixtures';
import { startDeviceHostProcess, type DeviceHostProcess } from '../helpers/app-device-host';
import { printedLines, tokenize } from '../sim/escposTokenizer';
import { PrinterSim } from '../sim/printerSim';
import { PtyPair } from '../sim/ptyPair';
import {
  expect,
  pairAndLogin,
  resultFor,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
} from './fixtures';

/**
 * Browser mode with real counter hardware stand-ins: the device host runs as its own process, a
 * socat pty pair plays a serial scanner and another a serial receipt printer, and the cashier
 * sets both up on the Devices tab like a store manager would.
 */
const env = useAppEnv();

let settingsDir = '';
let host: DeviceHostProcess | null = null;
const scannerPty = new PtyPair();
const printerPty = new PtyPair();
let scanner: SerialPort | null = null;
let printerPeer: SerialPort | null = null;
let printer: PrinterSim | null = null;

test.beforeAll(async () => {
  await scannerPty.plug();
  await printerPty.plug();
  scanner = await openPeer(scannerPty.peerPath);
  const peer = await openPeer(printerPty.peerPath);
  const sim = new PrinterSim((bytes) => void peer.write(Buffer.from(bytes)));
  peer.on('data', (chunk: Buffer) => sim.receive(chunk));
  printerPeer = peer;
  printer = sim;
  settingsDir = await mkdtemp(join(tmpdir(), 'tillpoint-e2e-devices-'));
  host = await startDeviceHostProcess(settingsDir);
});

test.afterAll(async () => {
  await host?.stop();
  if (scanner) await closePeer(scanner);
  if (printerPeer) await closePeer(printerPeer);
  await scannerPty.unplug();
  await printerPty.unplug();
  if (settingsDir) await rm(settingsDir, { recursive: true, force: true });
});

const deviceHostQuery = (): string => {
  if (!host) throw new Error('the device host is not started');
  return `?deviceHost=${encodeURIComponent(host.url)}`;
};

/** Adds a serial device on the Devices tab, the way a manager does, and waits until it is online. */
async function addSerialDevice(
  page: Page,
  kind: 'serial_scanner' | 'serial_printer',
  name: string,
  path: string,
): Promise<void> {
  await page.keyboard.press('F4');
  await expect(page.getByTestId('devices-screen')).toHaveAttribute('data-host', 'ready');
  await page.locator(`input[name="kind"][value="${kind}"]`).check();
  await page.getByTestId('field-name').fill(name);
  await page.getByTestId('field-path').fill(path);
  await page.getByTestId('save-device').click();
  const row = page.getByTestId('device-row').filter({ hasText: name });
  await expect(row).toHaveAttribute('data-state', 'online');
}

const cashCodes = (): readonly string[] => {
  const cash = env().demo.batches.find((b) => b.kind === 'cash');
  const codes = cash ? env().demo.codes[cash.id] : undefined;
  if (!codes || codes.length < 3) throw new Error('demo data lacks cash voucher codes');
  return codes;
};

test('a voucher scanned on the serial scanner is redeemed on screen, and the same code again is refused', async ({
  page,
}) => {
  const [code] = cashCodes();
  if (!code || !scanner) throw new Error('set-up incomplete');
  await pairAndLogin(page, env(), 0, deviceHostQuery());
  await addSerialDevice(page, 'serial_scanner', '前台扫码枪', scannerPty.devicePath);

  await page.keyboard.press('F2');
  await expect(page.getByTestId('quick-screen')).toBeVisible();
  // A QR code as a scanner configured to send AIM identifiers and CR reads it.
  await writePeer(scanner, `]Q1${code}\r`);
  const first = await resultFor(page, code);
  await expect(first).toHaveAttribute('data-result', 'accepted');

  await writePeer(scanner, `]Q1${code}\r`);
  const again = page.locator(`[data-testid="result"][data-code="${code}"][data-result="refused"]`);
  await expect(again).toBeVisible();
  await expect(again).toHaveAttribute('data-reason', 'ALREADY_REDEEMED');
  await expect(again).toContainText(/\S/);

  // On the Devices tab a scan only shows as the last scan: it redeems nothing there.
  await page.keyboard.press('F4');
  const row = page.getByTestId('device-row').filter({ hasText: '前台扫码枪' });
  await expect(row).toHaveAttribute('data-state', 'online');
  await expect(page.getByTestId('last-scan')).toHaveAttribute('data-value', code);
  await expect(page.getByTestId('last-scan')).toContainText(']Q1');
  await writePeer(scanner, ']E06901234567892\r');
  await expect(page.getByTestId('last-scan')).toHaveAttribute('data-value', '6901234567892');
  await screenshot(page, 'devices');

  await page.keyboard.press('F3');
  await expect(
    page.locator(`[data-testid="queue-row"][data-code="${code}"][data-state="synced"]`),
  ).toHaveCount(1);
  // The product barcode scanned on the Devices tab did not reach the cart.
  await page.keyboard.press('F1');
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
});

test('a finished sale shows its receipt, prints once on the default printer, and refuses in words when the paper is out', async ({
  page,
}) => {
  const [, , code] = cashCodes();
  const product = env().demo.products[0];
  if (!code || !product || !printer) throw new Error('set-up incomplete');
  await pairAndLogin(page, env(), 1, deviceHostQuery());
  await addSerialDevice(page, 'serial_printer', '收银台打印机', printerPty.devicePath);
  await expect(page.getByTestId('device-row').filter({ hasText: '收银台打印机' })).toContainText(
    '默认打印机',
  );

  await page.keyboard.press('F1');
  await wedgeScan(page, product.barcode);
  await wedgeScan(page, code);
  await expect(page.locator(`[data-testid="voucher"][data-code="${code}"]`)).toHaveAttribute(
    'data-state',
    'applied',
  );
  await page.getByTestId('pay').click();
  await page.getByTestId('cash-input').fill('100');
  await page.getByTestId('complete-sale').click();
  await expect(page.getByTestId('sale-done')).toBeVisible();

  const panel = page.getByTestId('receipt-panel');
  const preview = panel.getByTestId('receipt-preview');
  await expect(preview).toBeVisible();
  await expect(preview).toHaveAttribute('data-columns', '48');
  await expect(preview).toContainText(product.name);
  await expect(panel.getByTestId('receipt-pending')).toHaveCount(0);
  await expect(panel.getByTestId('receipt-reprint')).toHaveCount(0);

  const before = printer.printed().length;
  await panel.getByTestId('print-receipt').click();
  await expect(panel.getByTestId('print-result')).toHaveAttribute('data-outcome', 'printed');
  // A tall window, so the whole strip of paper is in the picture.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await screenshot(page, 'receipt-preview');
  await page.setViewportSize({ width: 1280, height: 800 });
  const tokens = tokenize(printer.printed().subarray(before));
  const qr = tokens.find((t) => t.type === 'qr_store');
  const saleId = await preview.locator('svg[data-qr]').getAttribute('data-qr');
  expect(qr).toEqual({ type: 'qr_store', data: saleId });
  expect(printedLines(tokens).join('\n')).toContain(product.name);
  expect(tokens.filter((t) => t.type === 'drawer')).toHaveLength(1);

  // A second press reuses the receipt's job: nothing more goes on paper.
  const printedOnce = printer.printed().length;
  await panel.getByTestId('print-receipt').click();
  await expect(panel.getByTestId('print-result')).toHaveAttribute('data-outcome', 'duplicate');
  expect(printer.printed().length).toBe(printedOnce);

  // A reprint from the queue view carries the reprint mark; with no paper it is refused in words.
  printer.status = { ...printer.status, paperEnd: true };
  await page.keyboard.press('F3');
  await page
    .locator(`[data-testid="queue-row"][data-code="${code}"]`)
    .getByTestId('queue-receipt')
    .click();
  const reprint = page.getByTestId('reprint');
  await expect(reprint.getByTestId('receipt-reprint')).toBeVisible();
  await expect(reprint.getByTestId('receipt-preview')).toContainText(product.name);
  await reprint.getByTestId('print-receipt').click();
  const refused = reprint.getByTestId('print-result');
  await expect(refused).toHaveAttribute('data-code', 'PAPER_END');
  await expect(refused).toContainText('缺纸');
  await screenshot(page, 'receipt-reprint');
  expect(printer.printed().length).toBe(printedOnce);
  printer.status = { ...printer.status, paperEnd: false };
});

test('without a device host the Devices tab says so, and keyboard-wedge scanning still redeems', async ({
  page,
}) => {
  const [, code] = cashCodes();
  if (!code) throw new Error('set-up incomplete');
  await pairAndLogin(page, env(), 2);
  await page.keyboard.press('F4');
  const problem = page.getByTestId('device-problem');
  await expect(problem).toHaveAttribute('data-code', 'DEVICE_HOST_UNAVAILABLE');
  await expect(problem).toContainText('No device connection is configured');
  await screenshot(page, 'devices-no-host');

  await page.keyboard.press('F2');
  await wedgeScan(page, code);
  await expect(await resultFor(page, code)).toHaveAttribute('data-result', 'accepted');
});
