/**
 * npm run bench -- devices
 * - scan latency: last byte written to a socat pty -> `scan` event (serial scanner, real port).
 * - receipt encoding: layout + ESC/POS for an 80 mm receipt with 30 lines and a QR code.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DeviceConfig } from '../core/devices/config';
import { Receipt } from '../core/receipt/model';
import { layoutReceipt } from '../core/receipt/layout';
import { encodeReceipt } from '../native/escpos/receipt';
import { SerialScanner } from '../native/scanners/serialScanner';
import { quantile, report } from './report';

async function scanLatency(count: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-'));
  const device = join(dir, 'device');
  const peer = join(dir, 'peer');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${peer}`], {
    stdio: 'ignore',
  });
  while (!(existsSync(device) && existsSync(peer))) await new Promise((r) => setTimeout(r, 10));

  let onScan: (() => void) | null = null;
  const scanner = new SerialScanner(
    DeviceConfig.parse({
      id: 'bench-scanner',
      name: 'Bench scanner',
      kind: 'serial_scanner',
      line: { path: device, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
      frameTimeoutMs: 50,
    }) as Extract<DeviceConfig, { kind: 'serial_scanner' }>,
    { onScan: () => onScan?.(), onState: () => undefined, now: () => new Date() },
  );
  await scanner.open();
  const fd = openSync(peer, 'w');
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const frame = Buffer.from(`]E0690${String(1_000_000 + i)}\r`);
    const got = new Promise<number>((resolve) => {
      onScan = () => resolve(performance.now());
    });
    writeSync(fd, frame);
    const written = performance.now();
    samples.push((await got) - written);
    await new Promise((r) => setTimeout(r, 2));
  }
  closeSync(fd);
  await scanner.close();
  socat.kill('SIGTERM');
  return samples;
}

function encodeTimes(runs: number): number[] {
  const receipt = Receipt.parse({
    saleId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    locale: 'zh-CN',
    store: {
      id: 'sh-001',
      name: '上海静安店',
      address: '上海市静安区南京西路1788号',
      phone: '021-55550101',
      timeZone: 'Asia/Shanghai',
    },
    terminalId: 'T1',
    terminalName: '1号收银台',
    cashier: '王小明',
    at: '2026-11-22T05:05:07.000Z',
    lines: Array.from({ length: 30 }, (_, i) => ({
      name: `商品${i + 1} 拿铁咖啡 大杯`,
      quantity: 1 + (i % 3),
      unitPriceFen: 1000 + i * 10,
      amountFen: (1000 + i * 10) * (1 + (i % 3)),
    })),
    vouchers: [{ code: 'TP-8F3K-29QZ', name: '满100减20', discountFen: 2000, pendingSync: true }],
    totals: { subtotalFen: 100000, discountFen: 2000, totalFen: 98000 },
    tenders: [{ kind: 'wechat_pay', amountFen: 98000, reference: '4200001234202611220001' }],
    changeFen: 0,
    pendingSync: true,
    reprintedAt: null,
    footer: ['谢谢惠顾 欢迎再来'],
  });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    encodeReceipt(layoutReceipt(receipt, 48), { cut: true, openDrawer: true });
    times.push(performance.now() - start);
  }
  return times;
}

encodeTimes(200); // warm-up: JIT and iconv tables
const encode = encodeTimes(1_000);
report('devices.receipt_encode.median_ms', quantile(encode, 0.5), 'ms');

const scans = await scanLatency(300);
report('devices.scan_pty.p50_ms', quantile(scans, 0.5), 'ms');
report('devices.scan_pty.p95_ms', quantile(scans, 0.95), 'ms');
