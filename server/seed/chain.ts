import { createHash } from 'node:crypto';
import type { BatchId, StoreGroupId, StoreId, UserId } from '../../core/ids';
import type { Fen } from '../../core/money';
import { deltasOf, keyOf, mergeRow, type AggregateRow } from '../../core/reports/aggregates';
import { localTime } from '../../core/time';
import type { Batch } from '../../core/vouchers';
import { loadServerKeys } from '../auth/keys';
import { createUser } from '../catalog/access';
import { createBatch } from '../catalog/batches';
import { upsertStore, upsertStoreGroup } from '../catalog/stores';
import { openDatabase } from '../db/connect';
import { createStorage } from '../db/storage';
import {
  BATCH_DAY,
  BATCH_HOUR,
  TENDER_DAY,
  type AggregateTable,
} from '../reports/aggregate-tables';
import { rebuildStoreDays } from '../reports/rebuild';
import { redemptionRecord, saleRecord } from '../reports/records';
import { BulkInsert, type BulkColumn } from './bulk-insert';

/** What `npm run generate-chain` fills a database with, at scale 1 (issue 12 "Speed at chain scale"). */
const FULL = {
  stores: 500,
  batches: 200,
  claims: 2_000_000,
  redemptions: 1_000_000,
  sales: 1_000_000,
};
const DAYS = 180;
const DAY_MS = 86_400_000;
const ZONE = 'Asia/Shanghai';
const GROUPS = 5;
/** Claim pages per batch (counter stands); claims count for the page's store. */
const PAGES_PER_BATCH = 20;
/** Share of redemptions rung up with a sale at the till (the rest were redeemed alone). */
const WITH_SALE = 0.6;

/** The console login the generated chain has (README "Trying the console on a big chain"). */
export const CHAIN_MANAGER = { username: 'admin', password: 'tillpoint-admin' } as const;

export interface ChainOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /** 1: the full chain; 0.01: a hundredth of every record count (and of stores and batches, at least 3 and 2). */
  readonly scale: number;
  /** The generated 180 days end here (default: now). */
  readonly now?: number;
  readonly progress?: (line: string) => void;
}

export interface ChainSummary {
  readonly stores: number;
  readonly batches: number;
  readonly claims: number;
  readonly redemptions: number;
  readonly sales: number;
  readonly aggregateRows: number;
  readonly seconds: number;
}

/** Relative weight of each local hour: the 18–24 h evening peak, lunch, a quiet night. */
const HOUR_WEIGHTS = [
  1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 3, 3, 3, 4, 5, 4, 3, 3, 3.5, 4, 9, 11, 12, 11, 9, 6,
];
/** Days from claim to redemption: most within 3 days, a tail past a week. */
const CYCLE_DAYS = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 9, 12, 15, 20];

/** A small seeded PRNG (mulberry32), so a scale gives the same chain every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const cols = (spec: string): BulkColumn[] =>
  spec.split(' ').map((c) => {
    const [name, type] = c.split(':');
    return {
      name: name ?? '',
      pgType: type === 'i' ? 'integer' : type === 'b' ? 'bigint' : 'text',
    };
  });

const aggregateColumns = (t: AggregateTable<unknown>): BulkColumn[] =>
  [...t.keys, ...t.counters].map((name, i) => ({
    name,
    pgType: (t.pgTypes[i] ?? 'text') as BulkColumn['pgType'],
  }));

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Fills an empty database with a chain: stores, batches and a chain manager through the
 * catalog's own functions, then claims, redemptions and sales written as ledger rows in bulk,
 * batch by batch, each batch in one transaction with its report aggregates. The aggregates are
 * the server's own increments (core deltasOf of records.ts's records, as countForReports adds
 * them in every write), merged per key, so a rebuild from the ledger (reports/rebuild.ts)
 * gives the same rows; sales without a voucher come last, with the tender aggregates.
 */
