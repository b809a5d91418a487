import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoreGroupId } from '../../core/ids';
import { appendAudit, verifyChain } from '../../server/audit/chain';
import { openDatabase } from '../../server/db/connect';
import { prepared, type Slots } from '../../server/db/prepared';
import { createStorage, type Storage, type WriteTx } from '../../server/db/storage';
import { appendChanges } from '../../server/feed/changes';
import { createPgDatabase, DRIVERS, type Driver } from '../helpers/server-harness';

/**
 * The write discipline under concurrency: jobs that arrive together share a
 * commit group whose feed and audit rows are written just before its COMMIT
 * (SQLite: numbered and chained in memory; PostgreSQL: numbered under the
 * append lock at the flush, with a few groups in flight at once).
 * Either way, rolled-back jobs and savepoints must leave no rows, the audit
 * chain must verify, and feed order must be commit order.
 */
describe.each(DRIVERS)('feed and audit appends under concurrent writes on %s', (driver) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A storage on a fresh database, or (PostgreSQL) a second one on the database at `url`. */
  async function open(d: Driver, url?: string): Promise<Storage & { url?: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tillpoint-groups-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const pgDb = d === 'postgres' && url === undefined ? await createPgDatabase() : null;
    if (pgDb) cleanups.push(() => pgDb.drop());
    const databaseUrl = url ?? pgDb?.url;
    const storage = createStorage(await openDatabase({ dataDir, databaseUrl }));
    cleanups.push(() => storage.close());
    return Object.assign(storage, databaseUrl === undefined ? {} : { url: databaseUrl });
  }

  const append = async (w: WriteTx, name: string) => {
    const group = { id: name as StoreGroupId, name };
    await appendChanges(w, [{ change: { type: 'store_group', group }, batchId: null }], 'at');
    await appendAudit(
      w,
      {
        actor: 'test',
        terminalId: null,
        storeId: null,
        action: 'test.append',
        subject: name,
        before: null,
        after: { name },
      },
      new Date().toISOString(),
    );
  };

  it('keeps only committed appends, chained and in commit order', async () => {
    const storage = await open(driver);
    let reported = 0;
    storage.onFeedMoved((seq) => (reported = Math.max(reported, seq)));
    const committed: string[] = [];
    const jobs = Array.from({ length: 120 }, (_, i) =>
      storage
        .write(async (w) => {
          await append(w, `job-${i}`);
          // An inner savepoint that fails: its appends go, the job's stay.
          await w
            .savepoint(async () => {
              await append(w, `inner-${i}`);
              throw new Error('inner step fails');
            })
            .catch(() => undefined);
          if (i % 7 === 3) throw new Error('the whole job fails after appending');
          if (i % 5 === 0) await append(w, `job-${i}-second`);
          return i;
        })
        .then(
          (i) => {
            committed.push(`job-${i}`);
            if (i % 5 === 0) committed.push(`job-${i}-second`);
          },
          () => undefined,
        ),
    );
    await Promise.all(jobs);

    const feed = await storage.db
      .selectFrom('changes')
      .select(['seq', 'doc'])
      .orderBy('seq')
      .execute();
    const names = feed.map((r) => (JSON.parse(r.doc) as { group: { name: string } }).group.name);
    if (driver === 'sqlite') {
      // One writer: answers are given after each group's COMMIT, in feed order.
      expect(names).toEqual(committed);
    } else {
      // Groups on separate connections answer in any order; the rows must still be exactly the committed ones.
      expect([...names].sort()).toEqual([...committed].sort());
    }
    for (const name of names.filter((n) => n.endsWith('-second')))
      expect(names.indexOf(name)).toBe(names.indexOf(name.replace('-second', '')) + 1);
    const seqs = feed.map((r) => Number(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(reported).toBe(seqs.at(-1));

    const audit = await storage.db
      .selectFrom('audit_log')
      .select('subject')
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => r.subject)).toEqual(names);
    const verdict = await verifyChain(storage.db);
    expect(verdict).toEqual({ ok: true, checked: committed.length });
  });

  // Prepared statements run through WriteTx.run, which on SQLite bypasses Kysely's executor.
  const insertGroup = prepared((db, p: Slots<{ id: string }>) =>
    db.insertInto('store_groups').values({ id: p('id'), name: p('id') }),
  );
  const selectGroup = prepared((db, p: Slots<{ id: string }>) =>
    db.selectFrom('store_groups').select('id').where('id', '=', p('id')),
  );

  it('runs prepared statements inside the job: undone with it, refused once it settled', async () => {
    const storage = await open(driver);
    const leaked: WriteTx[] = [];
    const jobs = ['kept-1', 'undone', 'kept-2'].map((id) =>
      storage.write(async (w) => {
        leaked.push(w);
        const inserted = await insertGroup(w, { id });
        expect(Number(inserted.numAffectedRows)).toBe(1);
        // The job sees its own uncommitted row.
        expect((await selectGroup(w, { id })).rows).toEqual([{ id }]);
        if (id === 'undone') throw new Error('the job fails after inserting');
      }),
    );
    const results = await Promise.allSettled(jobs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await storage.db
      .selectFrom('store_groups')
      .select('id')
      .where('id', 'in', ['kept-1', 'undone', 'kept-2'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(['kept-1', 'kept-2']);
    // A WriteTx used after its job settled must not write into someone else's transaction.
    for (const w of leaked) await expect(insertGroup(w, { id: 'late' })).rejects.toThrow();
    expect((await selectGroup(storage.db, { id: 'late' })).rows).toEqual([]);
  });

  it('continues the chain across commit groups and restarts', async () => {
    const storage = await open(driver);
    await storage.write((w) => append(w, 'first'));
    await Promise.all([1, 2, 3].map((i) => storage.write((w) => append(w, `second-${i}`))));
    await storage.write((w) => append(w, 'third'));
    expect(await verifyChain(storage.db)).toEqual({ ok: true, checked: 5 });
  });

  // PostgreSQL only: SQLite's groups are one writer's serial transactions, covered above.
  if (driver === 'postgres')
    it('shares one PostgreSQL transaction among jobs that arrive together, undoing a failing one alone', async () => {
      const storage = await open(driver);
      const txids = new Map<string, string>();
      let deadlocked = 0;
      const jobs = Array.from({ length: 40 }, (_, i) =>
        storage.write(async (w) => {
          const name = `g-${i}`;
          const row = await sql<{ id: string }>`select txid_current()::text as id`.execute(w.trx);
          txids.set(name, row.rows[0]?.id ?? '');
          await insertGroup(w, { id: name });
          await append(w, name);
          // A statement error leaves PostgreSQL's transaction aborted: only the job's savepoint may go.
          if (i % 9 === 4) await insertGroup(w, { id: name });
          if (i % 9 === 7) throw new Error('the job fails after appending');
          // Aborted by PostgreSQL as a deadlock once: undone alone and run again, answered once.
          if (i === 10 && deadlocked++ === 0)
            await sql`do $$ begin raise exception 'test' using errcode = 'deadlock_detected'; end $$`.execute(
              w.trx,
            );
          return name;
        }),
      );
      const results = await Promise.allSettled(jobs);
      const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`g-${i}`] : []));
      expect(failed).toEqual(['g-4', 'g-7', 'g-13', 'g-16', 'g-22', 'g-25', 'g-31', 'g-34']);
      expect(deadlocked).toBe(2);
      // Fewer transactions than jobs: they were grouped.
      const groups = new Set(failed.concat(committed).map((n) => txids.get(n)));
      expect(groups.size).toBeLessThan(10);

      const stored = await storage.db
        .selectFrom('store_groups')
        .select('id')
        .where('id', 'like', 'g-%')
        .execute();
      expect(stored.map((r) => r.id).sort()).toEqual([...committed].sort());
      const feed = await storage.db
        .selectFrom('changes')
        .select(['seq', 'doc'])
        .orderBy('seq')
        .execute();
      const names = feed.map((r) => (JSON.parse(r.doc) as { group: { name: string } }).group.name);
      expect([...names].sort()).toEqual([...committed].sort());
      // Within a group the rows follow the jobs' order; groups follow their commits.
      const blocks = names
        .map((n) => txids.get(n))
        .filter((t, i, all) => i === 0 || all[i - 1] !== t);
      expect(new Set(blocks).size).toBe(blocks.length);
      const audit = await storage.db
        .selectFrom('audit_log')
        .select('subject')
        .orderBy('seq')
        .execute();
      expect(audit.map((r) => r.subject)).toEqual(names);
      expect(await verifyChain(storage.db)).toEqual({ ok: true, checked: committed.length });
    });
  if (driver === 'postgres')
    it('undoes a job run without its savepoint by running its group again with savepoints', async () => {
      const storage = await open(driver);
      const runs = new Map<string, number>();
      const jobs = Array.from({ length: 30 }, (_, i) =>
        storage.write(
          async (w) => {
            const name = `bare-${i}`;
            runs.set(name, (runs.get(name) ?? 0) + 1);
            await insertGroup(w, { id: name });
            await append(w, name);
            // Fails after writing: without a savepoint only a rollback of the group can undo it.
            if (i % 8 === 5) throw new Error('the job fails after writing');
            // A statement error aborts PostgreSQL's whole transaction, every job's writes with it.
            if (i % 8 === 6) await insertGroup(w, { id: name });
            return name;
          },
          { withoutSavepoint: i % 2 === 1 || i % 8 === 6 },
        ),
      );
      const results = await Promise.allSettled(jobs);
      const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`bare-${i}`] : []));
      expect(failed).toEqual([
        'bare-5',
        'bare-6',
        'bare-13',
        'bare-14',
        'bare-21',
        'bare-22',
        'bare-29',
      ]);
      // A group is run again at most once: then every job has its savepoint and fails alone.
      expect(Math.max(...runs.values())).toBe(2);
      expect([...runs.values()].every((n) => n <= 2)).toBe(true);
      const stored = await storage.db
        .selectFrom('store_groups')
        .select('id')
        .where('id', 'like', 'bare-%')
        .execute();
      expect(stored.map((r) => r.id).sort()).toEqual([...committed].sort());
      const feed = await storage.db.selectFrom('changes').select('doc').orderBy('seq').execute();
      const names = feed.map((r) => (JSON.parse(r.doc) as { group: { name: string } }).group.name);
      expect([...names].sort()).toEqual([...committed].sort());
      expect(await verifyChain(storage.db)).toEqual({ ok: true, checked: committed.length });
    });

  if (driver === 'postgres')
    it('tells every storage on the database when a job changed auth facts, and trusts no cache while its LISTEN is down', async () => {
      const first = await open(driver);
      const second = await open(driver, first.url);
      await vi.waitFor(() => expect(second.authChanges.trusted).toBe(true));
      const before = second.authChanges.epoch;
      await first.write(async (w) => {
        await insertGroup(w, { id: 'auth-change' });
        w.authChanged();
      });
      // Delivered with the commit, through the second storage's LISTEN connection.
      await vi.waitFor(() => expect(second.authChanges.epoch).toBeGreaterThan(before));

      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where query = 'LISTEN tillpoint_auth' and pid <> pg_backend_pid()`.execute(first.db);
      await vi.waitFor(() => expect(second.authChanges.trusted).toBe(false));
      // And LISTENs again on a new connection.
      await vi.waitFor(() => expect(second.authChanges.trusted).toBe(true), { timeout: 10_000 });
    });
});
