import { sql, type Compilable, type QueryResult } from 'kysely';
import type { Sku } from '../../core/ids';
import type { RedemptionRequest } from '../../core/protocol';
import { skusToPrice, type CatalogItem } from '../../core/rules';
import type { TerminalActor } from '../auth/actors';
import type { WriteTx } from '../db/storage';
import type { LeaseRow } from './lease';
import { catalogItem, type LedgerDeps } from './redeem';
import { companionCodes, usageNeeds, type CodeRow } from './redemption-rules';
import { selectCodeRows } from './code-rows';

/**
 * Everything a pushed batch is decided on, read in a few statements for the
 * whole batch (batch-redeem.ts decides and writes). On PostgreSQL the rows a
 * decision depends on are locked as they are read (leases, the items' codes,
 * batches with daily limits), so nothing the batch decided on can change
 * before it commits: what it decides is what a run of the items one by one
 * would have decided at that moment.
 */
export interface BatchData {
  /** This terminal's stored redemptions among the batch's ids, by id. */
  readonly stored: Map<string, StoredRow>;
  /** The terminal's leases that offline items name, by id. */
  readonly leases: Map<string, LeaseRow>;
  /** Every code the batch names (items and companions) that the table has. */
  readonly codes: Map<string, LoadedCode>;
  /** This terminal's name, when an item's code comes twice (the second is refused naming it). */
  readonly terminalName: string | null;
  readonly catalog: Map<Sku, CatalogItem>;
  readonly usage: UsageCounts;
}

export interface StoredRow {
  readonly request_hash: string | null;
  readonly response: string;
}

export type LoadedCode = CodeRow & { readonly doc: string; readonly version: number };

/** Values per IN list: far below both databases' parameter limits. */
const IN_CHUNK = 500;

/**
 * Class of the transaction-level advisory lock a terminal's pushes take (the
 * two-key space, apart from the single-key append lock of storage.ts).
 */
const PUSH_LOCK_CLASS = 7_311;

/** `list` in consecutive slices of at most `size`. */
export function chunked<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Runs a built query in the job's transaction: on SQLite straight on the
 * connection (WriteTx.run), skipping Kysely's executor.
 */
export function runBuilt<R>(w: WriteTx, query: Compilable<R>): Promise<QueryResult<R>> {
  const compiled = query.compile();
  return w.run<R>(compiled.sql, compiled.parameters);
}

async function selectIn<T, R>(
  values: readonly T[],
  run: (chunk: T[]) => Promise<QueryResult<R>>,
): Promise<R[]> {
  const out: R[] = [];
  for (const chunk of chunked(values, IN_CHUNK)) out.push(...(await run(chunk)).rows);
  return out;
}

/** A pushed item with what is known of it before anything is read. */
export interface Pending {
  readonly req: RedemptionRequest;
  readonly hash: string;
  readonly at: string;
  readonly day: string;
}

/**
 * Reads (and on PostgreSQL locks) what the batch's items are decided on, in
 * this order: the terminal's push lock, stored rows of the ids, leases, the
 * items' codes (locked in code order), every code row with its batch and the
 * name of the till that redeemed it, catalog prices, today's usage. Items
 * answered by a stored row need nothing else.
 */
