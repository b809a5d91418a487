import { sql, type Kysely } from 'kysely';
import { prepared, type Slots } from '../db/prepared';
import type { Database } from '../db/schema';

/**
 * The statements of a claim (claim.ts) and of its page's showing, compiled once (db/prepared.ts):
 * built by Kysely on every claim they cost more CPU than SQLite's own work on them.
 */

/** A page with its batch's document and its store's zone. */
export const selectPage = prepared((db, p: Slots<{ id: string }>) =>
  db
    .selectFrom('claim_pages')
    .innerJoin('stores', 'stores.id', 'claim_pages.store_id')
    .innerJoin('batches', 'batches.id', 'claim_pages.batch_id')
    .selectAll('claim_pages')
    .select(['stores.time_zone', 'batches.doc as batch_doc'])
    .where('claim_pages.id', '=', p('id')),
);

/** The customer's codes from a batch, oldest first. */
export const selectCustomerCodes = prepared((db, p: Slots<{ batchId: string; customer: string }>) =>
  db
    .selectFrom('claims')
    .select(['code', 'claimed_at'])
    .where('batch_id', '=', p('batchId'))
    .where('customer', '=', p('customer'))
    .orderBy('claimed_at'),
);

/** The page's claims on one store-local day: its daily stock. */
export const countPageDay = prepared((db, p: Slots<{ pageId: string; day: string }>) =>
  db
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('page_id', '=', p('pageId'))
    .where('day', '=', p('day')),
);

const firstFree = (db: Kysely<Database>, p: Slots<{ batchId: string }>) =>
  db
    .selectFrom('codes')
    .select('code')
    .where('batch_id', '=', p('batchId'))
    .where('state', '=', 'issued')
    .where('claimed_at', 'is', null)
    .orderBy('code')
    .limit(1);

/** SQLite: the batch's first unclaimed code by code order (index codes_unclaimed, migration 0017). */
export const selectFreeCode = prepared(firstFree);
/**
 * PostgreSQL: the same from index codes_free (migration 0022), skipping a code another claim's
 * transaction holds. The state is a literal, not a parameter: PostgreSQL matches a partial
 * index's predicate when it plans, and a prepared statement's generic plan knows no parameter.
 */
export const selectFreeCodeLocked = prepared((db, p: Slots<{ batchId: string }>) =>
  db
    .selectFrom('codes')
    .select('code')
    .where('batch_id', '=', p('batchId'))
    .where('state', '=', sql.lit('issued'))
    .where('claimed_at', 'is', null)
    .orderBy('code')
    .limit(1)
    .forUpdate()
    .skipLocked(),
);

export const markClaimed = prepared((db, p: Slots<{ code: string; now: string }>) =>
  db
    .updateTable('codes')
    .set({ claimed_at: p('now') })
    .where('code', '=', p('code'))
    .where('claimed_at', 'is', null),
);

export const insertClaim = prepared(
  (
    db,
    p: Slots<{
      pageId: string;
      code: string;
      batchId: string;
      customer: string;
      now: string;
      day: string;
    }>,
  ) =>
    db.insertInto('claims').values({
      page_id: p('pageId'),
      code: p('code'),
      batch_id: p('batchId'),
      customer: p('customer'),
      claimed_at: p('now'),
      day: p('day'),
    }),
);

/** SQLite: the page's counter (PostgreSQL bumps it at the flush, pg-stock-checks.ts). */
export const bumpPage = prepared((db, p: Slots<{ pageId: string }>) =>
  db
    .updateTable('claim_pages')
    .set((eb) => ({ claimed: eb('claimed', '+', 1) }))
    .where('id', '=', p('pageId')),
);

/** The customer's codes from the page's batch: whose QR and barcode images they may fetch. */
export const selectOwnCodes = prepared((db, p: Slots<{ pageId: string; customer: string }>) =>
  db
    .selectFrom('claim_pages')
    .innerJoin('claims', 'claims.batch_id', 'claim_pages.batch_id')
    .select('claims.code')
    .where('claim_pages.id', '=', p('pageId'))
    .where('claims.customer', '=', p('customer')),
);
