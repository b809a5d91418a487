import type { Kysely, Selectable } from 'kysely';
import type { StoreId, UserId } from '../../core/ids';
import type { Fen } from '../../core/money';
import type {
  AllowancesPage,
  AllowancesQuery,
  OfflineSettings,
  SetAllowanceRequest,
  StoreAllowance,
} from '../../core/protocol';
import type { UserActor } from '../auth/actors';
import { appendAudit } from '../audit/chain';
import type { Database, StoreTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { HttpError } from '../http/errors';
import { reviewScope } from '../review/scope';

type Db = Pick<Kysely<Database>, 'selectFrom'>;
type Row = Selectable<StoreTable>;

/** A store row's offline settings. */
export function offlineOf(
  r: Pick<Row, 'offline_max_count' | 'offline_max_value_fen' | 'offline_hours'>,
): OfflineSettings {
  return {
    maxCount: Number(r.offline_max_count),
    maxValueFen: Number(r.offline_max_value_fen) as Fen,
    hours: Number(r.offline_hours),
  };
}

function view(r: Row): StoreAllowance {
  return {
    storeId: r.id as StoreId,
    storeName: r.name,
    offline: offlineOf(r),
    version: Number(r.offline_version),
    updatedBy: r.offline_updated_by as UserId | null,
    updatedAt: r.offline_updated_at,
  };
}

/** Each store's allowance in store id order; a store manager gets their own store. */
export async function allowancesPage(
  db: Db,
  user: UserActor,
  q: AllowancesQuery,
): Promise<AllowancesPage> {
  const storeId = reviewScope(user, undefined);
  let query = db.selectFrom('stores').selectAll();
  if (storeId !== null) query = query.where('id', '=', storeId);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return {
    allowances: page.map(view),
    next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * Puts a store's new allowance on the change feed: its tills, on their next pull, ask for a new
 * lease, which the server issues from these settings (ledger/lease.ts). Leases already issued
 * keep the limits they were issued with until then.
 */
export async function announceAllowance(
  w: WriteTx,
  storeId: string,
  settings: Readonly<Record<keyof OfflineSettings, number>>,
  now: string,
): Promise<void> {
  const offline = offlineOf({
    offline_max_count: settings.maxCount,
    offline_max_value_fen: settings.maxValueFen,
    offline_hours: settings.hours,
  });
  await appendChanges(
    w,
    [
      {
        change: { type: 'allowance', storeId: storeId as StoreId, offline, changedAt: now },
        batchId: null,
      },
    ],
    now,
  );
}

/** Sets a store's allowance, checked against the version it was edited on. Audited. */
export async function setAllowance(
  w: WriteTx,
  user: UserActor,
  storeId: string,
  request: SetAllowanceRequest,
  now: string,
): Promise<StoreAllowance> {
  const row = await w.trx
    .selectFrom('stores')
    .selectAll()
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'NOT_FOUND', `There is no store ${storeId}; check the id.`);
  const version = Number(row.offline_version);
  if (row.offline_request_id === request.requestId && version === request.version + 1)
    return view(row);
  if (version !== request.version)
    throw new HttpError(
      409,
      'VERSION_CONFLICT',
      `The offline allowance of ${storeId} was changed by ${row.offline_updated_by ?? 'someone'} at ${row.offline_updated_at ?? 'an unknown time'} (now version ${version}, your change was made on ${request.version}); reload and make your change again.`,
    );
  const { offline } = request;
  const set = {
    offline_max_count: offline.maxCount,
    offline_max_value_fen: offline.maxValueFen,
    offline_hours: offline.hours,
    offline_version: version + 1,
    offline_updated_by: user.userId,
    offline_updated_at: now,
    offline_request_id: request.requestId,
  };
  await w.trx
    .updateTable('stores')
    .set(set)
    .where('id', '=', storeId)
    .where('offline_version', '=', version)
    .execute();
  await announceAllowance(w, storeId, offline, now);
  await appendAudit(
    w,
    {
      actor: user.userId,
      terminalId: null,
      storeId,
      action: 'store.allowance_set',
      subject: `store:${storeId}`,
      before: { ...offlineOf(row), version },
      after: { ...offline, version: version + 1 },
    },
    now,
  );
  return view({ ...row, ...set });
}
