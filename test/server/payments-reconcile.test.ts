import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentView, SaleResponse } from '../../core/protocol';
import type { PaymentsOptions } from '../../server/payments/service';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../server/payments/simulator';
import { parseWechatPayConfig } from '../../server/payments/wechat/config';
import { createWechatPayV3Provider } from '../../server/payments/wechat/provider';
import type { DemoFile } from '../../server/seed/demo';
import {
  createPgDatabase,
  DRIVERS,
  startTestServer,
  type Driver,
  type TestServer,
} from '../helpers/server-harness';
import { call, pairTerminal, wechatSale, type PairedTerminal } from '../helpers/server-client';
import { spawnServer } from '../helpers/server-process';

const NOTIFY = '/v1/payments/wechat/notify';
const WAIT = { timeout: 15_000, interval: 25 };

/** The server's payments on the simulator, with short reconciliation timings. */
function paymentsOn(sim: WechatPaySimulator): PaymentsOptions {
  return {
    provider: (url) => {
      const loaded = parseWechatPayConfig(sim.merchantConfig({ notifyUrl: `${url}${NOTIFY}` }));
      if (!loaded.ok) throw new Error(loaded.message);
      return createWechatPayV3Provider(loaded.value);
    },
    codeTiming: { pollIntervalMs: 20, deadlineMs: 400, reverseIntervalMs: 20 },
    reconcile: { intervalMs: 50, graceMs: 300, leaseMs: 5_000 },
  };
}

const post = <T>(url: string, till: PairedTerminal, path: string, body: unknown) =>
  call<T>(url, 'POST', path, { token: till.token, body });
const stateOf = async (url: string, till: PairedTerminal, paymentId: string) =>
  (await call<PaymentView>(url, 'GET', `/v1/payments/${paymentId}`, { token: till.token })).json
    .state;

/** A recorded sale with a pending Native tender, its order placed. */
async function nativePayment(url: string, till: PairedTerminal): Promise<PaymentView> {
  const paymentId = randomUUID();
  const sale = wechatSale(till, 'wechat_native', paymentId);
  expect((await post<SaleResponse>(url, till, '/v1/sales', sale)).json.outcome.state).toBe('open');
  const r = await post<PaymentView>(url, till, '/v1/payments/native', {
    paymentId,
    saleId: sale.id,
    amountFen: 2800,
  });
  expect(r.json.state).toBe('pending');
  return r.json;
}

const REFUNDS = '/v3/refund/domestic/refunds';
/** The demo's manager of sh-001 (server/seed/demo.ts), who approves refunds. */
const MANAGER = { username: 'sh001-manager', password: 'tillpoint-manager' };

/** A Native payment of 2800 fen, paid by the customer and confirmed (notifications delivered). */
async function paidNative(
  sim: WechatPaySimulator,
  server: TestServer,
  till: PairedTerminal,
): Promise<PaymentView> {
  const view = await nativePayment(server.url, till);
  sim.control.payNative(await outTradeNo(server, view.paymentId));
  await vi.waitFor(
    async () => expect(await stateOf(server.url, till, view.paymentId)).toBe('paid'),
    WAIT,
  );
  return view;
}

/** Asks for a refund of 1200 fen of the sale, approved: the till then never asks about it again. */
const askRefund = (server: TestServer, till: PairedTerminal, saleId: string) =>
  post<{ state?: string; code?: string }>(server.url, till, '/v1/refunds', {
    refundId: randomUUID(),
    saleId,
    amountFen: 1200,
    reason: '顾客退货',
    approval: MANAGER,
  }).then((r) => ({ ...r, refundId: (r.json as { refundId?: string }).refundId }));

async function refundParts(server: TestServer, saleId: string) {
  return server.db.rows<{ refund_id: string; state: string; out_refund_no: string }>(
    'select refund_id, state, out_refund_no from refund_parts where sale_id = ?',
    [saleId],
  );
}

const auditCount = async (server: TestServer, refundId: string, action: string) =>
  (
    await server.db.rows('select seq from audit_log where subject = ? and action = ?', [
      `refund:${refundId}`,
      action,
    ])
  ).length;