export async function loadBatch(
  w: WriteTx,
  deps: LedgerDeps,
  actor: TerminalActor,
  items: readonly Pending[],
): Promise<BatchData> {
  const pg = w.dialect === 'postgres';
  // One push of a terminal at a time: a retried push waits for the first and then replays it.
  if (pg)
    await sql`select pg_advisory_xact_lock(${PUSH_LOCK_CLASS}, hashtext(${actor.terminalId}))`.execute(
      w.trx,
    );

  const stored = new Map<string, StoredRow>();
  const ids = [...new Set(items.map((i) => i.req.id))];
  for (const r of await selectIn(ids, (chunk) =>
    runBuilt(
      w,
      w.trx
        .selectFrom('redemptions')
        .select(['id', 'response', 'request_hash'])
        .where('terminal_id', '=', actor.terminalId)
        .where('id', 'in', chunk),
    ),
  ))
    stored.set(r.id, r);
  const fresh = items.filter((i) => !stored.has(i.req.id));

  const leases = new Map<string, LeaseRow>();
  const leaseIds = [
    ...new Set(fresh.flatMap(({ req }) => (req.offline ? [req.offline.leaseId] : []))),
  ];
  for (const r of await selectIn(leaseIds.sort(), (chunk) => {
    const q = w.trx
      .selectFrom('leases')
      .selectAll()
      .where('terminal_id', '=', actor.terminalId)
      .where('lease_id', 'in', chunk)
      .orderBy('lease_id');
    return runBuilt(w, pg ? q.forUpdate() : q);
  }))
    leases.set(r.lease_id, r);

  const itemCodes = [...new Set(fresh.map((i) => i.req.code as string))].sort();
  // Locked in code order, so pushes that share codes cannot deadlock. Read again below with a
  // fresh snapshot: a row another push just took is seen as it committed.
  if (pg)
    await selectIn(itemCodes, (chunk) =>
      runBuilt(
        w,
        w.trx
          .selectFrom('codes')
          .select('code')
          .where('code', 'in', chunk)
          .orderBy('code')
          .forUpdate(),
      ),
    );
  const allCodes = new Set<string>(itemCodes);
  for (const { req } of fresh) for (const c of companionCodes(req)) allCodes.add(c);
  const codes = new Map<string, LoadedCode>();
  for (const r of await selectIn([...allCodes], (chunk) =>
    runBuilt(w, selectCodeRows(w.trx).where('codes.code', 'in', chunk)),
  ))
    codes.set(r.code, { ...r, version: Number(r.version) });

  const terminalName =
    itemCodes.length < fresh.length
      ? ((
          await runBuilt(
            w,
            w.trx.selectFrom('terminals').select('name').where('id', '=', actor.terminalId),
          )
        ).rows[0]?.name ?? null)
      : null;

  const batchOf = (row: LoadedCode) => deps.batches.get(row.batch_id, row.version, row.doc);
  const skus = new Set<Sku>();
  const counts = new UsageCounts();
  for (const { req, day } of fresh) {
    const row = codes.get(req.code);
    if (!row) continue;
    const target = batchOf(row);
    const candidate = { code: req.code, batch: target, claimedAt: null, redeemed: null };
    for (const s of skusToPrice(req.cart, [candidate])) skus.add(s);
    // A superset of what judging will read: every batch of the order, whatever the item's fate.
    const customerId = req.cart?.customerId ?? null;
    const companions = companionCodes(req).flatMap((c) => {
      const r = codes.get(c);
      return r ? [batchOf(r)] : [];
    });
    for (const batch of [target, ...companions]) {
      const need = usageNeeds(batch, customerId);
      if (need.batch) counts.want(batch.id, day, null);
      if (need.customer && customerId !== null) counts.want(batch.id, day, customerId);
    }
    for (const c of companionCodes(req)) counts.wantUseOf(c);
  }

  const catalog = new Map<Sku, CatalogItem>();
  for (const r of await selectIn([...skus], (chunk) =>
    runBuilt(
      w,
      w.trx.selectFrom('products').select(['sku', 'doc', 'price_fen']).where('sku', 'in', chunk),
    ),
  ))
    catalog.set(r.sku as Sku, catalogItem(r));

  await counts.load(w);
  return { stored, leases, codes, terminalName, catalog, usage: counts };
}

interface CountedUse {
  readonly batchId: string;
  readonly day: string;
  readonly customerId: string | null;
}

interface CountedDay {
  readonly batch: number;
  readonly customer: number;
}

const keyOf = (batchId: string, day: string, customerId: string | null) =>
  customerId === null ? `${batchId}\n${day}` : `${batchId}\n${day}\n${customerId}`;

/**
 * Accepted redemptions per batch and store day, chain-wide and per customer:
 * counted once for the keys the batch's limits need, then kept up to date in
 * memory as the batch accepts redemptions. On PostgreSQL the batch rows are
 * locked first, as redeem.ts does, so two counters cannot both take the last
 * unit of a cap.
 */
export class UsageCounts {
  private readonly counts = new Map<string, number>();
  private readonly wanted = new Map<
    string,
    { batchId: string; day: string; customerId: string | null }
  >();
  /** Accepted uses of companion codes on the days counted: an order's own uses (usageFor). */
  private readonly uses = new Map<string, CountedUse>();
  private readonly usesWanted = new Set<string>();

  /** The code may be a companion of an order: its accepted use, if any, is read with the counts. */
  wantUseOf(code: string): void {
    this.usesWanted.add(code);
  }

