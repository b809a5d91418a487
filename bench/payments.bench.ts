/**
 * `npm run bench -- payments`: the sync server as its own process (SQLite, demo data) taking
 * WeChat Pay through the simulator, which runs in this process on loopback and plays WeChat, the
 * customer and the till:
 *
 * - payments.native_create.p95_ms: POST /v1/payments/native (till request → code_url: the
 *   server's write, its signed call to the simulator, the verified answer, the stored code_url),
 *   one at a time, after the sale is recorded;
 * - payments.notify.ops_per_s: NOTIFY_COUNT Native orders paid, their TRANSACTION.SUCCESS
 *   notifications held by the simulator and then delivered as one burst, NOTIFY_IN_FLIGHT at a
 *   time (signed and encrypted beforehand, so the figure is the server's, not the simulator's);
 *   each is verified, decrypted, de-duplicated and stored as the payment's first confirmation,
 *   and acknowledged: the figure is notifications acknowledged per second over the burst;
 * - payments.notify_settled.ops_per_s: the same burst until every payment is paid, each confirmed
 *   by the server's own order query (a signed call answered and signed by the simulator, in this
 *   process) after its acknowledgement;
 * - payments.sales_push10k.seconds: 10,000 offline sales, each with a voucher (this till's
 *   accepted redemption) and a cash tender, pushed through POST /v1/sales/batch in chunks of 200
 *   one after another, as the till's drainer does after an outage.
 *
 * Every answer is checked; a run where a payment is not paid or a sale not recorded exits non-zero.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { MAX_SALES_PUSH, type SaleRequest, type Tender } from '../core/protocol';
import { saleTotals } from '../core/sales';
import { SQLITE_FILE } from '../server/db/connect';
import { startWechatPaySimulator, type WechatPaySimulator } from '../server/payments/simulator';
import { freePort } from '../test/helpers/free-port';
import { quantile, report } from './report';
import { codeName, prepareChain, type Till } from './server-load';
import { cpuMsOf, json, type ServerProcess } from './server-process';

const CREATE_SAMPLES = 100;
const NOTIFY_COUNT = 3_000;
/** Orders placed at once before the notifications (not timed). */
const PLACE_WAVE = 50;
/** Notifications WeChat has in flight to the server at once during the burst. */
const NOTIFY_IN_FLIGHT = 64;
const PUSH_SALES = 10_000;
const root = join(import.meta.dirname, '..');
const problems: string[] = [];

interface Product {
  sku: string;
  name: string;
  priceFen: number;
}

/**
 * json(), sent again (up to 3 times) when the connection was reset or the server answered 503 —
 * a keep-alive socket closed just as it was reused, here or between the server and the simulator
 * — as the till does. Every call sent here is idempotent (client ids); retries are counted.
 */
let retries = 0;
async function send<T>(url: string, init: { token: string; body: unknown }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await json<T>(url, init);
    } catch (e) {
      const again = e instanceof TypeError || (e instanceof Error && e.message.includes('→ 503'));
      if (!again || attempt === 3) throw e;
      retries += 1;
    }
  }
}

/** server/cli.ts with the simulator's merchant configuration, as `npm start` runs it. */
async function startServer(
  dataDir: string,
  port: number,
  configFile: string,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'server/cli.ts'),
      '--demo',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--wechatpay-config',
      configFile,
    ],
    { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^TILLPOINT_SERVER_LISTENING (\S+)$/.exec(line);
      if (m?.[1])
        resolve({
          url: m[1],
          cpuMs: () => cpuMsOf(child.pid),
          stop: () => (child.kill('SIGTERM'), exited),
        });
    });
    void exited.then(() => reject(new Error('the server exited before listening')));
  });
}

function cartOf(product: Product, quantity: number): SaleRequest['cart'] {
  return {
    lines: [
      {
        lineId: 'l1',
        sku: product.sku,
        category: 'bench',
        name: product.name,
        unitPriceFen: product.priceFen,
        quantity,
      },
    ],
    memberDiscountApplied: false,
    memberTier: null,
    customerId: null,
  } as unknown as SaleRequest['cart'];
}