const outTradeNo = async (server: TestServer, paymentId: string) =>
  (
    await server.db.rows<{ out_trade_no: string }>(
      'select out_trade_no from payments where id = ?',
      [paymentId],
    )
  )[0]?.out_trade_no ?? '';

describe.each(DRIVERS)('payment reconciliation on %s', (driver) => {
  let sim: WechatPaySimulator;
  let server: TestServer;
  let till: PairedTerminal;
  /** The server clock runs this far ahead of real time (to let Native orders expire). */
  let skewMs = 0;

  beforeAll(async () => {
    sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [50] });
    server = await startTestServer(driver, {
      payments: paymentsOn(sim),
      clock: () => new Date(Date.now() + skewMs),
    });
    till = await pairTerminal(server, 'sh-001');
  });
  afterAll(async () => {
    await server.close();
    await sim.close();
  });

  it('settles a Native payment whose notification was lost, by two agreeing order queries', async () => {
    sim.control.setNotifyMode('drop');
    try {
      const view = await nativePayment(server.url, till);
      sim.control.payNative(await outTradeNo(server, view.paymentId));
      await vi.waitFor(
        async () => expect(await stateOf(server.url, till, view.paymentId)).toBe('paid'),
        WAIT,
      );
      const actions = await server.db.rows<{ action: string }>(
        'select action from audit_log where subject = ? order by seq',
        [`payment:${view.paymentId}`],
      );
      expect(actions.map((a) => a.action)).toEqual([
        'payment.creating',
        'payment.pending',
        'payment.paid',
      ]);
    } finally {
      sim.control.setNotifyMode('deliver');
    }
  });

  it('finishes a refund whose WeChat answer was lost, with one refund at WeChat', async () => {
    const view = await paidNative(sim, server, till);
    sim.control.setNotifyMode('drop');
    try {
      // WeChat makes the refund but the answer is cut, and its notification is lost: the part
      // stays requested, and the till (told 503) never sends it again; the sweep does.
      sim.control.addFault({ path: REFUNDS, mode: 'drop_after' });
      const sends = () => sim.control.calls().filter((c) => c.path === REFUNDS).length;
      const before = sends();
      const asked = await askRefund(server, till, view.saleId);
      expect(asked.status).toBe(503);
      await vi.waitFor(async () => {
        const parts = await refundParts(server, view.saleId);
        expect(parts.map((p) => p.state)).toEqual(['succeeded']);
      }, WAIT);
      const [part] = await refundParts(server, view.saleId);
      const no = await outTradeNo(server, view.paymentId);
      const atWechat = sim.control.refunds().filter((r) => r['out_trade_no'] === no);
      expect(atWechat.map((r) => r['out_refund_no'])).toEqual([part?.out_refund_no]);
      expect(sends() - before).toBe(2);
      expect(await auditCount(server, part?.refund_id ?? '', 'refund.succeeded')).toBe(1);
    } finally {
      sim.control.setNotifyMode('deliver');
    }
  });

  it('settles a refund WeChat was still paying back when its notification was lost', async () => {
    const view = await paidNative(sim, server, till);
    sim.control.setNotifyMode('drop');
    sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 50 });
    try {
      const asked = await askRefund(server, till, view.saleId);
      expect(asked.status).toBe(200);
      expect(asked.json.state).toBe('processing');
      await vi.waitFor(async () => {
        const parts = await refundParts(server, view.saleId);
        expect(parts.map((p) => p.state)).toEqual(['succeeded']);
      }, WAIT);
      const [part] = await refundParts(server, view.saleId);
      const queries = sim.control
        .calls()
        .filter((c) => c.method === 'GET' && c.path === `${REFUNDS}/${part?.out_refund_no}`);
      expect(queries.length).toBeGreaterThanOrEqual(1);
      expect(await auditCount(server, part?.refund_id ?? '', 'refund.succeeded')).toBe(1);
      const [sale] = await server.db.rows<{ state: string }>(
        'select state from sales where id = ?',
        [view.saleId],
      );
      expect(sale?.state).toBe('partly_refunded');
    } finally {
      sim.control.setNotifyMode('deliver');
      sim.control.setRefundBehaviour({ result: 'SUCCESS' });
    }
  });

  it('closes an expired unpaid Native order at WeChat and here', async () => {
    const view = await nativePayment(server.url, till);
    skewMs = 6 * 60_000;
    await vi.waitFor(
      async () => expect(await stateOf(server.url, till, view.paymentId)).toBe('closed'),
      WAIT,
    );
    expect(sim.control.order(await outTradeNo(server, view.paymentId))).toMatchObject({
      trade_state: 'CLOSED',
    });
    const [tender] = await server.db.rows<{ state: string }>(
      'select state from sale_tenders where payment_id = ?',
      [view.paymentId],
    );
    expect(tender?.state).toBe('failed');
  });
});

