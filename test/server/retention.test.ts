import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BatchReport, ClaimPageView, RedemptionResponse } from '../../core/protocol';
import type { Batch } from '../../core/vouchers';
import { appendAuditMany, verifyChain, type AuditInput } from '../../server/audit/chain';
import { startServer } from '../../server/app';
import { openDatabase } from '../../server/db/connect';
import { createLogger } from '../../server/log';
import { createStorage, type Storage } from '../../server/db/storage';
import { countAttempt } from '../../server/auth/limits';
import { pruneOnce, retentionCutoff } from '../../server/ops/prune';
import { rebuildAggregates, storedAggregates } from '../../server/reports/rebuild';
import {
  createPgDatabase,
  DRIVERS,
  startTestServer,
  type TestServer,
} from '../helpers/server-harness';
import { call, demoCodes, loginManager, pairTerminal, redemption } from '../helpers/server-client';
import { phone, shownCodes } from '../helpers/claim-phone';

const DAY_MS = 86_400_000;

/** The servers' clock: the first records are made 200 days ago, the rest today. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Aggregates as sorted plain data, for toEqual. */
const plain = async (storage: Storage) =>
  [...(await storedAggregates(storage.db))].sort(([x], [y]) => (x < y ? -1 : 1));

async function reopen(server: TestServer): Promise<Storage> {
  return createStorage(
    await openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl }),
  );
}

const count = async (server: TestServer, text: string, params: unknown[] = []) =>
  Number((await server.db.rows<{ n: number }>(text, params))[0]?.n);

