import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  AuditPage,
  AuditVerdict,
  CodesPage,
  ImportCodesResponse,
  PairingCodeResponse,
  RedemptionResponse,
  Session,
} from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import { DRIVERS, startTestServer, type TestServer } from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

function batch(id: string, overrides: Partial<Batch> = {}): Batch {
  return {
    id,
    name: `batch ${id}`,
    benefit: { kind: 'cash', valueFen: 800 },
    state: 'active',
    validity: {
      type: 'fixed',
      from: '2020-01-01T00:00:00.000Z',
      until: '2099-01-01T00:00:00.000Z',
    },
    windows: [],
    items: { skus: [], categories: [] },
    minSpendFen: 0,
    stores: { type: 'listed', storeIds: [], groupIds: ['north'] },
    memberTiers: [],
    stacking: 'any',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: 2,
    ...overrides,
  } as Batch;
}

describe.each(DRIVERS)('manager API on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  let storeManager: string;
  let till: PairedTerminal;
  let issued: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(driver);
    admin = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
  });
  afterAll(() => server.close());

  it('creates a region, a store in it and a product', async () => {
    expect(
      (
        await call(server.url, 'POST', '/v1/manager/store-groups', {
          token: admin,
          body: { id: 'north', name: '华北区' },
        })
      ).status,
    ).toBe(200);
    const store = await call(server.url, 'POST', '/v1/manager/stores', {
      token: admin,
      body: {
        id: 'bj-001',
        name: '北京国贸店',
        timeZone: 'Asia/Shanghai',
        groupIds: ['north'],
        offline: { maxCount: 50, maxValueFen: 100_000, hours: 8 },
      },
    });
    expect(store.status).toBe(200);
    const product = await call(server.url, 'POST', '/v1/manager/products', {
      token: admin,
      body: {
        sku: 'mooncake',
        name: '月饼',
        category: 'bakery',
        priceFen: 4800,
        barcodes: ['6901234000076'],
      },
    });
    expect(product.status).toBe(200);
    const rows = await server.db.rows('select id from stores where id = ?', ['bj-001']);
    expect(rows).toHaveLength(1);
  });

  it('creates pairing codes a new terminal can use', async () => {
    const r = await call<PairingCodeResponse>(server.url, 'POST', '/v1/manager/pairing-codes', {
      token: admin,
      body: { storeId: 'bj-001' },
    });
    expect(r.status).toBe(201);
    const paired = await call<{ terminalId: string; token: string }>(
      server.url,
      'POST',
      '/v1/terminals/pair',
      { body: { pairingCode: r.json.code, name: 'bj till' } },
    );
    expect(paired.status).toBe(200);
    till = {
      token: paired.json.token,
      terminalId: paired.json.terminalId,
      storeId: 'bj-001',
      publicKey: '',
    };
  });

  it('creates a batch with every rule field and issues signed codes as CSV', async () => {
    const created = await call(server.url, 'POST', '/v1/manager/batches', {
      token: admin,
      body: batch('north-cash'),
    });
    expect(created.status).toBe(201);
    const duplicate = await call<ApiError>(server.url, 'POST', '/v1/manager/batches', {
      token: admin,
      body: batch('north-cash'),
    });
    expect(duplicate.status).toBe(409);
    const csv = await call(server.url, 'POST', '/v1/manager/batches/north-cash/codes', {
      token: admin,
      body: { count: 5, claimedAt: null },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('code,batch_id,serial');
    issued = lines.slice(1).map((l) => l.split(',')[0] ?? '');
    expect(issued).toHaveLength(5);
    const stored = await server.db.rows(
      "select code from codes where batch_id = 'north-cash' and signed = 1",
    );
    expect(stored).toHaveLength(5);
  });

  it('enforces the daily cap of a batch', async () => {
    const outcomes = [];
    for (const code of issued.slice(0, 3)) {
      const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body: redemption(till, code),
      });
      outcomes.push(r.json.outcome);
    }
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(outcomes[2]).toMatchObject({ reason: { code: 'DAILY_CAP_REACHED', cap: 2 } });
  });

  it('pauses, resumes and revokes a batch, and redemption follows', async () => {
    const pause = await call<Batch>(server.url, 'POST', '/v1/manager/batches/north-cash/state', {
      token: admin,
      body: { state: 'paused' },
    });
    expect(pause.json.state).toBe('paused');
    const r = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, issued[4] ?? ''),
    });
    expect(r.json.outcome).toMatchObject({ status: 'rejected', reason: { code: 'BATCH_PAUSED' } });
    await call(server.url, 'POST', '/v1/manager/batches/north-cash/state', {
      token: admin,
      body: { state: 'active' },
    });
    await call(server.url, 'POST', '/v1/manager/batches/north-cash/state', {
      token: admin,
      body: { state: 'revoked' },
    });
    const back = await call<ApiError>(server.url, 'POST', '/v1/manager/batches/north-cash/state', {
      token: admin,
      body: { state: 'active' },
    });
    expect(back.status).toBe(409);
  });

  it('imports unsigned platform codes and reports duplicates', async () => {
    await call(server.url, 'POST', '/v1/manager/batches', {
      token: admin,
      body: batch('platform-gb', { stores: { type: 'all' }, dailyCap: null }),
    });
    const r = await call<ImportCodesResponse>(
      server.url,
      'POST',
      '/v1/manager/batches/platform-gb/import',
      {
        token: admin,
        body: {
          codes: [
            'MEITUAN-0001',
            'MEITUAN-0002',
            'MEITUAN-0001',
            demoCodes(server, 'demo-cash')[0],
          ],
          claimedAt: null,
        },
      },
    );
    expect(r.json).toEqual({ imported: 2, duplicates: [demoCodes(server, 'demo-cash')[0]] });
    const shTill = await pairTerminal(server, 'sh-001');
    const ok = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: shTill.token,
      body: redemption(shTill, 'MEITUAN-0002'),
    });
    expect(ok.json.outcome).toMatchObject({ status: 'accepted', discountFen: 800 });
  });

  it('creates a cashier whose PIN works on that store only', async () => {
    const r = await call(server.url, 'POST', '/v1/manager/users', {
      token: admin,
      body: { role: 'cashier', id: 'bj-cashier', name: '小王', storeId: 'bj-001', pin: '246810' },
    });
    expect(r.status).toBe(201);
    const login = await call<Session>(server.url, 'POST', '/v1/sessions/pin', {
      token: till.token,
      body: { kind: 'pin', pin: '246810' },
    });
    expect(login.json.user).toMatchObject({ id: 'bj-cashier', role: 'cashier' });
    const clash = await call<ApiError>(server.url, 'POST', '/v1/manager/users', {
      token: admin,
      body: { role: 'cashier', id: 'bj-cashier-2', name: '小李', storeId: 'bj-001', pin: '246810' },
    });
    expect(clash.status).toBe(409);
  });

  it('keeps store managers to their store and cashiers out', async () => {
    const own = await call(server.url, 'POST', '/v1/manager/pairing-codes', {
      token: storeManager,
      body: { storeId: 'sh-001' },
    });
    expect(own.status).toBe(201);
    const other = await call<ApiError>(server.url, 'POST', '/v1/manager/pairing-codes', {
      token: storeManager,
      body: { storeId: 'gz-001' },
    });
    expect(other.status).toBe(403);
    const chainWide = await call<ApiError>(server.url, 'POST', '/v1/manager/batches', {
      token: storeManager,
      body: batch('sneaky'),
    });
    expect(chainWide.status).toBe(403);
    const cashier = await call<Session>(server.url, 'POST', '/v1/sessions/pin', {
      token: till.token,
      body: { kind: 'pin', pin: '246810' },
    });
    const denied = await call<ApiError>(server.url, 'GET', '/v1/manager/conflicts', {
      token: cashier.json.token,
    });
    expect(denied.status).toBe(403);
    expect(denied.json.code).toBe('FORBIDDEN');
    const terminalAsManager = await call<ApiError>(server.url, 'GET', '/v1/manager/audit', {
      token: till.token,
    });
    expect(terminalAsManager.status).toBe(401);
  });

  it('pages the audit log and scopes it for store managers', async () => {
    const first = await call<AuditPage>(server.url, 'GET', '/v1/manager/audit?limit=5', {
      token: admin,
    });
    expect(first.json.entries).toHaveLength(5);
    expect(first.json.next).toBe(5);
    const second = await call<AuditPage>(
      server.url,
      'GET',
      `/v1/manager/audit?after=${first.json.next}&limit=5`,
      { token: admin },
    );
    expect(second.json.entries[0]?.seq).toBe(6);
    expect(second.json.entries[0]?.prevHash).toBe(first.json.entries[4]?.hash);
    const scoped = await call<AuditPage>(server.url, 'GET', '/v1/manager/audit?limit=1000', {
      token: storeManager,
    });
    expect(scoped.json.entries.length).toBeGreaterThan(0);
    expect(scoped.json.entries.every((e) => e.storeId === 'sh-001')).toBe(true);
  });

  it('pages the codes of a batch in code order, in one state when asked', async () => {
    const pages = async (query: string) => {
      const codes: CodesPage['codes'] = [];
      let after = '';
      for (;;) {
        const r = await call<CodesPage>(
          server.url,
          'GET',
          `/v1/manager/codes?${query}&limit=2${after === '' ? '' : `&after=${after}`}`,
          { token: admin },
        );
        expect(r.status).toBe(200);
        codes.push(...r.json.codes);
        if (r.json.next === null) return codes;
        after = r.json.next;
      }
    };
    const all = await pages('batchId=north-cash');
    expect(all.map((c) => c.code)).toEqual([...issued].sort());
    expect(all.every((c) => c.batchId === 'north-cash')).toBe(true);
    const stored = await server.db.rows(
      "select code from codes where batch_id = 'north-cash' and state = 'redeemed' order by code",
    );
    expect(stored.length).toBeGreaterThan(0);
    const redeemed = await pages('batchId=north-cash&state=redeemed');
    expect(redeemed.map((c) => c.code)).toEqual(stored.map((r) => r['code']));
    expect(redeemed.every((c) => c.redeemed !== null)).toBe(true);

    const storeManagers = await call<ApiError>(server.url, 'GET', '/v1/manager/codes', {
      token: storeManager,
    });
    expect(storeManagers.status).toBe(403);
    const badState = await call<ApiError>(server.url, 'GET', '/v1/manager/codes?state=lost', {
      token: admin,
    });
    expect(badState.status).toBe(400);
  });

  it('filters the audit log by actor, kind, store and time, paging within the filter', async () => {
    const audit = async (query: string, token = admin) => {
      const r = await call<AuditPage>(server.url, 'GET', `/v1/manager/audit?${query}`, { token });
      expect(r.status).toBe(200);
      return r.json;
    };
    /** Every entry of the filter, two at a time: the cursor stays inside the filter. */
    const allPages = async (query: string) => {
      const seqs: number[] = [];
      let after = 0;
      for (;;) {
        const page = await audit(`${query}&limit=2&after=${after}`);
        seqs.push(...page.entries.map((e) => e.seq));
        if (page.next === null) return seqs;
        after = page.next;
      }
    };
    const all = (await audit('limit=1000')).entries;
    const seqsOf = (keep: (e: (typeof all)[number]) => boolean) =>
      all.filter(keep).map((e) => e.seq);

    const actor = all.at(-1)?.actor ?? '';
    const byActor = seqsOf((e) => e.actor === actor);
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.length).toBeLessThan(all.length);
    expect(await allPages(`actor=${encodeURIComponent(actor)}`)).toEqual(byActor);

    const stores = seqsOf((e) => e.action === 'store.created' && e.storeId === 'hz-001');
    expect(stores).toHaveLength(1);
    expect(await allPages('action=store.created&storeId=hz-001')).toEqual(stores);
    expect(await allPages('action=store.created')).toEqual(
      seqsOf((e) => e.action === 'store.created'),
    );

    // A bound in another offset means the same instant.
    const boundary = all.find((e) => e.at > (all[0]?.at ?? ''))?.at ?? '';
    expect(boundary).not.toBe('');
    const east8 = new Date(Date.parse(boundary) + 8 * 3_600_000)
      .toISOString()
      .replace('Z', '+08:00');
    const since = seqsOf((e) => e.at >= boundary);
    expect(await allPages(`from=${encodeURIComponent(east8)}`)).toEqual(since);
    expect(await allPages(`to=${encodeURIComponent(boundary)}`)).toEqual(
      seqsOf((e) => e.at < boundary),
    );

    const scoped = await audit(`actor=${encodeURIComponent(actor)}&limit=1000`, storeManager);
    expect(scoped.entries.every((e) => e.storeId === 'sh-001' && e.actor === actor)).toBe(true);

    const backwards = await call<ApiError>(
      server.url,
      'GET',
      `/v1/manager/audit?from=${encodeURIComponent(boundary)}&to=${encodeURIComponent(all[0]?.at ?? '')}`,
      { token: admin },
    );
    expect(backwards.status).toBe(400);
    const notAnInstant = await call<ApiError>(server.url, 'GET', '/v1/manager/audit?from=yesterday', {
      token: admin,
    });
    expect(notAnInstant.status).toBe(400);
  });

  it('verifies the audit chain and finds a tampered entry', async () => {
    const clean = await call<AuditVerdict>(server.url, 'GET', '/v1/audit/verify', { token: admin });
    expect(clean.json.ok).toBe(true);
    expect(clean.json.checked).toBeGreaterThan(10);
    // The database itself refuses edits…
    await expect(server.db.exec("update audit_log set action = 'x' where seq = 3")).rejects.toThrow(
      /append-only/,
    );
    // …so a tamperer has to drop the guard first, as a rogue administrator could.
    if (driver === 'postgres')
      await server.db.exec('alter table audit_log disable trigger audit_log_no_edit');
    else await server.db.exec('drop trigger audit_log_no_update');
    await server.db.exec('update audit_log set after = \'{"count":999}\' where seq = 7');
    const broken = await call<AuditVerdict>(server.url, 'GET', '/v1/audit/verify', {
      token: admin,
    });
    expect(broken.json).toMatchObject({ ok: false, checked: 6, firstBroken: { seq: 7 } });
  });
});