function sale(
  till: Till,
  cart: SaleRequest['cart'],
  discounts: number[],
  redemptionIds: string[],
  tenders: Tender[],
  offline: boolean,
): SaleRequest {
  return {
    id: uuidv7(),
    storeId: till.storeId,
    terminalId: till.terminalId,
    at: new Date().toISOString(),
    shiftId: null,
    cart,
    redemptionIds,
    tenders,
    totals: saleTotals(cart.lines, discounts as never[], tenders),
    offline,
  } as SaleRequest;
}

/** A recorded sale with one pending Native tender; its order is placed by the caller. */
async function nativeSale(
  till: Till,
  product: Product,
): Promise<{ saleId: string; paymentId: string }> {
  const paymentId = uuidv7();
  const tenders = [{ kind: 'wechat_native', amountFen: product.priceFen, paymentId }] as Tender[];
  const s = sale(till, cartOf(product, 1), [], [], tenders, false);
  await send(`${till.url}/v1/sales`, { token: till.token, body: s });
  return { saleId: s.id, paymentId };
}

async function placeNative(
  till: Till,
  product: Product,
  p: { saleId: string; paymentId: string },
): Promise<string> {
  const view = await send<{ codeUrl: string | null }>(`${till.url}/v1/payments/native`, {
    token: till.token,
    body: { ...p, amountFen: product.priceFen },
  });
  if (view.codeUrl === null) throw new Error('no code_url');
  return view.codeUrl;
}

async function nativeCreate(till: Till, product: Product): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < CREATE_SAMPLES; i++) {
    const p = await nativeSale(till, product);
    const started = performance.now();
    await placeNative(till, product, p);
    samples.push(performance.now() - started);
  }
  report('payments.native_create.p95_ms', quantile(samples, 0.95), 'ms');
  report('payments.native_create.p50_ms', quantile(samples, 0.5), 'ms');
}

async function notifications(
  sim: WechatPaySimulator,
  till: Till,
  product: Product,
  databaseFile: string,
  server: ServerProcess,
): Promise<void> {
  console.error(`# placing ${NOTIFY_COUNT} Native orders`);
  const codes: string[] = [];
  for (let i = 0; i < NOTIFY_COUNT; i += PLACE_WAVE)
    codes.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(PLACE_WAVE, NOTIFY_COUNT - i) }, async () =>
          placeNative(till, product, await nativeSale(till, product)),
        ),
      )),
    );
  const ledger = new Database(databaseFile, { readonly: true, fileMustExist: true });
  const paid = (): number =>
    (
      ledger
        .prepare("select count(*) as n from payments where state = 'paid' and method = 'native'")
        .get() as { n: number }
    ).n;
  try {
    const paidBefore = paid();
    const before = sim.control.notifications().length;
    // The customers pay; WeChat's notifications (signed and encrypted now, off the clock) are
    // held and then arrive together, NOTIFY_IN_FLIGHT at a time.
    sim.control.setNotifyMode('hold');
    for (const c of codes) {
      const r = sim.control.scan(c);
      if (!r.ok) problems.push(`notify: the customer could not pay (${r.code})`);
    }
    sim.control.setNotifyMode('deliver');
    console.error(`# delivering ${codes.length} notifications, ${NOTIFY_IN_FLIGHT} in flight`);
    const started = performance.now();
    const cpuBefore = server.cpuMs();
    await sim.control.releaseNotifications(NOTIFY_IN_FLIGHT);
    const acknowledgedAfter = (performance.now() - started) / 1000;
    const burstCpuMs = server.cpuMs() - cpuBefore;
    const records = sim.control.notifications().slice(before);
    const acknowledged = records.filter((n) => n.acknowledged).length;
    if (acknowledged !== NOTIFY_COUNT)
      problems.push(
        `notify: ${acknowledged} of ${NOTIFY_COUNT} notifications acknowledged at once`,
      );
    report('payments.notify.ops_per_s', acknowledged / acknowledgedAfter, 'ops/s');
    // The server's own CPU per notification during the burst (its order queries included), which
    // the load of other processes on this machine changes far less than the rate above.
    report('payments.notify.server_cpu_us', (burstCpuMs * 1000) / NOTIFY_COUNT, 'us');
    const deadline = performance.now() + 300_000;
    while (paid() - paidBefore < NOTIFY_COUNT && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const settled = paid() - paidBefore;
    if (settled !== NOTIFY_COUNT)
      problems.push(`notify: ${settled} of ${NOTIFY_COUNT} payments paid after their notification`);
    report(
      'payments.notify_settled.ops_per_s',
      settled / ((performance.now() - started) / 1000),
      'ops/s',
    );
  } finally {
    ledger.close();
  }
}