describe.each(DRIVERS)('retention on %s', (driver) => {
  let first: TestServer;
  let second: TestServer | null = null;
  const reportPaths: string[] = [];

  beforeAll(async () => {
    offsetMs = -200 * DAY_MS;
    first = await startTestServer(driver, { clock });
  });
  afterAll(async () => {
    offsetMs = 0;
    await second?.stop();
    await first.close();
  });

  it('prunes old claim logs and audit entries at start-up, keeps the young, and changes no report figure', async () => {
    // 200 days ago: claims on a batch that stays live and on one that is then revoked.
    const oldManager = await loginManager(first);
    const till = await pairTerminal(first, 'sh-001');
    const publish = async (token: string, batchId: string) => {
      const r = await call<ClaimPageView>(first.url, 'POST', '/v1/manager/claim-pages', {
        token,
        body: {
          batchId,
          storeId: 'sh-001',
          title: '领券',
          totalStock: 100,
          dailyStock: null,
          perCustomer: 5,
        },
      });
      expect(r.status).toBe(201);
      return r.json.id;
    };
    const live = await publish(oldManager, 'demo-cash');
    const ending = await publish(oldManager, 'demo-discount');
    const oldPhone = phone(first);
    for (const page of [live, live, ending, ending]) {
      await oldPhone.open(page);
      expect((await oldPhone.claim(page)).status).toBe(200);
    }
    const oldCash = shownCodes((await oldPhone.claim(live)).text)[0] ?? '';
    const r = await call<RedemptionResponse>(first.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, oldCash, { at: clock().toISOString() }),
    });
    expect(r.json.outcome.status).toBe('accepted');
    const revoked = await call(first.url, 'POST', '/v1/manager/batches/demo-discount/state', {
      token: oldManager,
      body: { state: 'revoked', reason: '活动结束' },
    });
    expect(revoked.status).toBe(200);
    // A batch whose fixed validity (written with the store's offset) ended 190 days ago.
    const demoCash = await call<{ batch: Batch }>(
      first.url,
      'GET',
      '/v1/manager/batches/demo-cash',
      { token: oldManager },
    );
    const shanghai = (ms: number) =>
      new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    const shortRun: Batch = {
      ...demoCash.json.batch,
      id: 'short-run' as Batch['id'],
      validity: {
        type: 'fixed',
        from: shanghai(clock().getTime() - DAY_MS),
        until: shanghai(clock().getTime() + 10 * DAY_MS),
      },
    };
    const created = await call(first.url, 'POST', '/v1/manager/batches', {
      token: oldManager,
      body: shortRun,
    });
    expect(created.status, created.text).toBe(201);
    const imported = await call(first.url, 'POST', '/v1/manager/batches/short-run/import', {
      token: oldManager,
      body: { codes: ['SHORTRUN-0001', 'SHORTRUN-0002'], claimedAt: null },
    });
    expect(imported.status, imported.text).toBe(200);
    const short = await publish(oldManager, 'short-run');
    await oldPhone.open(short);
    expect(shownCodes((await oldPhone.claim(short)).text)).toHaveLength(1);
    const oldDay = utcDate(clock().getTime());

    // Today: a young claim and a redemption on the live batch.
    offsetMs = 0;
    const manager = await loginManager(first);
    const youngPhone = phone(first);
    await youngPhone.open(live);
    const [young] = shownCodes((await youngPhone.claim(live)).text);
    expect(young).toBeDefined();
    const y = await call<RedemptionResponse>(first.url, 'POST', '/v1/redemptions', {
      token: till.token,
      body: redemption(till, young ?? '', { at: clock().toISOString() }),
    });
    expect(y.json.outcome.status).toBe('accepted');
    for (const code of demoCodes(first, 'demo-threshold').slice(0, 2)) {
      const more = await call<RedemptionResponse>(first.url, 'POST', '/v1/redemptions', {
        token: till.token,
        body: redemption(till, code, { at: clock().toISOString() }),
      });
      expect(more.status).toBe(200);
    }

    const range = `from=${utcDate(Date.parse(oldDay) - 2 * DAY_MS)}&to=${utcDate(Date.now() + 2 * DAY_MS)}`;
    reportPaths.push(
      `/v1/manager/reports/batches/demo-cash?${range}`,
      `/v1/manager/reports/batches/demo-discount?${range}`,
      `/v1/manager/reports/store-days?${range}`,
      `/v1/manager/reports/sales?${range}`,
      `/v1/manager/reports/hours?${range}`,
    );
    const reports = async (server: TestServer, token: string) => {
      const out: unknown[] = [];
      for (const path of reportPaths) {
        const answer = await call(server.url, 'GET', path, { token });
        expect(answer.status, answer.text).toBe(200);
        out.push(answer.json);
      }
      return out;
    };
    const before = await reports(first, manager);
    // The revoked batch's report counts the two claims its log is about to lose.
    const funnel = (before[1] as BatchReport).funnel;
    const claimsColumn = funnel.columns.findIndex((c) => c.key === 'claims');
    expect(funnel.rows.reduce((n, row) => n + Number(row[claimsColumn]), 0)).toBe(2);
    const cutoff = retentionCutoff(clock().toISOString(), 180);
    const oldAudit = await count(first, 'select count(*) as n from audit_log where at < ?', [
      cutoff,
    ]);
    const youngAudit = await count(first, 'select count(*) as n from audit_log where at >= ?', [
      cutoff,
    ]);
    expect(oldAudit).toBeGreaterThan(5);
    // Three old claims on the live batch, two on the one revoked, one on the ended one, one young.
    expect(await count(first, 'select count(*) as n from claims')).toBe(7);
    const metric = async (server: TestServer, kind: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const m = new RegExp(`^tillpoint_pruned_records_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(
        text,
      );
      return Number(m?.[1] ?? 0);
    };
    const claimsCounted = await metric(first, 'claims');
    await first.stop();

    // A restart prunes at start-up.
    second = await startTestServer(driver, {
      clock,
      reuse: { dataDir: first.dataDir, databaseUrl: first.databaseUrl },
    });
    const started = second;
    for (let i = 0; i < 100; i++) {
      if ((await count(started, 'select count(*) as n from pruned_records')) > 0) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    const pruned = await started.db.rows<{ claims: number; audit: number; cutoff: string }>(
      'select claims, audit, cutoff from pruned_records',
    );
    expect(pruned.map((p) => [Number(p.claims), Number(p.audit)])).toEqual([[3, oldAudit]]);
    // The revoked and the ended batch's old claims went; the live batch's stay (its per-customer
    // limit counts them).
    const claims = await started.db.rows<{ batch_id: string; n: number }>(
      'select batch_id, count(*) as n from claims group by batch_id order by batch_id',
    );
    expect(claims.map((c) => [c.batch_id, Number(c.n)])).toEqual([['demo-cash', 4]]);
    expect(await count(started, 'select count(*) as n from audit_log where at < ?', [cutoff])).toBe(
      0,
    );
    // The young entries stay, and the prune wrote one of its own.
    expect(await count(started, 'select count(*) as n from audit_log')).toBe(youngAudit + 1);
    const [entry] = await started.db.rows<{ after: string }>(
      `select after from audit_log where action = 'retention.prune'`,
    );
    const [checkpoint] = await started.db.rows<{ seq: number; hash: string; pruned: number }>(
      'select seq, hash, pruned from audit_checkpoints',
    );
    expect(JSON.parse(entry?.after ?? '{}')).toMatchObject({
      claims: 3,
      audit: oldAudit,
      checkpoint: { seq: Number(checkpoint?.seq), hash: checkpoint?.hash },
    });
    expect(Number(checkpoint?.pruned)).toBe(oldAudit);

    // Counted for /metrics (the counter is the process's: both servers run in this one).
    expect((await metric(started, 'claims')) - claimsCounted).toBe(3);

    // The same figures, day by day, on every report.
    expect(await reports(started, await loginManager(started))).toEqual(before);
    const verdict = await call<{ ok: boolean; checked: number; since?: number }>(
      started.url,
      'GET',
      '/v1/audit/verify',
      { token: await loginManager(started) },
    );
    expect(verdict.json).toMatchObject({ ok: true, since: Number(checkpoint?.seq) });
  });

  it('keeps the pruned days in a rebuild of the aggregates, verifies the chain, and still detects tampering', async () => {
    const server = second;
    if (!server) throw new Error('the first test did not run');
    await server.stop();
    const storage = await reopen(server);
    try {
      const stored = await plain(storage);
      await storage.write(async (w) => rebuildAggregates(w.trx));
      expect(await plain(storage)).toEqual(stored);

      const [checkpoint] = await storage.db.selectFrom('audit_checkpoints').select('seq').execute();
      const seq = Number(checkpoint?.seq);
      const remaining = Number(
        (
          await storage.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirst()
        )?.n,
      );
      expect(remaining).toBeGreaterThanOrEqual(3);
      expect(await verifyChain(storage.db)).toEqual({ ok: true, checked: remaining, since: seq });

      // Above the checkpoint the database still refuses a delete, and an update everywhere.
      const above = seq + 1;
      await expect(
        storage.db.deleteFrom('audit_log').where('seq', '=', above).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(
        storage.db.updateTable('audit_log').set({ after: '{}' }).where('seq', '=', above).execute(),
      ).rejects.toThrow(/append-only/);
      // Nor may a checkpoint be made up, or moved.
      await expect(
        storage.db
          .insertInto('audit_checkpoints')
          .values({ seq: above + 1, hash: 'f'.repeat(64), at: 'now', pruned: 1 })
          .execute(),
      ).rejects.toThrow(/checkpoint must name an existing audit entry/);
      await expect(
        storage.db.deleteFrom('audit_checkpoints').where('seq', '=', seq).execute(),
      ).rejects.toThrow(/append-only/);
      expect(await verifyChain(storage.db)).toMatchObject({ ok: true, checked: remaining });

      // A remaining entry altered behind the triggers' back is found.
      const target = above + 1;
      if (driver === 'sqlite') {
        await storage.write(async (w) => {
          await w.run('drop trigger audit_log_no_update', []);
          await w.run(`update audit_log set after = '{"tampered":true}' where seq = ?`, [target]);
        });
      } else {
        await storage.write(async (w) => {
          await w.run('alter table audit_log disable trigger audit_log_no_edit', []);
          await w.run(`update audit_log set after = '{"tampered":true}' where seq = $1`, [target]);
          await w.run('alter table audit_log enable trigger audit_log_no_edit', []);
        });
      }
      expect(await verifyChain(storage.db)).toMatchObject({
        ok: false,
        since: seq,
        firstBroken: { seq: target, problem: expect.stringContaining('altered') as string },
      });

      // A checkpoint slipped in by hand, to delete the altered entry and those before it, is
      // not one a prune announced in the chain.
      if (driver === 'sqlite')
        await storage.write((w) => w.run('drop trigger audit_checkpoints_fit', []));
      else
        await storage.write((w) =>
          w.run('alter table audit_checkpoints disable trigger audit_checkpoints_guard', []),
        );
      await storage.write(async (w) => {
        const [row] = await w.trx
          .selectFrom('audit_log')
          .select('hash')
          .where('seq', '=', target)
          .execute();
        await w.trx
          .insertInto('audit_checkpoints')
          .values({ seq: target, hash: row?.hash ?? '', at: 'now', pruned: 2 })
          .execute();
        await w.trx.deleteFrom('audit_log').where('seq', '<=', target).execute();
      });
      expect(await verifyChain(storage.db)).toMatchObject({
        ok: false,
        since: target,
        firstBroken: {
          seq: target,
          problem: expect.stringContaining('a prune did not make it') as string,
        },
      });
    } finally {
      await storage.close();
    }
  });
});

describe.each(DRIVERS)('a prune on %s', (driver) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(url?: string): Promise<Storage & { url: string | undefined }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-prune-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const pgDb = driver === 'postgres' && url === undefined ? await createPgDatabase() : null;
    if (pgDb) cleanups.push(() => pgDb.drop());
    const databaseUrl = url ?? pgDb?.url;
    const storage = createStorage(await openDatabase({ dataDir, databaseUrl }));
    cleanups.push(() => storage.close());
    return Object.assign(storage, { url: databaseUrl });
  }
  const entries = (n: number, what: string): AuditInput[] =>
    Array.from({ length: n }, (_, i) => ({
      actor: 'test',
      terminalId: null,
      storeId: null,
      action: 'test.append',
      subject: `${what}-${i}`,
      before: null,
      after: { i },
    }));
  const now = '2026-12-01T00:00:00.000Z';
  const old = '2026-01-01T00:00:00.000Z';

  it('refuses a retention below 180 days, in the job and at the start of a server', async () => {
    const storage = await open();
    await expect(pruneOnce(storage, 179, now)).rejects.toThrow(/at least 180 days/);
    const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-prune-start-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    await expect(
      startServer({
        dataDir,
        databaseUrl: storage.url,
        retentionDays: 90,
        logger: createLogger('silent'),
        port: 0,
      }),
    ).rejects.toThrow('retention.days must be at least 180 days (was 90)');
  });

  it('prunes payment notifications older than retention and keeps the young', async () => {
    const storage = await open();
    await storage.write(async (w) => {
      for (const [id, at] of [
        ['old-1', old],
        ['old-2', old],
        ['young-1', now],
      ] as const)
        await w.trx
          .insertInto('payment_notifications')
          .values({ id, event: 'TRANSACTION.SUCCESS', out_trade_no: id, received_at: at })
          .execute();
    });
    expect(await pruneOnce(storage, 180, now)).toMatchObject({ notifications: 2, audit: 0 });
    const left = await storage.db.selectFrom('payment_notifications').select('id').execute();
    expect(left.map((n) => n.id)).toEqual(['young-1']);
    // The prune's own entry is the whole chain so far, and verifies.
    expect(await verifyChain(storage.db)).toEqual({ ok: true, checked: 1 });
  });

  it('prunes rate-limit counts whose window lapsed a day ago, in small steps, and keeps PIN failures and live counts', async () => {
    const storage = await open();
    const dayAgo = new Date(Date.parse(now) - 86_400_000 - 1_000).toISOString();
    const minuteAgo = new Date(Date.parse(now) - 60_000).toISOString();
    await storage.write(async (w) => {
      const rows = [
        ...Array.from({ length: 5 }, (_, i) => ['claims', `127.0.0.${i}`, dayAgo]),
        ['login_attempts', '10.0.0.1', old],
        ['password_failures', 'someone', old],
        // Counts until a success or a manager's unlock, whatever its age.
        ['pin_failures', 'terminal-1', old],
        ['claims', '127.0.1.1', minuteAgo],
      ] as const;
      for (const [what, subject, at] of rows)
        await w.trx
          .insertInto('auth_limits')
          .values({ what, subject, window_start: at, count: 7 })
          .execute();
    });
    expect(await pruneOnce(storage, 180, now, 2)).toMatchObject({ limits: 7, audit: 0 });
    const left = await storage.db
      .selectFrom('auth_limits')
      .select(['what', 'subject', 'count'])
      .orderBy('what')
      .execute();
    expect(left.map((r) => [r.what, r.subject, Number(r.count)])).toEqual([
      ['claims', '127.0.1.1', 7],
      ['pin_failures', 'terminal-1', 7],
    ]);
    // A pruned address counts from 1 again, as its lapsed window would have.
    const tally = await storage.write((w) =>
      countAttempt(w, 'claims', '127.0.0.1', { max: 20, windowMs: 60_000 }, now),
    );
    expect(tally).toMatchObject({ count: 1, over: false });
  });

  it('works through a long log in small transactions, leaving a chain that verifies', async () => {
    const a = await open();
    for (let i = 0; i < 5; i++)
      await a.write((w) => appendAuditMany(w, entries(500, `old${i}`), old));
    await a.write((w) => appendAuditMany(w, entries(10, 'young'), now));
    // Several instances on one PostgreSQL prune at once; on SQLite, two prunes in a row.
    const b = driver === 'postgres' ? await open(a.url) : a;
    const reports = await Promise.all([pruneOnce(a, 180, now, 300), pruneOnce(b, 180, now, 300)]);
    expect(reports.reduce((n, r) => n + r.audit, 0)).toBe(2_500);
    const checkpoints = await a.db.selectFrom('audit_checkpoints').selectAll().execute();
    expect(checkpoints.reduce((n, c) => n + Number(c.pruned), 0)).toBe(2_500);
    const left = await a.db.selectFrom('audit_log').select(['action', 'at']).execute();
    // The young ten, and one entry per prune transaction.
    expect(left.filter((e) => e.action === 'test.append')).toHaveLength(10);
    expect(left.filter((e) => e.action === 'retention.prune')).toHaveLength(checkpoints.length);
    expect(await verifyChain(a.db)).toMatchObject({ ok: true, checked: left.length });
    // A second prune finds nothing more: its own entries are young.
    expect(await pruneOnce(a, 180, now)).toMatchObject({ audit: 0, claims: 0 });
  });
});
