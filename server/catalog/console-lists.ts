import type { Kysely } from 'kysely';
import type { StoreGroupId } from '../../core/ids';
import type {
  Product,
  ProductsPage,
  ProductsQuery,
  StoreGroup,
  StoresPage,
  StoresQuery,
} from '../../core/protocol';
import { requireManager, type UserActor } from '../auth/actors';
import type { Database } from '../db/schema';
import { storeView } from './views';

type Db = Pick<Kysely<Database>, 'selectFrom'>;

/**
 * A page of stores in id order with their offline settings, and the groups (regions) they can
 * be grouped by. A store manager gets their own store and its groups only.
 */
export async function storesPage(db: Db, user: UserActor, q: StoresQuery): Promise<StoresPage> {
  requireManager(user, user.role === 'chain_manager' ? null : user.storeId);
  let query = db.selectFrom('stores').selectAll();
  if (user.role !== 'chain_manager') query = query.where('id', '=', user.storeId ?? '');
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const stores = page.map((r) => ({
    ...storeView(r),
    offline: {
      maxCount: Number(r.offline_max_count),
      maxValueFen: Number(r.offline_max_value_fen),
      hours: Number(r.offline_hours),
    },
  }));
  let groups = (await db.selectFrom('store_groups').selectAll().orderBy('id').execute()).map(
    (g): StoreGroup => ({ id: g.id as StoreGroupId, name: g.name }),
  );
  if (user.role !== 'chain_manager') {
    const own = new Set(stores.flatMap((s) => s.groupIds));
    groups = groups.filter((g) => own.has(g.id));
  }
  return {
    stores: stores as StoresPage['stores'],
    groups,
    next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** A page of products in SKU order, optionally those whose SKU or name contains `q`. */
export async function productsPage(
  db: Db,
  user: UserActor,
  q: ProductsQuery,
): Promise<ProductsPage> {
  requireManager(user, user.role === 'chain_manager' ? null : user.storeId);
  let query = db.selectFrom('products').select(['sku', 'doc']);
  if (q.after) query = query.where('sku', '>', q.after);
  if (q.q) {
    // A bound value; its own % and _ only widen the match.
    const pattern = `%${q.q}%`;
    query = query.where((eb) =>
      eb.or([eb('sku', 'like', eb.val(pattern)), eb('doc', 'like', eb.val(pattern))]),
    );
  }
  const rows = await query
    .orderBy('sku')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return {
    products: page.map((r) => JSON.parse(r.doc) as Product),
    next: rows.length > q.limit ? (page.at(-1)?.sku ?? null) : null,
  };
}
