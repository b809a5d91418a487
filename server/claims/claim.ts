import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { BatchId, StoreId, VoucherCode } from '../../core/ids';
import { countAttempt } from '../auth/limits';
import type { Database } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { localDate } from '../ledger/time';
import { countForReports } from '../reports/count';
import { loadClaimPage } from './pages';

/**
 * Who a customer is: a device key, a random value the claim page keeps in a cookie of the
 * customer's browser, stored here only as its SHA-256. Not a phone number: without an SMS
 * check (no SMS provider here) a typed number is free text anyone can vary, so it limits no
 * better than a key, and it would put customers' numbers in the database. A customer who
 * clears the cookie becomes a new one; the per-address rate limit bounds how far that goes.
 */
export const customerOf = (deviceKey: string): string =>
  createHash('sha256').update(deviceKey).digest('base64url');

export type ClaimOutcome =
  | { readonly ok: true; readonly codes: readonly ClaimedCode[] }
  | {
      readonly ok: false;
      readonly reason: 'NOT_FOUND' | 'SOLD_OUT' | 'SOLD_OUT_TODAY' | 'RATE_LIMITED' | 'NO_CODES';
    };

export interface ClaimedCode {
  readonly code: string;
  readonly claimedAt: string;
}

/** Claims per client address per minute. */
export const CLAIM_RATE = { max: 20, windowMs: 60_000 } as const;

/** The customer's codes from the page's batch, oldest first. */
export async function customerCodes(
  db: Kysely<Database>,
  batchId: string,
  customer: string,
): Promise<ClaimedCode[]> {
  const rows = await db
    .selectFrom('claims')
    .select(['code', 'claimed_at'])
    .where('batch_id', '=', batchId)
    .where('customer', '=', customer)
    .orderBy('claimed_at')
    .execute();
  return rows.map((r) => ({ code: r.code, claimedAt: r.claimed_at }));
}

/**
 * One claim, in one write job: the rate limit counted first (kept even when the claim is
 * refused), then the customer's limit (a customer at it gets the codes they have), the page's
 * total and daily stock, and the next unclaimed code of the batch. The code's claim time goes
 * into the change feed, so a till offline still knows when "N days after claim" starts.
 */
export async function claimCode(
  w: WriteTx,
  pageId: string,
  customer: string,
  address: string,
  now: string,
): Promise<ClaimOutcome> {
  const tally = await countAttempt(w, 'claims', address, CLAIM_RATE, now);
  if (tally.over) return { ok: false, reason: 'RATE_LIMITED' };
  // PostgreSQL: the page row is locked, so two claims cannot both take its last unit of stock.
  if (w.dialect === 'postgres')
    await sql`select id from claim_pages where id = ${pageId} for update`.execute(w.trx);
  const page = await loadClaimPage(w.trx, pageId);
  if (!page) return { ok: false, reason: 'NOT_FOUND' };
  const mine = await customerCodes(w.trx, page.batch_id, customer);
  if (mine.length >= Number(page.per_customer)) return { ok: true, codes: mine };
  if (Number(page.claimed) >= Number(page.total_stock)) return { ok: false, reason: 'SOLD_OUT' };
  const day = localDate(now, page.time_zone);
  if (page.daily_stock !== null) {
    const today = await w.trx
      .selectFrom('claims')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('page_id', '=', pageId)
      .where('day', '=', day)
      .executeTakeFirst();
    if (Number(today?.n ?? 0) >= Number(page.daily_stock))
      return { ok: false, reason: 'SOLD_OUT_TODAY' };
  }
  const free = await w.trx
    .selectFrom('codes')
    .select('code')
    .where('batch_id', '=', page.batch_id)
    .where('state', '=', 'issued')
    .where('claimed_at', 'is', null)
    .orderBy('code')
    .limit(1)
    .$if(w.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .executeTakeFirst();
  if (!free) return { ok: false, reason: 'NO_CODES' };
  await w.trx
    .updateTable('codes')
    .set({ claimed_at: now })
    .where('code', '=', free.code)
    .where('claimed_at', 'is', null)
    .execute();
  await w.trx
    .insertInto('claims')
    .values({
      page_id: pageId,
      code: free.code,
      batch_id: page.batch_id,
      customer,
      claimed_at: now,
      day,
    })
    .execute();
  await w.trx
    .updateTable('claim_pages')
    .set((eb) => ({ claimed: eb('claimed', '+', 1) }))
    .where('id', '=', pageId)
    .execute();
  await appendChanges(
    w,
    [
      {
        change: {
          type: 'code',
          code: {
            code: free.code as VoucherCode,
            batchId: page.batch_id as BatchId,
            state: 'issued',
            claimedAt: now,
            redeemed: null,
          },
        },
        batchId: page.batch_id,
      },
    ],
    now,
  );
  countForReports(
    w,
    [
      {
        kind: 'claim',
        batchId: page.batch_id as BatchId,
        storeId: page.store_id as StoreId,
        atMs: Date.parse(now),
      },
    ],
    page.time_zone,
  );
  return { ok: true, codes: [...mine, { code: free.code, claimedAt: now }] };
}

/** A view of the page, counted for its claim conversion (领取转化率). */
export async function countView(w: WriteTx, pageId: string, now: string): Promise<boolean> {
  const page = await loadClaimPage(w.trx, pageId);
  if (!page) return false;
  countForReports(
    w,
    [
      {
        kind: 'view',
        batchId: page.batch_id as BatchId,
        storeId: page.store_id as StoreId,
        atMs: Date.parse(now),
      },
    ],
    page.time_zone,
  );
  return true;
}
