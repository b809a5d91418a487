import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What a copy or check found, as the worker posts it. */
export interface WorkerAnswer {
  /** Rows per table in the source at the instant of the copy (a copy only). */
  readonly sourceRows: Record<string, number> | null;
  /** Rows per table in the checked file. */
  readonly rows: Record<string, number>;
  /** PRAGMA integrity_check's lines: ['ok'] when the file is sound. */
  readonly integrity: string[];
  readonly migrations: string[];
  readonly feedEpoch: string;
}

export type WorkerResult =
  ({ readonly ok: true } & WorkerAnswer) | { readonly ok: false; readonly message: string };

/**
 * The worker's code, plain CommonJS so it runs the same under tsx, in the
 * bundled server and in the desktop app's utility process (no file of its own
 * to bundle). A copy opens a read transaction on the source, counts its rows
 * and runs SQLite's backup API (better-sqlite3's backup()) inside that same
 * transaction, in steps of PAGES_PER_STEP: the copy is the snapshot the counts
 * describe, writers go on meanwhile (WAL), and the copy is never restarted by
 * them (the held read transaction keeps its snapshot from step to step), as a
 * backup from a connection without one would be on every commit.
 * It runs off the main thread because each step is a synchronous call:
 * redemptions keep being answered while a large store is copied and checked.
 * The copy of a live store is checked with PRAGMA quick_check (every page and
 * b-tree, not whether each index entry matches its row: that is most of
 * integrity_check's time, 15 of 21 s on 1M redemptions, and a page-for-page
 * copy cannot make them disagree where the store agreed); with the row counts
 * and the audit chain beside it. A file checked before a restore (no source)
 * gets the full integrity_check: the store is stopped then, time is not short.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const tables = (db) => db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all();
const count = (db) => Object.fromEntries(tables(db).map((t) => [t, db.prepare('select count(*) from "' + t.replaceAll('"', '""') + '"').pluck().get()]));
const fs = require('node:fs');
// Linux: a thread id names one thread to setpriority, so this lowers the backup thread alone,
// which then takes the CPU the thread answering redemptions leaves; alone it runs at full speed.
try {
  if (process.platform === 'linux' && workerData.nice > 0) {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) require('node:os').setPriority(tid, workerData.nice);
  }
} catch {}
(async () => {
  let sourceRows = null;
  if (workerData.source) {
    const src = new Database(workerData.source, { readonly: true, fileMustExist: true });
    try {
      src.pragma('busy_timeout = 5000');
      src.exec('BEGIN');
      sourceRows = count(src);
      // Steps of PAGES_PER_STEP, each written through to the disk before the next: the copy
      // reaches the disk at an even pace instead of as one burst of writeback that the
      // server's own fsyncs (one per commit group) would queue behind.
      let fd = null;
      try {
        await src.backup(workerData.target, {
          progress: () => {
            fd ??= fs.openSync(workerData.target, 'r+');
            fs.fdatasyncSync(fd);
            return workerData.pagesPerStep;
          },
        });
      } finally {
        if (fd !== null) fs.closeSync(fd);
      }
      src.exec('COMMIT');
    } finally {
      src.close();
    }
  }
  const db = new Database(workerData.target, { fileMustExist: true });
  try {
    // One self-contained file: no -wal or -shm beside a backup on a USB disk.
    db.pragma('journal_mode = DELETE');
    const integrity = db.pragma(workerData.source ? 'quick_check' : 'integrity_check', { simple: false }).map((r) => String(Object.values(r)[0]));
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      parentPort.postMessage({ ok: true, sourceRows, rows: {}, integrity, migrations: [], feedEpoch: '' });
      return;
    }
    const names = tables(db);
    const migrations = names.includes('kysely_migration') ? db.prepare('select name from kysely_migration order by name').pluck().all() : [];
    const epoch = names.includes('server_keys') ? db.prepare("select value from server_keys where name = 'feed_epoch'").pluck().get() : undefined;
    parentPort.postMessage({ ok: true, sourceRows, rows: count(db), integrity, migrations, feedEpoch: epoch ?? '' });
  } finally {
    db.close();
  }
})().catch((e) => parentPort.postMessage({ ok: false, message: e && e.message ? e.message : String(e) }));
`;

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Pages copied per backup step (16 MB at SQLite's default 4 KB page), each step synced to the
 * disk before the next. One step of the whole store left 1.4 GB of writeback to the kernel at
 * once, and the server's own fsyncs (one per commit group, synchronous = FULL) queued behind
 * it; synced step by step the copy reaches the disk at an even pace, and takes no longer (the
 * copy was synced at its end anyway). bench/ops.bench.ts measures it.
 */
const PAGES_PER_STEP = 4096;

/**
 * The backup thread's nice value (Linux; elsewhere it runs at normal priority). On a till PC with
 * a core to spare it changes nothing; when the CPU is short, the cashier's redemptions come
 * first (the thread answering them outweighs it about ten to one) and the backup takes longer.
 */
const WORKER_NICE = 10;

/**
 * Copies `source` (when given) into `target` and checks `target`: integrity,
 * rows per table, migrations applied. Resolves with a value, never throws for
 * a bad file: an unreadable or corrupt file is an answer like any other.
 */
export function copyAndCheck(source: string | null, target: string): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: {
        module: BETTER_SQLITE3,
        source,
        target,
        pagesPerStep: PAGES_PER_STEP,
        nice: WORKER_NICE,
      },
    });
    let answered = false;
    worker.once('message', (m: WorkerResult) => {
      answered = true;
      resolve(m);
    });
    worker.once('error', (e) => {
      answered = true;
      resolve({ ok: false, message: e.message });
    });
    worker.once('exit', (code) => {
      if (!answered) resolve({ ok: false, message: `the backup worker exited (${code})` });
    });
  });
}
