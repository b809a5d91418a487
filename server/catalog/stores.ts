import type { Product, StoreGroup, StoreInput } from '../../core/protocol';
import { DEFAULT_OFFLINE_SETTINGS } from '../../core/protocol';
import type { UserActor } from '../auth/actors';
import { appendAudit } from '../audit/chain';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { HttpError } from '../http/errors';
import { announceAllowance } from './allowance';
import { storeView } from './views';

/** Who is making a catalog change, for the audit log. */
export interface Editor {
  readonly actor: string | null;
  readonly terminalId: string | null;
}

/** A manager at the console, as the audit log names them. */
export function editorOf(user: UserActor): Editor {
  return { actor: user.userId, terminalId: null };
}

/** Creates or renames a store group (region). */
export async function upsertStoreGroup(
  w: WriteTx,
  editor: Editor,
  group: StoreGroup,
  now: string,
): Promise<StoreGroup> {
  const before = await w.trx
    .selectFrom('store_groups')
    .selectAll()
    .where('id', '=', group.id)
    .executeTakeFirst();
  await w.trx
    .insertInto('store_groups')
    .values({ id: group.id, name: group.name })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: group.name }))
    .execute();
  await appendChanges(w, [{ change: { type: 'store_group', group }, batchId: null }], now);
  await appendAudit(
    w,
    {
      ...editor,
      storeId: null,
      action: before ? 'store_group.updated' : 'store_group.created',
      subject: `store_group:${group.id}`,
      before: before ?? null,
      after: group,
    },
    now,
  );
  return group;
}

/** Creates or replaces a store; its groups must exist. */
export async function upsertStore(
  w: WriteTx,
  editor: Editor,
  input: StoreInput,
  now: string,
): Promise<StoreInput> {
  if (input.groupIds.length > 0) {
    const known = await w.trx
      .selectFrom('store_groups')
      .select('id')
      .where('id', 'in', input.groupIds)
      .execute();
    const missing = input.groupIds.filter((g) => !known.some((k) => k.id === g));
    if (missing.length > 0)
      throw new HttpError(
        400,
        'VALIDATION_FAILED',
        `Unknown store group ${missing.join(', ')}; create the group first.`,
        [{ path: 'groupIds', message: `unknown: ${missing.join(', ')}` }],
      );
  }
  const offline = input.offline ?? DEFAULT_OFFLINE_SETTINGS;
  const before = await w.trx
    .selectFrom('stores')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirst();
  const row = {
    id: input.id,
    name: input.name,
    time_zone: input.timeZone,
    group_ids: JSON.stringify(input.groupIds),
    offline_max_count: offline.maxCount,
    offline_max_value_fen: offline.maxValueFen,
    offline_hours: offline.hours,
  };
  const rest = {
    name: row.name,
    time_zone: row.time_zone,
    group_ids: row.group_ids,
    offline_max_count: row.offline_max_count,
    offline_max_value_fen: row.offline_max_value_fen,
    offline_hours: row.offline_hours,
  };
  await w.trx
    .insertInto('stores')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(rest))
    .execute();
  // Terminal requests carry their store's time zone and groups (auth/terminal-cache.ts).
  if (before) w.authChanged();
  const store = storeView(row);
  await appendChanges(w, [{ change: { type: 'store', store }, batchId: null }], now);
  const changed =
    !before ||
    Number(before.offline_max_count) !== offline.maxCount ||
    Number(before.offline_max_value_fen) !== offline.maxValueFen ||
    Number(before.offline_hours) !== offline.hours;
  if (before && changed) {
    // The same allowance change as the Offline allowance screen's: a version and the feed.
    await w.trx
      .updateTable('stores')
      .set({
        offline_version: Number(before.offline_version) + 1,
        offline_updated_by: editor.actor,
        offline_updated_at: now,
        offline_request_id: null,
      })
      .where('id', '=', input.id)
      .execute();
    await announceAllowance(w, input.id, offline, now);
  }
  await appendAudit(
    w,
    {
      ...editor,
      storeId: input.id,
      action: before ? 'store.updated' : 'store.created',
      subject: `store:${input.id}`,
      before: before ?? null,
      after: { ...store, offline },
    },
    now,
  );
  return { ...store, offline: { ...offline } } as StoreInput;
}

/** Creates or replaces a product (price changes go out on the feed). */
export async function upsertProduct(
  w: WriteTx,
  editor: Editor,
  product: Product,
  now: string,
): Promise<Product> {
  const before = await w.trx
    .selectFrom('products')
    .select('doc')
    .where('sku', '=', product.sku)
    .executeTakeFirst();
  const doc = JSON.stringify(product);
  await w.trx
    .insertInto('products')
    .values({ sku: product.sku, doc, price_fen: product.priceFen })
    .onConflict((oc) => oc.column('sku').doUpdateSet({ doc, price_fen: product.priceFen }))
    .execute();
  await appendChanges(w, [{ change: { type: 'product', product }, batchId: null }], now);
  await appendAudit(
    w,
    {
      ...editor,
      storeId: null,
      action: before ? 'product.updated' : 'product.created',
      subject: `product:${product.sku}`,
      before: before ? (JSON.parse(before.doc) as unknown) : null,
      after: product,
    },
    now,
  );
  return product;
}
