import { createHash } from 'node:crypto';
import type { BatchId, StoreId, VoucherCode } from '../../core/ids';
import { countAttempt } from '../auth/limits';
import type { Queryable } from '../db/prepared';
import type { ClaimPageTable } from '../db/schema';
import type { WriteTx } from '../db/storage';
import { appendChanges } from '../feed/changes';
import { localDate } from '../ledger/time';
import { countForReports } from '../reports/count';
import {
  bumpPage,
  countPageDay,
  insertClaim,
  markClaimed,
  selectCustomerCodes,
  selectFreeCode,
  selectFreeCodeLocked,
  selectPage,
} from './claim-statements';

/**
 * Who a customer is: a device key, a random value the claim page keeps in a cookie of the
 * customer's browser, stored here only as its SHA-256. Not a phone number: without an SMS
 * check (no SMS provider here) a typed number is free text anyone can vary, so it limits no
 * better than a key, and it would put customers' numbers in the database. A customer who
 * clears the cookie becomes a new one; the per-address rate limit bounds how far that goes.
 */
export const customerOf = (deviceKey: string): string =>
  createHash('sha256').update(deviceKey).digest('base64url');

/** A page as a claim and its showing read it: with its batch's document and its store's zone. */
export type LoadedPage = ClaimPageTable & {
  readonly time_zone: string;
  readonly batch_doc: string;
};

export type ClaimOutcome =
  | {
      readonly ok: true;
      readonly codes: readonly ClaimedCode[];
      /** The page as this claim left it (its count included), to show without reading it again. */
      readonly page: LoadedPage;
    }
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

/** A page, or undefined: from a write job, the database or the reader (db/prepared.ts). */
export async function loadClaimPage(db: Queryable, id: string): Promise<LoadedPage | undefined> {
  return (await selectPage(db, { id })).rows[0];
}

/** The customer's codes from the page's batch, oldest first. */
export async function customerCodes(
  db: Queryable,
  batchId: string,
  customer: string,
): Promise<ClaimedCode[]> {
  const { rows } = await selectCustomerCodes(db, { batchId, customer });
  return rows.map((r) => ({ code: r.code, claimedAt: r.claimed_at }));
}

/**
 * PostgreSQL: stock left (total or today's) at which a claim takes the append lock before it
 * decides. Further from sold out, concurrent groups cannot together take more than is left, so
 * the flush's check (pg-stock-checks.ts) never fails and claims run in parallel; this close,
 * groups racing for the last units would fail it and run again, perhaps again and again, so they
 * take turns instead, deciding on every claim committed before. About the claims of the lanes of
 * one instance (storage.ts: 4 groups of up to 32) and then some.
 */
const CONTENDED_STOCK = 160;

/**
 * One claim, in one write job: the rate limit counted first (kept even when the claim is
 * refused), then the customer's limit (a customer at it gets the codes they have), the page's
 * total and daily stock, and the next unclaimed code of the batch. The code's claim time goes
 * into the change feed, so a till offline still knows when "N days after claim" starts.
 *
 * On SQLite write jobs are serial, so what the claim reads holds and it bumps the page's counter
 * itself. On PostgreSQL the page row is not touched in the job (a lock on it would last until the
 * group commits): the claim counts its own group's claims on top of what it read, and its page,
 * daily and customer rules are checked again, and its page's counter bumped, at the flush.
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
  const stock = w.appends.dialect === 'postgres' ? w.appends.stock : null;
  let page = await loadClaimPage(w, pageId);
  if (!page) return { ok: false, reason: 'NOT_FOUND' };
  const mine = await customerCodes(w, page.batch_id, customer);
  if (mine.length >= Number(page.per_customer)) return { ok: true, codes: mine, page };
  const taken = () => Number(page?.claimed) + (stock?.pending(pageId) ?? 0);
  if (stock && Number(page.total_stock) - taken() <= CONTENDED_STOCK) {
    await w.lockAppends();
    page = (await loadClaimPage(w, pageId)) ?? page;
  }
  const claimed = taken();
  if (claimed >= Number(page.total_stock)) return { ok: false, reason: 'SOLD_OUT' };
  const day = localDate(now, page.time_zone);
  if (page.daily_stock !== null) {
    const daily = Number(page.daily_stock);
    let today = Number((await countPageDay(w, { pageId, day })).rows[0]?.n ?? 0);
    if (stock && daily - today <= CONTENDED_STOCK) {
      await w.lockAppends();
      today = Number((await countPageDay(w, { pageId, day })).rows[0]?.n ?? 0);
    }
    if (today >= daily) return { ok: false, reason: 'SOLD_OUT_TODAY' };
  }
  const take = w.dialect === 'postgres' ? selectFreeCodeLocked : selectFreeCode;
  const free = (await take(w, { batchId: page.batch_id })).rows[0];
  if (!free) return { ok: false, reason: 'NO_CODES' };
  await markClaimed(w, { code: free.code, now });
  await insertClaim(w, {
    pageId,
    code: free.code,
    batchId: page.batch_id,
    customer,
    now,
    day,
  });
  if (stock)
    stock.add({
      pageId,
      batchId: page.batch_id,
      customer,
      perCustomer: Number(page.per_customer),
      day,
      dailyStock: page.daily_stock === null ? null : Number(page.daily_stock),
    });
  else await bumpPage(w, { pageId });
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
  return {
    ok: true,
    codes: [...mine, { code: free.code, claimedAt: now }],
    page: { ...page, claimed: claimed + 1 },
  };
}

/** A view of the page, counted for its claim conversion (领取转化率). */
export async function countView(w: WriteTx, pageId: string, now: string): Promise<boolean> {
  const page = await loadClaimPage(w, pageId);
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