  want(batchId: string, day: string, customerId: string | null): void {
    this.wanted.set(keyOf(batchId, day, customerId), { batchId, day, customerId });
  }

  async load(w: WriteTx): Promise<void> {
    const keys = [...this.wanted.values()];
    if (keys.length === 0) return;
    for (const k of this.wanted.keys()) this.counts.set(k, 0);
    const batchIds = [...new Set(keys.map((k) => k.batchId))].sort();
    const days = [...new Set(keys.map((k) => k.day))];
    if (w.dialect === 'postgres')
      await selectIn(batchIds, (chunk) =>
        runBuilt(
          w,
          w.trx
            .selectFrom('batches')
            .select('id')
            .where('id', 'in', chunk)
            .orderBy('id')
            .forUpdate(),
        ),
      );
    const base = (chunk: string[]) =>
      w.trx
        .selectFrom('redemptions')
        .where('batch_id', 'in', chunk)
        .where('day', 'in', days)
        .where('status', '=', 'accepted');
    for (const r of await selectIn([...this.usesWanted], (chunk) =>
      runBuilt(
        w,
        w.trx
          .selectFrom('redemptions')
          .select(['code', 'batch_id', 'day', 'customer_id'])
          .where('code', 'in', chunk)
          .where('day', 'in', days)
          .where('status', '=', 'accepted'),
      ),
    ))
      if (r.batch_id !== null)
        this.uses.set(r.code, { batchId: r.batch_id, day: r.day, customerId: r.customer_id });
    for (const r of await selectIn(batchIds, (chunk) =>
      runBuilt(
        w,
        base(chunk)
          .select(['batch_id', 'day', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy(['batch_id', 'day']),
      ),
    ))
      this.set(keyOf(r.batch_id ?? '', r.day, null), r.n);
    const customers = [
      ...new Set(keys.flatMap((k) => (k.customerId === null ? [] : [k.customerId]))),
    ];
    if (customers.length === 0) return;
    for (const r of await selectIn(batchIds, (chunk) =>
      runBuilt(
        w,
        base(chunk)
          .where('customer_id', 'in', customers)
          .select(['batch_id', 'day', 'customer_id', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy(['batch_id', 'day', 'customer_id']),
      ),
    ))
      this.set(keyOf(r.batch_id ?? '', r.day, r.customer_id), r.n);
  }

  /** Today's accepted count for the key; only keys asked for with want() were counted. */
  get(batchId: string, day: string, customerId: string | null): number {
    const n = this.counts.get(keyOf(batchId, day, customerId));
    if (n === undefined)
      throw new Error(`usage of ${batchId} on ${day} was needed but not counted`);
    return n;
  }

  /**
   * Today's uses of a batch for one order, as redeem.ts counts them: the order's own (accepted
   * uses of `orderCodes`, its companions) apart from the others. Only keys asked for with want().
   */
  usageFor(
    batchId: string,
    day: string,
    customerId: string | null,
    need: { readonly batch: boolean; readonly customer: boolean },
    orderCodes: readonly string[],
  ): { readonly other: CountedDay; readonly order: CountedDay } {
    const order = { batch: 0, customer: 0 };
    for (const code of orderCodes) {
      const use = this.uses.get(code);
      if (use?.batchId !== batchId || use.day !== day) continue;
      if (need.batch) order.batch += 1;
      if (need.customer && customerId !== null && use.customerId === customerId)
        order.customer += 1;
    }
    const all = {
      batch: need.batch ? this.get(batchId, day, null) : 0,
      customer: need.customer ? this.get(batchId, day, customerId) : 0,
    };
    return {
      other: { batch: all.batch - order.batch, customer: all.customer - order.customer },
      order,
    };
  }

  /** One more accepted redemption of the batch on that day, by that customer (or none). */
  accepted(code: string, batchId: string, day: string, customerId: string | null): void {
    if (this.usesWanted.has(code)) this.uses.set(code, { batchId, day, customerId });
    for (const k of [
      keyOf(batchId, day, null),
      ...(customerId === null ? [] : [keyOf(batchId, day, customerId)]),
    ]) {
      const n = this.counts.get(k);
      if (n !== undefined) this.counts.set(k, n + 1);
    }
  }

  private set(key: string, n: number): void {
    // Only keys asked for: a group of another day or customer in the same query is not ours.
    if (this.counts.has(key)) this.counts.set(key, Number(n));
  }
}