describe.each(DRIVERS)('a server killed while WeChat charged a payment code, on %s', (driver) => {
  let sim: WechatPaySimulator;
  const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-killed-'));
  let pg: { url: string; drop(): Promise<void> } | null = null;
  afterAll(async () => {
    await sim.close();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('settles the payment at restart by reconciliation', async () => {
    sim = await startWechatPaySimulator();
    pg = driver === 'postgres' ? await createPgDatabase() : null;
    const configFile = join(dataDir, 'wechatpay.json');
    writeFileSync(
      configFile,
      JSON.stringify(sim.merchantConfig({ notifyUrl: `http://127.0.0.1:9${NOTIFY}` })),
      { mode: 0o600 },
    );
    const child = await spawnServer(
      ['--demo', '--port', '0', '--data-dir', dataDir, '--wechatpay-config', configFile],
      pg ? { DATABASE_URL: pg.url } : {},
    );
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoFile;
    const till = await pairTerminal({ url: child.url, demo } as TestServer, 'sh-001');
    const paymentId = randomUUID();
    const sale = wechatSale(till, 'wechat_code', paymentId);
    await post(child.url, till, '/v1/sales', sale);
    // WeChat charges the customer; its answer never reaches the server, which is then killed.
    sim.control.setCodePayBehaviour({ result: 'success' });
    sim.control.addFault({ path: '/v3/pay/transactions/codepay', mode: 'hang_after' });
    const charging = post(child.url, till, '/v1/payments/code', {
      paymentId,
      saleId: sale.id,
      amountFen: 2800,
      authCode: '134567890123456789',
    }).catch(() => null);
    await vi.waitFor(
      () => expect(sim.control.calls().some((c) => c.outcome === 'hung')).toBe(true),
      WAIT,
    );
    const exited = new Promise((resolve) => child.child.once('exit', resolve));
    child.child.kill('SIGKILL');
    await exited;
    expect(await charging).toBeNull();

    // Restarted a minute and a half later: the dead instance's lease has run out.
    const restarted = await startTestServer(driver, {
      reuse: { dataDir, databaseUrl: pg?.url },
      payments: paymentsOn(sim),
      clock: () => new Date(Date.now() + 90_000),
    });
    try {
      const [before] = await restarted.db.rows<{ state: string }>(
        'select state from payments where id = ?',
        [paymentId],
      );
      expect(['creating', 'paid']).toContain(before?.state);
      await vi.waitFor(
        async () => expect(await stateOf(restarted.url, till, paymentId)).toBe('paid'),
        WAIT,
      );
      const [saleRow] = await restarted.db.rows<{ state: string }>(
        'select state from sales where id = ?',
        [sale.id],
      );
      expect(saleRow?.state).toBe('paid');
    } finally {
      await restarted.close();
    }
  }, 60_000);
});

describe.each(DRIVERS)('a server stopping while it follows a payment code, on %s', (driver) => {
  it('releases the payment, and the next start reverses it at its deadline', async () => {
    const sim = await startWechatPaySimulator();
    // Leases far longer than the test: only a release lets the restarted server take the payment.
    const longLeases = {
      ...paymentsOn(sim),
      codeTiming: { pollIntervalMs: 20, deadlineMs: 60_000, reverseIntervalMs: 20 },
      reconcile: { intervalMs: 50, graceMs: 300, leaseMs: 600_000 },
    };
    const first = await startTestServer(driver, { payments: longLeases });
    let second: TestServer | null = null;
    try {
      const till = await pairTerminal(first, 'sh-001');
      const paymentId = randomUUID();
      const sale = wechatSale(till, 'wechat_code', paymentId);
      await post(first.url, till, '/v1/sales', sale);
      sim.control.setCodePayBehaviour({ result: 'userpaying', then: 'never' });
      const charged = await post<PaymentView>(first.url, till, '/v1/payments/code', {
        paymentId,
        saleId: sale.id,
        amountFen: 2800,
        authCode: '134567890123456789',
      });
      expect(charged.json.state).toBe('user_paying');
      await first.stop();
      second = await startTestServer(driver, {
        reuse: { dataDir: first.dataDir, databaseUrl: first.databaseUrl },
        payments: longLeases,
        clock: () => new Date(Date.now() + 61_000),
      });
      const url = second.url;
      await vi.waitFor(
        async () => expect(await stateOf(url, till, paymentId)).toBe('reversed'),
        WAIT,
      );
    } finally {
      await second?.close();
      await first.close();
      await sim.close();
    }
  }, 60_000);
});

describe('two server instances reconciling one PostgreSQL database', () => {
  const driver: Driver = 'postgres';
  let sim: WechatPaySimulator;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    sim = await startWechatPaySimulator();
    // Each order is paid at WeChat right after it is placed, well within the grace: every query
    // the instances make is then about a paid order, and two per payment are the confirmation.
    const payments = {
      ...paymentsOn(sim),
      reconcile: { intervalMs: 50, graceMs: 3_000, leaseMs: 5_000 },
    };
    a = await startTestServer(driver, { payments });
    b = await startTestServer(driver, {
      reuse: { dataDir: a.dataDir, databaseUrl: a.databaseUrl },
      payments,
    });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await sim.close();
  });

  it('settles each payment once: one paid entry and two order queries per payment', async () => {
    const till = await pairTerminal(a, 'sh-001');
    sim.control.setNotifyMode('drop');
    const payments: { id: string; no: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const view = await nativePayment(a.url, till);
      const no = await outTradeNo(a, view.paymentId);
      sim.control.payNative(no);
      payments.push({ id: view.paymentId, no });
    }
    await vi.waitFor(async () => {
      const paid = await a.db.rows<{ n: number | string }>(
        "select count(*) as n from payments where state = 'paid'",
      );
      expect(Number(paid[0]?.n)).toBe(payments.length);
    }, WAIT);
    for (const p of payments) {
      const entries = await a.db.rows(
        'select seq from audit_log where subject = ? and action = ?',
        [`payment:${p.id}`, 'payment.paid'],
      );
      expect(entries).toHaveLength(1);
      const queries = sim.control
        .calls()
        .filter(
          (c) => c.method === 'GET' && c.path === `/v3/pay/transactions/out-trade-no/${p.no}`,
        );
      expect(queries).toHaveLength(2);
    }
  });

  it('settles each unsettled refund part once: one query and one succeeded entry per part', async () => {
    const till = await pairTerminal(a, 'sh-001');
    sim.control.setNotifyMode('deliver');
    const sales: string[] = [];
    for (let i = 0; i < 6; i++) sales.push((await paidNative(sim, a, till)).saleId);
    // The refunds are processing when asked and their notifications lost: only the sweeps of
    // the two instances (past the grace) can settle them.
    sim.control.setNotifyMode('drop');
    sim.control.setRefundBehaviour({ result: 'SUCCESS', afterMs: 50 });
    try {
      for (const saleId of sales)
        expect((await askRefund(a, till, saleId)).json.state).toBe('processing');
      await vi.waitFor(async () => {
        const done = await a.db.rows<{ n: number | string }>(
          "select count(*) as n from refund_parts where state = 'succeeded'",
        );
        expect(Number(done[0]?.n)).toBe(sales.length);
      }, WAIT);
      for (const saleId of sales) {
        const [part] = await refundParts(a, saleId);
        expect(await auditCount(a, part?.refund_id ?? '', 'refund.succeeded')).toBe(1);
        const queries = sim.control
          .calls()
          .filter((c) => c.method === 'GET' && c.path === `${REFUNDS}/${part?.out_refund_no}`);
        expect(queries).toHaveLength(1);
      }
    } finally {
      sim.control.setNotifyMode('deliver');
      sim.control.setRefundBehaviour({ result: 'SUCCESS' });
    }
  });
});
