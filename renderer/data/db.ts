import Dexie, { type EntityTable, type Table } from 'dexie';
import type {
  BatchRecord,
  CodeRecord,
  MetaKey,
  MetaRecord,
  ProductRecord,
  ReceiptRecord,
  RedemptionRecord,
  StoreGroupRecord,
  StoreRecord,
} from './records';

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
  }
}