export async function generateChain(options: ChainOptions): Promise<ChainSummary> {
  const started = performance.now();
  const say = options.progress ?? (() => undefined);
  const scale = options.scale;
  const storeCount = Math.max(3, Math.round(FULL.stores * Math.min(1, scale)));
  const batchCount = Math.max(2, Math.round(FULL.batches * Math.min(1, scale)));
  const claimsPerBatch = Math.max(2, Math.round((FULL.claims * scale) / batchCount));
  const totalSales = Math.round(FULL.sales * scale);
  const end = options.now ?? Date.now();
  const firstDay = Math.floor(end / DAY_MS) * DAY_MS - DAYS * DAY_MS;
  const random = prng(12);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const hourCdf = HOUR_WEIGHTS.map(
    (
      (sum) => (w: number) =>
        (sum += w)
    )(0),
  );
  const hourTotal = hourCdf[hourCdf.length - 1] ?? 1;
  /** An instant on generated day `day` (0-based) at a local hour drawn from the weights. */
  const instantOn = (day: number): number => {
    const r = random() * hourTotal;
    const hour = hourCdf.findIndex((c) => r < c);
    // Shanghai has no daylight saving: local = UTC + 8 h.
    return firstDay + day * DAY_MS + (hour - 8) * 3_600_000 + Math.floor(random() * 3_600_000);
  };

  const handle = await openDatabase({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    sqliteSynchronous: 'NORMAL',
  });
  const storage = createStorage(handle);
  try {
    const existing = await storage.db.selectFrom('stores').select('id').limit(1).execute();
    if (existing.length > 0)
      throw new Error('the database already holds stores: generate into an empty one');
    const keys = await loadServerKeys(storage);
    const editor = { actor: 'system:generate-chain', terminalId: null };
    const nowIso = new Date(end).toISOString();
    const stores = Array.from({ length: storeCount }, (_, i) => ({
      id: `s${pad(i + 1, 3)}` as StoreId,
      group: `region-${(i % GROUPS) + 1}` as StoreGroupId,
    }));
    const batches = Array.from({ length: batchCount }, (_, i) => {
      const length = 14 + Math.floor(random() * 47);
      const start = Math.floor(random() * (DAYS - 21 - length));
      return {
        id: `b${pad(i + 1, 3)}` as BatchId,
        valueFen: pick([500, 800, 1000, 1500, 2000]),
        // Every fifth batch runs chain-wide, the others in one region.
        group: i % 5 === 0 ? null : (`region-${(i % GROUPS) + 1}` as StoreGroupId),
        start,
        length,
        // A few batches draw many views for their claims (conversion under 15%: an alert).
        viewsPerClaim: i % 10 === 3 ? 8 : 2 + random() * 2,
      };
    });
    say(`catalog: ${storeCount} stores, ${batchCount} batches, a chain manager`);
    await storage.write(async (w) => {
      for (let g = 1; g <= GROUPS; g++)
        await upsertStoreGroup(
          w,
          editor,
          { id: `region-${g}` as StoreGroupId, name: `大区${g} Region ${g}` },
          nowIso,
        );
      for (const s of stores)
        await upsertStore(
          w,
          editor,
          { id: s.id, name: `门店 ${s.id}`, timeZone: ZONE, groupIds: [s.group] },
          nowIso,
        );
      for (const b of batches) await createBatch(w, editor, chainBatch(b, firstDay, end), nowIso);
    });
    await createUser(
      storage,
      keys.pinPepper,
      editor,
      {
        role: 'chain_manager',
        id: 'admin' as UserId,
        name: '连锁管理员',
        ...CHAIN_MANAGER,
      },
      nowIso,
    );

    const bulk = new BulkInsert(handle);
    const t = {
      terminals: bulk.table('terminals', cols('id store_id name token_hash paired_at')),
      pages: bulk.table(
        'claim_pages',
        cols(
          'id batch_id store_id title total_stock:i daily_stock:i per_customer:i claimed:i created_by created_at',
        ),
      ),
      codes: bulk.table(
        'codes',
        cols(
          'code batch_id state signed:i claimed_at redeemed_at redeemed_store_id redeemed_terminal_id redemption_id',
        ),
      ),
      claims: bulk.table('claims', cols('page_id code batch_id customer claimed_at day')),
      redemptions: bulk.table(
        'redemptions',
        cols(
          'id code batch_id store_id terminal_id status discount_fen:b day at recorded_at response sale_id',
        ),
      ),
      sales: bulk.table(
        'sales',
        cols(
          'terminal_id id store_id at day recorded_at state subtotal_fen:b discount_fen:b due_fen:b paid_fen:b change_fen:b doc flags offline:i request_hash response',
        ),
      ),
      tenders: bulk.table(
        'sale_tenders',
        cols('terminal_id sale_id seq:i store_id day kind amount_fen:b change_fen:b state'),
      ),
      batchDay: bulk.table(BATCH_DAY.name, aggregateColumns(BATCH_DAY)),
      batchHour: bulk.table(BATCH_HOUR.name, aggregateColumns(BATCH_HOUR)),
      tenderDay: bulk.table(TENDER_DAY.name, aggregateColumns(TENDER_DAY)),
    };
    const terminalOf = (s: StoreId) => `t-${s}`;
    await bulk.begin();
    for (const s of stores)
      t.terminals.add([
        terminalOf(s.id),
        s.id,
        `收银台 ${s.id}`,
        createHash('sha256').update(`generated:${s.id}:${random()}`).digest('hex'),
        nowIso,
      ]);
    await bulk.commit();

    /** Aggregate rows merged per key in place (core mergeRow), written when a batch is done. */
    const tenderDays = new Map<string, AggregateRow>();
    const fold = (into: Map<string, AggregateRow>, rows: readonly AggregateRow[]) => {
      for (const r of rows) {
        const k = keyOf(r);
        const have = into.get(k);
        into.set(k, have === undefined ? r : mergeRow(have, r));
      }
    };
    const counted = (rows: readonly AggregateRow[], batchRows: Map<string, AggregateRow>) => {
      fold(
        batchRows,
        rows.filter((r) => r.table !== 'tender_day'),
      );
      fold(
        tenderDays,
        rows.filter((r) => r.table === 'tender_day'),
      );
    };
    let aggregateRows = 0;
    let saleSerial = 0;
    let voucherSales = 0;
    let claims = 0;
    let redemptions = 0;
    const iso = (ms: number) => new Date(ms).toISOString();
    const dayOf = (ms: number) => localTime(ms, ZONE).date;

    /** A paid sale at the store's till: its rows and its report record. */
    const sale = (
      storeId: StoreId,
      atMs: number,
      voucher: { batchId: BatchId; discountFen: number } | null,
      batchRows: Map<string, AggregateRow>,
    ): string => {
      saleSerial += 1;
      const id = `sale-${pad(saleSerial, 8)}`;
      const terminal = terminalOf(storeId);
      const at = iso(atMs);
      const day = dayOf(atMs);
      const subtotal = 2500 + Math.floor(random() * 100) * 100;
      const discount = Math.min(subtotal, voucher?.discountFen ?? 0);
      const due = subtotal - discount;
      const kind = pick(['cash', 'wechat_native', 'wechat_code', 'wechat_code'] as const);
      t.sales.add([
        terminal,
        id,
        storeId,
        at,
        day,
        at,
        'paid',
        subtotal,
        discount,
        due,
        due,
        0,
        '{"generated":true}',
        '[]',
        0,
        id,
        '{}',
      ]);
      const tenders = due > 0 ? [{ kind, amountFen: due }] : [];
      for (const [seq, tender] of tenders.entries())
        t.tenders.add([terminal, id, seq, storeId, day, tender.kind, tender.amountFen, 0, 'paid']);
      counted(
        deltasOf(
          saleRecord({
            storeId,
            at,
            subtotalFen: subtotal,
            tenders,
            vouchers: voucher ? [voucher] : [],
          }),
          ZONE,
        ),
        batchRows,
      );
      return id;
    };

    const writeAggregates = (rows: Iterable<AggregateRow>) => {
      for (const a of rows) {
        aggregateRows += 1;
        if (a.table === 'batch_day') t.batchDay.add(BATCH_DAY.values(a.row));
        else if (a.table === 'batch_hour') t.batchHour.add(BATCH_HOUR.values(a.row));
        else t.tenderDay.add(TENDER_DAY.values(a.row));
      }
    };

    let customerSerial = 0;
    const customerPool = Math.max(10, Math.round(FULL.claims * scale * 0.6));
    for (const [bi, b] of batches.entries()) {
      await bulk.begin();
      const batchRows = new Map<string, AggregateRow>();
      const scope = b.group === null ? stores : stores.filter((s) => s.group === b.group);
      const pages = Array.from({ length: Math.min(PAGES_PER_BATCH, scope.length) }, (_, p) => ({
        id: `${b.id}-p${pad(p + 1, 2)}`,
        store: scope[Math.floor((p * scope.length) / Math.min(PAGES_PER_BATCH, scope.length))]
          ?.id as StoreId,
        claimed: 0,
      }));
      for (let c = 0; c < claimsPerBatch; c++) {
        const page = pages[Math.floor(random() * pages.length)] ?? pages[0];
        if (!page) break;
        page.claimed += 1;
        const claimMs = instantOn(b.start + Math.floor(random() * b.length));
        const claimedAt = iso(claimMs);
        const code = `G${b.id.toUpperCase()}-${pad(c + 1, 7)}`;
        customerSerial = (customerSerial + 1 + Math.floor(random() * 3)) % customerPool;
        const customer = createHash('sha256')
          .update(`customer-${customerSerial}`)
          .digest('base64url');
        t.claims.add([page.id, code, b.id, customer, claimedAt, dayOf(claimMs)]);
        claims += 1;
        counted(
          deltasOf({ kind: 'claim', batchId: b.id, storeId: page.store, atMs: claimMs }, ZONE),
          batchRows,
        );
        // Page views: the claim's own, and those of visitors who left without a code.
        const views = Math.max(1, Math.round(b.viewsPerClaim + random() - 0.5));
        counted(
          deltasOf({ kind: 'view', batchId: b.id, storeId: page.store, atMs: claimMs }, ZONE).map(
            (a) => (a.table === 'batch_day' ? { ...a, row: { ...a.row, views } } : a),
          ),
          batchRows,
        );
        // Every other claim is redeemed, mostly where it was claimed, some days later.
        if (c % 2 === 1) {
          t.codes.add([code, b.id, 'issued', 0, claimedAt, null, null, null, null]);
          continue;
        }
        const store = random() < 0.8 ? page.store : (pick(scope).id as StoreId);
        const redeemMs = claimMs + pick(CYCLE_DAYS) * DAY_MS + Math.floor(random() * 3 * 3_600_000);
        const redeemedAt = iso(redeemMs);
        const terminal = terminalOf(store);
        const redemptionId = `red-${b.id}-${pad(c + 1, 7)}`;
        const saleId =
          random() < WITH_SALE
            ? sale(store, redeemMs + 60_000, { batchId: b.id, discountFen: b.valueFen }, batchRows)
            : null;
        if (saleId !== null) voucherSales += 1;
        t.redemptions.add([
          redemptionId,
          code,
          b.id,
          store,
          terminal,
          'accepted',
          b.valueFen,
          dayOf(redeemMs),
          redeemedAt,
          redeemedAt,
          '{}',
          saleId,
        ]);
        t.codes.add([
          code,
          b.id,
          'redeemed',
          0,
          claimedAt,
          redeemedAt,
          store,
          terminal,
          redemptionId,
        ]);
        redemptions += 1;
        counted(
          deltasOf(redemptionRecord(b.id, store, redeemedAt, claimedAt, b.valueFen as Fen), ZONE),
          batchRows,
        );
      }
      for (const p of pages)
        t.pages.add([
          p.id,
          b.id,
          p.store,
          `${b.id} 领券 ${p.store}`,
          Math.max(p.claimed, 1) * 2,
          null,
          1,
          p.claimed,
          'admin',
          iso(firstDay + b.start * DAY_MS),
        ]);
      writeAggregates(batchRows.values());
      await bulk.commit();
      const seconds = (performance.now() - started) / 1000;
      if (bi % Math.max(1, Math.round(batchCount / 20)) === 0 || bi === batchCount - 1)
        say(
          `batch ${bi + 1}/${batchCount}: ${claims} claims, ${redemptions} redemptions, ` +
            `${voucherSales} sales with a voucher; ${seconds.toFixed(0)} s`,
        );
    }

    // Sales without a voucher, spread over every store and day, then the tender aggregates.
    await bulk.begin();
    const plain = Math.max(0, totalSales - voucherSales);
    const none = new Map<string, AggregateRow>();
    for (let i = 0; i < plain; i++) {
      sale(pick(stores).id, instantOn(Math.floor(random() * DAYS)), null, none);
      if (i % 200_000 === 199_999) {
        await bulk.flush();
        say(`sales: ${i + 1}/${plain}; ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    writeAggregates(tenderDays.values());
    await bulk.commit();
    await bulk.release();
    // The per-store rows across batches, summed from the batch rows as the migration does.
    await rebuildStoreDays(handle.db);
    if (handle.dialect === 'postgres') await handle.pool?.query('analyze');
    else handle.sqlite?.prepare('analyze').run();
    const summary: ChainSummary = {
      stores: storeCount,
      batches: batchCount,
      claims,
      redemptions,
      sales: saleSerial,
      aggregateRows,
      seconds: (performance.now() - started) / 1000,
    };
    say(
      `done: ${summary.claims} claims, ${summary.redemptions} redemptions, ${summary.sales} sales, ` +
        `${summary.aggregateRows} aggregate rows in ${summary.seconds.toFixed(1)} s`,
    );
    return summary;
  } finally {
    await storage.close();
  }
}

/** A cash voucher of the chain, valid over the whole generated period (and a year on). */
function chainBatch(
  b: { id: BatchId; valueFen: number; group: StoreGroupId | null },
  firstDay: number,
  end: number,
): Batch {
  return {
    id: b.id,
    name: `${b.valueFen / 100}元券 ${b.id}`,
    benefit: { kind: 'cash', valueFen: b.valueFen as Fen },
    state: 'active',
    validity: {
      type: 'fixed',
      from: new Date(firstDay).toISOString(),
      until: new Date(end + 365 * DAY_MS).toISOString(),
    },
    windows: [],
    items: { skus: [], categories: [] },
    minSpendFen: 0 as Fen,
    stores:
      b.group === null ? { type: 'all' } : { type: 'listed', storeIds: [], groupIds: [b.group] },
    memberTiers: [],
    stacking: 'other_kinds',
    withMemberDiscount: true,
    perOrderLimit: 1,
    perCustomerDailyLimit: null,
    dailyCap: null,
    returnOnRefund: false,
  };
}
