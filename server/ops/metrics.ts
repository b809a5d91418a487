import type { Kysely } from 'kysely';
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PaymentState } from '../../core/protocol';
import type { Database } from '../db/schema';
import type { DiskCheck } from './readiness';
import { reportedTillQueues } from './till-queues';

/**
 * The process's Prometheus metrics (GET /metrics, routes/metrics.ts). One
 * server runs per process in production, so the hot-path counters are module
 * state: the ledger and the write groups bump them without anything threaded
 * through. The database-side figures (pool, payment states, backlog) are read
 * on scrape, never on a request.
 */
export const registry = new Registry();

export const httpRequests = new Counter({
  name: 'tillpoint_http_requests_total',
  help: 'HTTP requests answered, by route pattern (never the raw URL) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpSeconds = new Histogram({
  name: 'tillpoint_http_request_duration_seconds',
  help: 'Time from the request arriving to its answer being sent, by route pattern.',
  labelNames: ['method', 'route'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Redemption decisions (accepted / rejected / conflict) as the ledger makes them; replays are not counted. */
export const redemptions = new Counter({
  name: 'tillpoint_redemptions_total',
  help: 'Redemptions decided by the ledger, by outcome (a replay of a stored answer is not counted).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Sales recorded (flagged: the server's figures differ from the till's or a voucher did not count). */
export const sales = new Counter({
  name: 'tillpoint_sales_total',
  help: 'Sales recorded by the ledger, by outcome: recorded, or flagged for a manager.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const writeGroupSize = new Histogram({
  name: 'tillpoint_write_group_jobs',
  help: 'Write jobs committed together in one transaction (commit group).',
  labelNames: ['dialect'] as const,
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
  registers: [registry],
});

/** Rows a retention prune removed (ops/prune.ts), by kind: claims, notifications, audit, limits. */
export const prunedRecords = new Counter({
  name: 'tillpoint_pruned_records_total',
  help: 'Records older than retention.days pruned, by kind (claims, notifications, audit), and lapsed rate-limit counts (limits).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/** What a scrape reads from the database; set once the database is open. */
export interface ScrapeSources {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool | null;
  /** The payment states the server follows until WeChat settles them (payments/ledger/settle-step.ts). */
  readonly followed: readonly string[];
  /** SQLite: the data folder's disk (ops/disk-watch.ts); null on PostgreSQL. */
  readonly disk: DiskCheck | null;
}
let sources: ScrapeSources | null = null;

/** Scrapes read this database until the returned function is called (the server closes). */
export function watchDatabase(next: ScrapeSources): () => void {
  sources = next;
  return () => {
    if (sources === next) sources = null;
  };
}

new Gauge({
  name: 'tillpoint_db_pool_connections',
  help: 'PostgreSQL pool connections by use (total, idle, waiting requests); absent on SQLite.',
  labelNames: ['use'] as const,
  registers: [registry],
  collect() {
    const pool = sources?.pool;
    if (!pool) return;
    this.set({ use: 'total' }, pool.totalCount);
    this.set({ use: 'idle' }, pool.idleCount);
    this.set({ use: 'waiting' }, pool.waitingCount);
  },
});

interface PaymentCounts {
  readonly byState: ReadonlyMap<string, number>;
  readonly followed: number;
  readonly held: number;
}

/** One grouped count per scrape, shared by the two gauges that read it (they are collected together). */
let counting: Promise<PaymentCounts | null> | null = null;
function paymentCounts(): Promise<PaymentCounts | null> {
  counting ??= countPayments().finally(() => {
    counting = null;
  });
  return counting;
}

async function countPayments(): Promise<PaymentCounts | null> {
  if (!sources) return null;
  const { db, followed: followedStates } = sources;
  const rows = await db
    .selectFrom('payments')
    .select((eb) => ['state', 'held', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['state', 'held'])
    .execute();
  let followed = 0;
  let held = 0;
  const byState = new Map<string, number>(PaymentState.options.map((s) => [s, 0]));
  for (const row of rows) {
    const n = Number(row.n);
    byState.set(row.state, (byState.get(row.state) ?? 0) + n);
    if (Number(row.held) === 1) held += n;
    else if (followedStates.includes(row.state)) followed += n;
  }
  return { byState, followed, held };
}

new Gauge({
  name: 'tillpoint_payments',
  help: 'Payments by state (one grouped count on each scrape).',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    const counts = await paymentCounts();
    if (counts) for (const [state, n] of counts.byState) this.set({ state }, n);
  },
});

new Gauge({
  name: 'tillpoint_reconciliation_backlog',
  help: 'Payments not settled yet: followed by the server (WeChat has not answered), or held for a manager.',
  labelNames: ['kind'] as const,
  registers: [registry],
  async collect() {
    const counts = await paymentCounts();
    if (!counts) return;
    this.set({ kind: 'followed' }, counts.followed);
    this.set({ kind: 'held' }, counts.held);
  },
});

new Gauge({
  name: 'tillpoint_disk_free_bytes',
  help: 'Bytes still writable on the file system holding the SQLite store, by its folder (absent on PostgreSQL).',
  // A label, though it has one value: an unlabelled gauge would read 0 (a full disk) where there is none.
  labelNames: ['path'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const disk = sources?.disk;
    const room = disk?.check();
    if (disk && room?.freeBytes != null) this.set({ path: disk.path }, room.freeBytes);
  },
});

new Gauge({
  name: 'tillpoint_disk_min_free_bytes',
  help: 'disk.minFreeMb in bytes, by folder: below it /readyz answers 503 (absent on PostgreSQL).',
  labelNames: ['path'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const disk = sources?.disk;
    if (disk) this.set({ path: disk.path }, disk.minFreeBytes);
  },
});

new Gauge({
  name: 'tillpoint_till_queue_depth',
  help: 'What each till last said its queue holds (X-Till-Queue), by store, terminal and kind (redemptions, sales).',
  labelNames: ['store', 'terminal', 'kind'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [terminal, r] of reportedTillQueues()) {
      this.set({ store: r.storeId, terminal, kind: 'redemptions' }, r.redemptions);
      this.set({ store: r.storeId, terminal, kind: 'sales' }, r.sales);
    }
  },
});

new Gauge({
  name: 'tillpoint_till_queue_reported_timestamp_seconds',
  help: 'When each till last reported its queue depth (Unix seconds): an old report is a till that went quiet.',
  labelNames: ['store', 'terminal'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [terminal, r] of reportedTillQueues())
      this.set({ store: r.storeId, terminal }, Date.parse(r.reportedAt) / 1000);
  },
});
