import type {
  Change,
  ChangesPage,
  CodeState,
  Member,
  Product,
  Store,
  StoreGroup,
} from '../../core/protocol/index';
import type { Batch } from '../../core/vouchers';
import { assertNever } from '../../core/result';
import type { ApiClient, ApiFailure } from './api-client';
import type { TillpointDb } from './db';
import type { Deps } from './deps';
import { localVoidWins } from './void-here';

export const PULL_PAGE_SIZE = 500;

export type PullResult =
  | { readonly ok: true; readonly pages: number; readonly changes: number }
  | { readonly ok: false; readonly failure: ApiFailure };

/**
 * Pulls the change feed from the stored cursor until it is caught up. Each page and its cursor
 * are applied in one transaction, so a crash between pages resumes exactly where it stopped.
 */
export async function pullChanges(
  db: TillpointDb,
  api: ApiClient,
  deps: Deps,
): Promise<PullResult> {
  let pages = 0;
  let changes = 0;
  for (;;) {
    const meta = await db.meta.get('cursor');
    const since = meta?.key === 'cursor' ? meta.cursor : '';
    const page = await api.changes(since, PULL_PAGE_SIZE);
    if (!page.ok) return { ok: false, failure: page };
    await applyPage(db, page.value, deps.now());
    pages += 1;
    changes += page.value.changes.length;
    if (!page.value.hasMore) return { ok: true, pages, changes };
  }
}

/** Applies one page and stores its cursor atomically. Later entries for a key replace earlier ones. */
export async function applyPage(db: TillpointDb, page: ChangesPage, nowMs: number): Promise<void> {
  const sorted = sortChanges(page.changes);
  await db.transaction(
    'rw',
    [
      db.stores,
      db.storeGroups,
      db.products,
      db.batches,
      db.codes,
      db.members,
      db.meta,
      db.redemptions,
    ],
    async () => {
      // bulkPut keeps the order within a table, so the last entry for a key wins.
      await db.stores.bulkPut(sorted.stores);
      await db.storeGroups.bulkPut(sorted.groups);
      await db.products.bulkPut(sorted.products);
      await db.batches.bulkPut(sorted.batches);
      // The returns first: the server's own entry returning a redemption ends its local void's
      // hold on the code (void-here.ts).
      await noteReturned(db, sorted.returned);
      const terminal = await db.meta.get('terminal');
      const held = await localVoidWins(
        db,
        terminal?.key === 'terminal' ? terminal.terminalId : null,
        sorted.codes,
      );
      await db.codes.bulkPut(sorted.codes.filter((c) => !held.has(c)));
      await noteAllowanceChange(db, sorted.allowances);
      await db.members.bulkPut(sorted.members);
      await db.meta.put({ key: 'cursor', cursor: page.cursor, pulledAt: nowMs });
    },
  );
}

type AllowanceChange = Extract<Change, { type: 'allowance' }>;

/**
 * Marks this till's own records of redemptions the server gave back (a full refund), so the
 * code is no longer "used here". Every return of the page counts, not only a code's last change:
 * a code returned, used again here and returned again has two records to mark. The server's
 * entry also ends the hold of this till's own void of the redemption (void-here.ts).
 */
async function noteReturned(
  db: TillpointDb,
  returned: readonly NonNullable<CodeState['returned']>[],
): Promise<void> {
  for (const r of returned)
    await db.redemptions.update(r.redemptionId, (record) => {
      record.returnedAt = Date.parse(r.at);
      delete record.returnedHere;
    });
}

/** Remembers the latest allowance change of this till's own store (sync/lease.ts renews on it). */
async function noteAllowanceChange(
  db: TillpointDb,
  changes: readonly AllowanceChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const terminal = await db.meta.get('terminal');
  if (terminal?.key !== 'terminal') return;
  const own = changes.filter((c) => c.storeId === terminal.store.id).at(-1);
  if (own) await db.meta.put({ key: 'allowanceChanged', changedAt: own.changedAt });
}

function sortChanges(changes: readonly Change[]) {
  const out = {
    stores: [] as Store[],
    groups: [] as StoreGroup[],
    products: [] as Product[],
    batches: [] as Batch[],
    codes: [] as CodeState[],
    returned: [] as NonNullable<CodeState['returned']>[],
    allowances: [] as AllowanceChange[],
    members: [] as Member[],
  };
  for (const change of changes) {
    switch (change.type) {
      case 'store':
        out.stores.push(change.store);
        break;
      case 'store_group':
        out.groups.push(change.group);
        break;
      case 'product':
        out.products.push(change.product);
        break;
      case 'batch':
        out.batches.push(change.batch);
        break;
      case 'code':
        out.codes.push(change.code);
        if (change.code.returned) out.returned.push(change.code.returned);
        break;
      case 'allowance':
        out.allowances.push(change);
        break;
      case 'member':
        out.members.push(change.member);
        break;
      default:
        assertNever(change, 'change');
    }
  }
  return out;
}