/** 10,000 quick redemptions of this till (not timed): the vouchers the offline sales used. */
async function redemptions(till: Till): Promise<{ id: string; discountFen: number }[]> {
  const out: { id: string; discountFen: number }[] = [];
  for (let sent = 0; sent < PUSH_SALES; sent += 500) {
    const items = Array.from({ length: Math.min(500, PUSH_SALES - sent) }, (_, k) => ({
      id: uuidv7(),
      code: codeName('S', sent + k),
      storeId: till.storeId,
      terminalId: till.terminalId,
      at: new Date().toISOString(),
      cart: null,
      offline: null,
    }));
    const answer = await send<{
      outcomes: { id: string; outcome: { status: string; discountFen?: number } }[];
    }>(`${till.url}/v1/redemptions/batch`, { token: till.token, body: { items } });
    for (const o of answer.outcomes) {
      if (o.outcome.status !== 'accepted') problems.push(`voucher ${o.id} was ${o.outcome.status}`);
      out.push({ id: o.id, discountFen: o.outcome.discountFen ?? 0 });
    }
  }
  return out;
}

async function salesPush(till: Till, product: Product): Promise<void> {
  console.error(`# redeeming ${PUSH_SALES} vouchers for the offline sales`);
  const vouchers = await redemptions(till);
  const sales = vouchers.map((v) => {
    const cart = cartOf(product, 2);
    const due = product.priceFen * 2 - v.discountFen;
    const tenders = [
      { kind: 'cash', amountFen: due, tenderedFen: Math.ceil(due / 1000) * 1000 },
    ] as Tender[];
    return sale(till, cart, [v.discountFen], [v.id], tenders, true);
  });
  const started = performance.now();
  let recorded = 0;
  let flagged = 0;
  for (let i = 0; i < sales.length; i += MAX_SALES_PUSH) {
    const answer = await send<{ outcomes: { outcome: { status: string; flags: unknown[] } }[] }>(
      `${till.url}/v1/sales/batch`,
      { token: till.token, body: { items: sales.slice(i, i + MAX_SALES_PUSH) } },
    );
    recorded += answer.outcomes.filter((o) => o.outcome.status === 'recorded').length;
    flagged += answer.outcomes.filter((o) => o.outcome.flags.length > 0).length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (recorded !== PUSH_SALES) problems.push(`sales push: ${recorded} of ${PUSH_SALES} recorded`);
  if (flagged > 0) problems.push(`sales push: ${flagged} sales were flagged (figures differ)`);
  report('payments.sales_push10k.seconds', seconds, 's');
  report('payments.sales_push10k.sales_per_s', PUSH_SALES / seconds, 'sales/s');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-bench-payments-'));
  const port = await freePort();
  const sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [200, 500, 1000, 2000] });
  try {
    const keyFile = join(dataDir, 'merchant_key.pem');
    writeFileSync(keyFile, sim.keys.merchantPrivateKeyPem ?? '', { mode: 0o600 });
    const configFile = join(dataDir, 'wechatpay.json');
    const config = sim.merchantConfig({
      notifyUrl: `http://127.0.0.1:${port}/v1/payments/wechat/notify`,
      keyMode: 'public-key',
      privateKeyFile: keyFile,
    });
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    const server = await startServer(join(dataDir, 'server'), port, configFile);
    try {
      const till = await prepareChain(server, join(dataDir, 'server'), { S: PUSH_SALES });
      const demo = JSON.parse(readFileSync(join(dataDir, 'server', 'demo.json'), 'utf8')) as {
        products: Product[];
      };
      const product = demo.products[0];
      if (product === undefined) throw new Error('the demo has no product');
      await nativeCreate(till, product);
      await notifications(sim, till, product, join(dataDir, 'server', SQLITE_FILE), server);
      await salesPush(till, product);
    } finally {
      await server.stop();
    }
  } finally {
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (retries > 0) console.error(`# ${retries} requests were sent again after a reset or a 503`);
  if (problems.length > 0) {
    for (const p of problems.slice(0, 20)) console.error(`# problem: ${p}`);
    process.exit(1);
  }
}

await main();
