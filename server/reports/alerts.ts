import { sql, type Kysely } from 'kysely';
import type { BatchId } from '../../core/ids';
import {
  PAID_SALE_STATES,
  type AlertsAnswer,
  type AlertView,
  type Dashboard,
} from '../../core/protocol';
import { alertMessage, alertsFor, ReportThresholds } from '../../core/reports/alerts';
import { batchSeries } from '../../core/reports/figures';
import { localTime } from '../../core/time';
import type { Database } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { batchDays } from './read';

const THRESHOLDS = 'alert_thresholds';

/** The chain's alert thresholds: the stored setting, or the issue's defaults. */
export async function thresholds(db: Kysely<Database>): Promise<ReportThresholds> {
  const row = await db
    .selectFrom('report_settings')
    .select('value')
    .where('name', '=', THRESHOLDS)
    .executeTakeFirst();
  return ReportThresholds.parse(row === undefined ? {} : JSON.parse(row.value));
}

export async function setThresholds(w: WriteTx, t: ReportThresholds): Promise<ReportThresholds> {
  const value = JSON.stringify(t);
  await w.trx
    .insertInto('report_settings')
    .values({ name: THRESHOLDS, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
  return t;
}

/**
 * The chain's business date: alerts and the dashboard read "today" on the chain's clock
 * (Asia/Shanghai: every store of a Chinese chain shares it; the aggregates' dates are each
 * store's own).
 */
export const chainToday = (now: string): string => localTime(Date.parse(now)).date;

/**
 * The alerts of every active batch as of `date`, each figure life to date over the stores in
 * scope (a store manager's alerts are of their own store's numbers).
 */
export async function alertsAsOf(
  db: Kysely<Database>,
  date: string,
  storeId: string | null,
): Promise<AlertsAnswer> {
  const t = await thresholds(db);
  const active = new Set(
    (await db.selectFrom('batches').select('id').where('state', '=', 'active').execute()).map(
      (b) => b.id,
    ),
  );
  const rows = (await batchDays(db, { to: date, storeId }, ['batch_id', 'day'])).filter((r) =>
    active.has(r.batchId),
  );
  const alerts: AlertView[] = [];
  for (const batchId of [...new Set(rows.map((r) => r.batchId))].sort())
    for (const alert of alertsFor(batchSeries(batchId as BatchId, rows), t, date))
      alerts.push({
        alert,
        message: { 'zh-CN': alertMessage(alert, 'zh-CN'), en: alertMessage(alert, 'en') },
      });
  return { date, thresholds: t, alerts };
}

/** Today's numbers for the console's first screen. */
export async function dashboard(
  db: Kysely<Database>,
  now: string,
  storeId: string | null,
): Promise<Dashboard> {
  const date = chainToday(now);
  const filter = { from: date, to: date, storeId };
  const [today] = await batchDays(db, filter, []);
  // Counted from the sales (index sales_by_day): the tender rows count a sale once per tender.
  // A sale refunded since still was a sale of the day (its refund is the sales report's).
  const sales = await sql<{ n: number | string | null; fen: number | string | null }>`
    select count(*) as n, sum(due_fen) as fen from sales
    where day = ${date} and state in (${sql.join(PAID_SALE_STATES.map((s) => sql`${s}`))})
    ${storeId ? sql`and store_id = ${storeId}` : sql``}`.execute(db);
  let conflicts = db
    .selectFrom('conflicts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resolution', 'is', null);
  if (storeId) conflicts = conflicts.where('store_id', '=', storeId);
  const lapsed = await sql<{ n: number | string }>`
    select count(*) as n from terminals t
    where t.revoked_at is null ${storeId ? sql`and t.store_id = ${storeId}` : sql``}
    and coalesce((select max(l.expires_at) from leases l where l.terminal_id = t.id), '') < ${now}`.execute(
    db,
  );
  return {
    date,
    sales: Number(sales.rows[0]?.n ?? 0),
    salesFen: Number(sales.rows[0]?.fen ?? 0),
    redemptions: today?.redemptions ?? 0,
    discountFen: today?.discountFen ?? 0,
    conflictsWaiting: Number((await conflicts.executeTakeFirst())?.n ?? 0),
    tillsOffline: Number(lapsed.rows[0]?.n ?? 0),
    alerts: (await alertsAsOf(db, date, storeId)).alerts,
  };
}
