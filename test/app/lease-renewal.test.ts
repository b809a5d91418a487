import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VoucherCode } from '../../core/ids';
import { type ApiClient, type ApiFailure } from '../../renderer/data/api-client';
import { createConnectivity } from '../../renderer/data/connectivity';
import { TillpointDb } from '../../renderer/data/db';
import { browserDeps } from '../../renderer/data/deps';
import { pushAll } from '../../renderer/data/push';
import { createRedeemer } from '../../renderer/data/redeem';
import type { TerminalRecord } from '../../renderer/data/records';
import { createStorageHealth } from '../../renderer/data/storage-health';
import { createLeaseKeeper } from '../../renderer/data/sync/lease';
import { pairedTill } from '../helpers/app-paired-till';
import { startCuttingProxy, type CuttingProxy } from '../helpers/cutting-proxy';
import {
  readDemo,
  startServerProcess,
  type DemoData,
  type ServerProcess,
} from '../helpers/app-server-process';

/**
 * A lease renewal whose answer is cut on the wire after the server issued the lease: the till must
 * end up with the lease the server holds for it, and what it redeemed offline meanwhile under the
 * lease it kept must be accepted, not come back as allowance conflicts.
 */
let server: ServerProcess;
let proxy: CuttingProxy;
let demo: DemoData;
let dataDir: string;
let db: TillpointDb;
let terminal: TerminalRecord;
let api: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-lease-'));
  server = await startServerProcess(dataDir);
  proxy = await startCuttingProxy(server.url);
  demo = await readDemo(dataDir);
  db = new TillpointDb('lease-renewal-test');
  ({ terminal, api } = await pairedTill(db, proxy.url, demo, 'lease test'));
});

afterAll(async () => {
  await db?.delete();
  await proxy?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface LeaseRow {
  lease_id: string;
  request_id: string | null;
  replaced_at: string | null;
  used_count: number;
}

function serverLeases(): LeaseRow[] {
  const file = new Database(join(dataDir, 'tillpoint.db'), { readonly: true, fileMustExist: true });
  try {
    return file
      .prepare(
        'SELECT lease_id, request_id, replaced_at, used_count FROM leases WHERE terminal_id = ? ORDER BY issued_at',
      )
      .all(terminal.terminalId) as LeaseRow[];
  } finally {
    file.close();
  }
}

async function tillLeaseId(): Promise<string | null> {
  const meta = await db.meta.get('lease');
  return meta?.key === 'lease' ? meta.lease.leaseId : null;
}

/** Redeems `code` with the line down, so the offline rules decide under the till's lease. */
async function redeemOffline(code: string) {
  const redeemer = createRedeemer({
    db,
    api,
    deps: browserDeps,
    terminal,
    connectivity: createConnectivity(false),
    storage: createStorageHealth(),
    nudgeQueue: () => undefined,
    onProtocolError: (p) => {
      throw new Error(`unexpected protocol error: ${p.message}`);
    },
  });
  return redeemer.redeem({ code: code as VoucherCode, cart: null, saleId: null, companions: [] });
}

const cashCode = (i: number): string => {
  const code = demo.codes['demo-cash']?.[i];
  if (!code) throw new Error(`no demo cash code #${i}`);
  return code;
};

describe('a lease renewal whose answer is cut after the server issued it', () => {
  it('leaves the till with the server’s lease, and what it redeemed under the old one counts', async () => {
    const failures: ApiFailure[] = [];
    const ensureLease = createLeaseKeeper({
      db,
      api,
      deps: browserDeps,
      terminal,
      connectivity: createConnectivity(true),
      storage: createStorageHealth(),
      stopped: () => false,
      onFailure: (f) => failures.push(f),
    });
    await ensureLease();
    const kept = await tillLeaseId();
    expect(kept).not.toBeNull();

    // Draw on the lease and sync it, so a renewal is due.
    const first = await redeemOffline(cashCode(20));
    expect(first.kind === 'accepted' && first.pendingSync).toBe(true);
    expect(await pushAll(db, api, browserDeps)).toMatchObject({ kind: 'pushed' });

    const cut = proxy.cutNextAnswer('POST /v1/allowance', 'headers');
    await ensureLease();
    await cut;
    // The status line and headers arrived, the body did not: trouble on the line, not a protocol error.
    expect(failures.map((f) => [f.code, f.offline])).toEqual([['NETWORK', true]]);
    expect(await tillLeaseId()).toBe(kept);
    const afterCut = serverLeases();
    const issued = afterCut.at(-1);
    expect(afterCut).toHaveLength(2);
    expect(issued?.lease_id).not.toBe(kept);
    expect(afterCut[0]?.replaced_at).not.toBeNull();

    // Meanwhile the till keeps redeeming under the lease it kept; the server accepts it.
    const second = await redeemOffline(cashCode(21));
    expect(second.kind === 'accepted' && second.pendingSync).toBe(true);
    expect(await pushAll(db, api, browserDeps)).toMatchObject({ kind: 'pushed' });
    const record = second.kind === 'accepted' ? await db.redemptions.get(second.record.id) : null;
    expect(record?.state).toBe('synced');

    // The retry gets the lease the lost answer carried, and replaces nothing.
    await ensureLease();
    expect(await tillLeaseId()).toBe(issued?.lease_id);
    const final = serverLeases();
    expect(final.map((l) => l.lease_id)).toEqual(afterCut.map((l) => l.lease_id));
    expect(final[0]?.used_count).toBe(2);
    expect(await db.meta.get('leaseRequest')).toBeUndefined();
  });
});
