import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Fen } from '../../core/money';
import type {
  BatchRecord,
  LeaseUsageRecord,
  CodeRecord,
  MetaKey,
  MetaRecord,
  ProductRecord,
  ReceiptRecord,
  RedemptionRecord,
  StoreGroupRecord,
  StoreRecord,
} from './records';
import type { Member } from '../../core/protocol/index';
import type { SaleRecord } from './sale-records';

/**
 * The terminal's IndexedDB: the redemption queue and history, the catalog cache pulled from the
 * change feed, sync state and receipts. Bump the version and add an upgrade for every schema
 * change; never edit a shipped version.
 */
export class TillpointDb extends Dexie {
  redemptions!: EntityTable<RedemptionRecord, 'id'>;
  stores!: EntityTable<StoreRecord, 'id'>;
  storeGroups!: EntityTable<StoreGroupRecord, 'id'>;
  products!: EntityTable<ProductRecord, 'sku'>;
  batches!: EntityTable<BatchRecord, 'id'>;
  codes!: EntityTable<CodeRecord, 'code'>;
  /** One row per kind of sync state; the union keeps each key's shape (a plain Table, so puts accept any member). */
  meta!: Table<MetaRecord, MetaKey, MetaRecord>;
  receipts!: EntityTable<ReceiptRecord, 'id'>;
  /** Finished sales, written ahead and pushed once by the drainer after the redemptions. */
  sales!: EntityTable<SaleRecord, 'id'>;
  /** The chain's members from the change feed: looked up by card or phone when offline. */
  members!: EntityTable<Member, 'id'>;

  constructor(name = 'tillpoint') {
    super(name);
    this.version(1).stores({
      redemptions:
        'id, code, state, createdAt, saleId, [queued+createdAt], unseenConflict, request.offline.leaseId',
      stores: 'id',
      storeGroups: 'id',
      products: 'sku, *barcodes',
      batches: 'id',
      codes: 'code, batchId',
      meta: 'key',
      receipts: 'id, createdAt',
    });
    // v2: today's use of a batch is counted on an index instead of reading the day's records,
    // and the lease usage summary (meta 'leaseUsage') is built from the records made under it.
    this.version(2)
      .stores({
        redemptions:
          'id, code, state, createdAt, saleId, [queued+createdAt], unseenConflict, request.offline.leaseId, [batchId+state+createdAt]',
      })
      .upgrade(async (tx) => {
        const lease = (await tx.table('meta').get('lease')) as MetaRecord | undefined;
        if (lease?.key !== 'lease') return;
        const records = (await tx
          .table('redemptions')
          .where('request.offline.leaseId')
          .equals(lease.lease.leaseId)
          .toArray()) as RedemptionRecord[];
        await tx.table('meta').put(leaseUsageOf(lease.lease.leaseId, records));
      });
    // v3: the sales queue (sale-records.ts), pushed in the order the sales were finished.
    this.version(3).stores({ sales: 'id, createdAt, [queued+createdAt]' });
    // v4: members (会员), cached from the feed for look-ups by card or phone while offline. Not
    // unique indexes: a phone moved from one member to another arrives as two puts in one page.
    this.version(4).stores({ members: 'id, card, phone' });
  }
}

/** The usage summary of one lease, counted from the records made under it. */
export function leaseUsageOf(
  leaseId: string,
  records: readonly RedemptionRecord[],
): LeaseUsageRecord {
  let count = 0;
  let value = 0;
  for (const r of records) {
    if (r.request.offline?.leaseId !== leaseId) continue;
    count += 1;
    value += r.request.offline.discountFen;
  }
  return { key: 'leaseUsage', leaseId, count, valueFen: value as Fen };
}
