import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  CodeDetail,
  ImportCodesCsvResponse,
  RedemptionResponse,
} from '../../core/protocol';
import { Batch } from '../../core/vouchers';
import {
  DRIVERS,
  snapshotDatabase as snapshot,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import {
  call,
  demoCodes,
  loginManager,
  pairTerminal,
  redemption,
  type PairedTerminal,
} from '../helpers/server-client';

/** A cash batch of one region: east reaches the store manager's sh-001, south does not. */
function regionBatch(id: string, group: string): Batch {
  return Batch.parse({
    id,
    name: `现金券 ${id}`,
    benefit: { kind: 'cash', valueFen: 500 },
    state: 'active',
    validity: {
      type: 'fixed',
      from: '2020-01-01T00:00:00.000Z',
      until: '2099-01-01T00:00:00.000Z',
    },
    windows: [],
    items: { skus: [], categories: [] },
    minSpendFen: 0,
    stores: { type: 'listed', storeIds: [], groupIds: [group] },
    memberTiers: [],
    stacking: 'any',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: null,
  });
}

describe.each(DRIVERS)('codes screen API on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  let storeManager: string;
  let till: PairedTerminal;

  const importCsv = (batch: string, csv: string, token = admin) =>
    call<ImportCodesCsvResponse>(server.url, 'POST', `/v1/manager/batches/${batch}/import-csv`, {
      token,
      body: { csv, claimedAt: null },
    });

  beforeAll(async () => {
    server = await startTestServer(driver);
    admin = await loginManager(server, 0);
    storeManager = await loginManager(server, 1);
    till = await pairTerminal(server, 'sh-001');
    for (const [id, group] of [
      ['east-cash', 'east'],
      ['south-cash', 'south'],
    ] as const) {
      const r = await call(server.url, 'POST', '/v1/manager/batches', {
        token: admin,
        body: regionBatch(id, group),
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => server.close());

  it('imports nothing when any row is bad, and names every bad row', async () => {
    const before = await snapshot(server);
    const known = demoCodes(server, 'demo-cash')[0] ?? '';
    const csv = [
      'code,claimed_at',
      'PLAT-0001,2026-11-30T09:00:00+08:00',
      'plat 0002',
      'PLAT-0003,yesterday',
      'PLAT-0001',
      `${known}`,
      'PLAT-0004,,extra',
      '',
    ].join('\n');
    const r = await importCsv('east-cash', csv);
    expect(r.status).toBe(200);
    expect(r.json.imported).toBe(0);
    expect(r.json.errors).toEqual([
      { row: 3, problem: 'bad_code', value: 'plat 0002' },
      { row: 4, problem: 'bad_claim_time', value: 'yesterday' },
      { row: 5, problem: 'repeated_in_file', value: 'PLAT-0001', firstRow: 2 },
      { row: 7, problem: 'too_many_columns', value: 'PLAT-0004,,extra' },
    ]);
    expect(await snapshot(server)).toBe(before);

    // Format fine, but one code is already known: still nothing is stored.
    const second = await importCsv('east-cash', `PLAT-0001\n${known}\nPLAT-0002\n`);
    expect(second.json).toEqual({
      imported: 0,
      errors: [{ row: 2, problem: 'already_known', value: known }],
      badRows: 1,
    });
    expect(await snapshot(server)).toBe(before);
  });

  it('imports a clean file with each row claim time, and refuses a store manager', async () => {
    const csv = 'code,claimed_at\nPLAT-0001,2026-11-30T09:00:00+08:00\nplat-0002\n';
    const refused = await importCsv('east-cash', csv, storeManager);
    expect(refused.status).toBe(403);
    const r = await importCsv('east-cash', csv);
    expect(r.json).toEqual({ imported: 2, errors: [], badRows: 0 });
    const rows = await server.db.rows(
      "select code, claimed_at, signed from codes where code like 'PLAT-%' order by code",
    );
    expect(rows.map((x) => [x.code, x.claimed_at === null ? null : 'set'])).toEqual([
      ['PLAT-0001', 'set'],
      ['PLAT-0002', null],
    ]);
    expect(new Date(String(rows[0]?.claimed_at)).toISOString()).toBe('2026-11-30T01:00:00.000Z');
  });

  it('looks a code up with its redemption, for a store manager only when usable at their store', async () => {
    const redeemed = await call<RedemptionResponse>(server.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, 'PLAT-0001'),
    });
    expect(redeemed.json.outcome.status).toBe('accepted');
    const r = await call<CodeDetail>(server.url, 'GET', '/v1/manager/codes/PLAT-0001', {
      token: storeManager,
    });
    expect(r.status).toBe(200);
    expect(r.json.batch.id).toBe('east-cash');
    expect(r.json.code).toMatchObject({ state: 'redeemed', redeemed: { storeId: 'sh-001' } });
    expect(new Date(r.json.code.claimedAt ?? '').toISOString()).toBe('2026-11-30T01:00:00.000Z');
    expect(r.json.signed).toBe(false);
    expect(r.json.redemptions).toHaveLength(1);
    expect(r.json.redemptions[0]).toMatchObject({
      id: redeemed.json.id,
      status: 'accepted',
      storeId: 'sh-001',
      terminalId: till.terminalId,
      terminalName: 'till sh-001',
      discountFen: 500,
      sale: null,
    });
    expect(r.json.conflicts).toEqual([]);

    const southImport = await importCsv('south-cash', 'SOUTH-0001\n');
    expect(southImport.json.imported).toBe(1);
    const hidden = await call<ApiError>(server.url, 'GET', '/v1/manager/codes/SOUTH-0001', {
      token: storeManager,
    });
    const unknown = await call<ApiError>(server.url, 'GET', '/v1/manager/codes/NO-SUCH-CODE', {
      token: storeManager,
    });
    expect(hidden.status).toBe(404);
    expect(hidden.json.message).toBe(unknown.json.message.replace('NO-SUCH-CODE', 'SOUTH-0001'));
    const chain = await call<CodeDetail>(server.url, 'GET', '/v1/manager/codes/SOUTH-0001', {
      token: admin,
    });
    expect(chain.json.code.state).toBe('issued');
  });
});
